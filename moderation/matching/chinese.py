"""Chinese sentences as bags of content words, for finding rewrites of a Chinese original.

jieba's words (segmenter.py), function words and single characters left out; names, numbers
and dates counting less (every report of a story shares them); and the English glosses of
the words (CC-CEDICT) as a bridge between synonyms: 担忧 and 忧虑 both gloss "worry". No
maintained Chinese synonym resource is in the package index (see docs/DESIGN.md), and
CC-CEDICT is maintained and already read for translations.
"""

from bisect import bisect_left

from . import anchors as A
from .glossary import glossary
from .segmenter import Word, segmenter
from .text import Analysed

# Names and numbers: every report of a story shares them, so they count for less
# (as English names do in paraphrase.py).
NAME_WEIGHT = 0.5
# A gloss stands for a synonym, not for the word itself: a word shared counts more.
GLOSS_WEIGHT = 0.5


def segmented(text: Analysed) -> list[Word]:
    """jieba's words of a text, segmented once and kept with it."""
    cached = text.memo.get("zh_segmented")
    if cached is None:
        cached = text.memo["zh_segmented"] = segmenter().words(text.text)
    return cached


def content_bags(text: Analysed) -> list[dict[str, float]]:
    """Per sentence: content term -> weight (see the module's docstring)."""
    cached = text.memo.get("zh_content")
    if cached is not None:
        return cached
    g = glossary()
    raw = text.text
    words = [w for w in segmented(text) if w.content]
    starts = [w.start for w in words]
    out = []
    for s in text.sentences:
        terms: dict[str, float] = {}
        for w in words[bisect_left(starts, s.start):bisect_left(starts, s.end)]:
            piece = raw[w.start:w.end]
            terms[piece] = NAME_WEIGHT if w.name else 1.0
            gloss = g.gloss(piece)
            if gloss is not None and not w.name:
                for stem in gloss.stems:
                    terms.setdefault("~" + stem, GLOSS_WEIGHT)
        sentence = raw[s.start:s.end]
        for anchor in A.chinese_numbers(sentence) + A.chinese_dates(sentence) + \
                A.latin_words(sentence):
            terms.setdefault(anchor, NAME_WEIGHT)
        out.append(terms)
    text.memo["zh_content"] = out
    return out
