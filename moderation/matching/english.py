"""English word stems and stop words shared by glosses and English texts."""

import re
from functools import lru_cache

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t don didn doesn isn wasn weren won wouldn shouldn couldn ll ve re d o y mr mrs ms dr
    one ones thing things something someone sb sth oneself etc eg ie lit fig esp cf vs per
    used use usage abbr abbreviation variant see also surname name given particle possessive
    classifier measure word words kind pr cl tw prc coll colloquial dialect literary archaic
    old onom idiom form bound expression indicating indicate marker sentence final suffix
    prefix character radical number unit interjection
    """.split()
)

# Past forms that suffix stripping cannot bring back to the dictionary form.
_IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "went": "go", "gone": "go", "made": "make",
    "took": "take", "taken": "take", "held": "hold", "met": "meet", "spoke": "speak",
    "spoken": "speak", "gave": "give", "given": "give", "came": "come", "saw": "see",
    "seen": "see", "knew": "know", "known": "know", "thought": "think", "brought": "bring",
    "bought": "buy", "sold": "sell", "found": "find", "left": "leave", "lost": "lose",
    "won": "win", "began": "begin", "begun": "begin", "fell": "fall", "fallen": "fall",
    "rose": "rise", "risen": "rise", "wrote": "write", "written": "write", "chose": "choose",
    "chosen": "choose", "led": "lead", "paid": "pay", "sent": "send", "spent": "spend",
    "kept": "keep", "meant": "mean", "felt": "feel", "got": "get", "ran": "run", "hit": "hit",
    "killed": "kill", "men": "man", "women": "woman", "children": "child", "people": "people",
}
_WORD_RE = re.compile(r"[a-z][a-z0-9]*")
# Truncating long words makes "diplomat", "diplomatic" and "diplomacy" meet.
STEM_LENGTH = 6


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Crude, stable stem of a lower-case English word: suffixes off, at most 6 letters."""
    word = _IRREGULAR.get(word, word)
    n = len(word)
    if n > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    elif n > 5 and word.endswith("ing"):
        word = word[:-3]
    elif n > 4 and word.endswith("ed"):
        word = word[:-2]
    return word[:STEM_LENGTH]


def content_stems(text: str) -> list[str]:
    """Stems of the words of ``text`` that carry meaning (stop words left out)."""
    return [stem(w) for w in _WORD_RE.findall(text.lower()) if w not in STOPWORDS]
