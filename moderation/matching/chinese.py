"""Chinese text as words: jieba's segmentation, glossed into English with CC-CEDICT.

Two readings of one segmentation, both kept with the analysed text:

- ``glossed_words``: every word with its English gloss, for aligning a translation with its
  English original. A word jieba finds but CC-CEDICT lacks (紧张局势) is glossed through
  the dictionary words it is made of (紧张 + 局势).
- ``content_bags``: per sentence, the content words (function words and single characters
  left out), names, numbers and dates counting less, and the English glosses of the words
  as a bridge between synonyms (担忧 and 忧虑 both gloss "worry"), for finding rewrites of
  a Chinese original.
"""

from bisect import bisect_left

from . import anchors as A
from .glossary import Gloss, glossary
from .segmenter import segmenter
from .text import Analysed

# Names and numbers: every report of a story shares them, so they count for less
# (as English names do in paraphrase.py).
NAME_WEIGHT = 0.5
# A gloss stands for a synonym, not for the word itself: a word shared counts more.
GLOSS_WEIGHT = 0.5

Words = list[tuple[int, int, Gloss | None]]


def glossed_words(text: Analysed) -> Words:
    """(start, end, gloss) of the words of a Chinese text, glosses from CC-CEDICT."""
    cached = text.memo.get("zh_words")
    if cached is not None:
        return cached
    g = glossary()
    raw = text.text
    out: Words = []
    run: list[int] = []  # start and end of text jieba's words do not gloss, in a row

    def flush() -> None:
        # jieba's words CC-CEDICT lacks, and single characters, are read by CC-CEDICT's
        # longest match across their run: 阿 + 普尔顿 (a name jieba did not know) is
        # 阿普尔顿, Appleton; 紧张局势 is 紧张 + 局势.
        if run:
            out.extend((run[0] + a, run[0] + b, gloss)
                       for a, b, gloss in g.segment(raw[run[0]:run[1]]))
            run.clear()

    for word in segmenter().words(raw):
        piece = raw[word.start:word.end]
        if word.end - word.start > 1 and piece in g:
            flush()
            out.append((word.start, word.end, g.gloss(piece)))
        elif run and run[1] == word.start:
            run[1] = word.end
        else:
            flush()
            run.extend((word.start, word.end))
    flush()
    text.memo["zh_words"] = out
    return out


def content_bags(text: Analysed) -> list[dict[str, float]]:
    """Per sentence: content term -> weight (see the module's docstring)."""
    cached = text.memo.get("zh_content")
    if cached is not None:
        return cached
    g = glossary()
    raw = text.text
    words = [w for w in segmenter().words(raw) if w.content]
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
