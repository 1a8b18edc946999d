"""One article compared with one original: copies, rewrites and translations aligned and
scored. Analysed texts are kept for the next comparison."""

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .alignment import Pair, align
from .crosslingual import align_translation
from .evidence import SegmentPairs, pair_weight
from .features import is_chinese
from .paraphrase import align_rewrites
from .results import Match, OriginalText
from .scoring import MIN_COVERAGE, Scored, score
from .text import Analysed, analyse, han_weight

# Only this much of an article or original is read: a 1 MB page stays well under a second.
MAX_CHARS = 100_000
# Matches scoring less are not reported.
MIN_SCORE = 0.25
# Sentences are compared for rewording unless copies already explain this share of them.
COPIED = 0.9

Segments = Sequence[tuple[str, str]]

# Analysed texts kept for the next call: the same originals and pages come back again and
# again (the originals most pages are taken from, every notice about one article), and what
# is derived from a text (its shingles, glosses, sentence bags) is kept with it. Bounded by
# their length: about 40 bytes of memory per character once aligned and glossed.
ANALYSED_CACHE_CHARS = 1_000_000
_analysed: OrderedDict[str, Analysed] = OrderedDict()
_analysed_chars = 0
_analysed_lock = threading.Lock()


def forget_analysed() -> None:
    """Empty the cache of analysed texts."""
    global _analysed_chars
    with _analysed_lock:
        _analysed.clear()
        _analysed_chars = 0


def analysed(text: str) -> Analysed:
    """``analyse(text)``, or the same analysis kept from an earlier call."""
    global _analysed_chars
    text = text[:MAX_CHARS]
    with _analysed_lock:
        found = _analysed.get(text)
        if found is not None:
            _analysed.move_to_end(text)
            return found
    found = analyse(text)
    with _analysed_lock:
        if text not in _analysed:
            _analysed[text] = found
            _analysed_chars += len(text)
        while _analysed_chars > ANALYSED_CACHE_CHARS and _analysed:
            _analysed_chars -= len(_analysed.popitem(last=False)[0])
    return found


@dataclass
class Segment:
    """One article segment: its language label, whether it reads as Chinese, its text."""

    language: str
    chinese: bool
    text: Analysed


def prepare(segments: Segments | str) -> list[Segment]:
    """Article segments analysed (plain text is one segment of unknown language)."""
    if isinstance(segments, str):
        segments = [("other", segments)]
    out = []
    for language, text in segments:
        text = text or ""
        found = analysed(text)
        out.append(Segment(language, is_chinese(language, found.text), found))
    return out


def compare_segments(segments: list[Segment], original: OriginalText, original_id: int | None,
             min_score: float = MIN_SCORE, min_coverage: float = MIN_COVERAGE,
             rewrites: bool = True) -> Scored:
    """Aligned and scored: word-for-word pairs, reworded passages (unless ``rewrites`` is
    false or copies explain the segment), translations across languages."""
    o = analysed(original.text or "")
    o_chinese = is_chinese(original.language, o.text)
    parts: list[SegmentPairs] = []
    o_done = np.zeros(len(o.tokens), dtype=bool)
    for k, seg in enumerate(segments):
        same = align(seg.text, o)
        weight = seg.text.weight if seg.chinese or o_chinese else seg.text.weight - han_weight(
            seg.text)
        parts.append(SegmentPairs(k, seg.text, same, False, weight))
        if seg.chinese == o_chinese and seg.text.sentences:
            a_done = np.zeros(len(seg.text.tokens), dtype=bool)
            for p in same:
                if pair_weight(p.similarity, False):
                    a_done[p.a_lo:p.a_hi] = True
                    o_done[p.o_lo:p.o_hi] = True
            if rewrites and float(seg.text.weights[a_done].sum()) < COPIED * max(weight, 1e-9):
                reworded = align_rewrites(seg.text, o, a_done, o_done, o_chinese)
                if reworded:
                    parts.append(SegmentPairs(k, seg.text, reworded, False, weight, True))
        if seg.chinese != o_chinese:
            # Sentences already found word for word are not translations of anything.
            done = np.zeros(len(seg.text.tokens), dtype=bool)
            for p in same:
                done[p.a_lo:p.a_hi] = True
            if seg.chinese:
                pairs = align_translation(seg.text, o, zh_done=done)
            else:
                pairs = [Pair(p.o_lo, p.o_hi, p.a_lo, p.a_hi, p.similarity)
                         for p in align_translation(o, seg.text, en_done=done)]
            parts.append(SegmentPairs(k, seg.text, pairs, True, weight))
    return score(original_id, parts, o, [s.language for s in segments], original.language,
                 min_score, min_coverage)


def compare(article: Segments | str, original: OriginalText | str,
            original_id: int | None = None, min_score: float = MIN_SCORE,
            min_coverage: float = MIN_COVERAGE) -> Match:
    """How ``article`` (segments or plain text) relates to one given original.

    For checking a claim such as "our article X copies original Y": no index is needed.
    Below ``min_score``, or when the aligned passages explain less than ``min_coverage`` of
    both the article and the original, the kind is "none", but score, coverages and spans
    are kept.
    """
    if isinstance(original, str):
        original = OriginalText(original)
    return compare_segments(prepare(article), original, original_id, min_score, min_coverage).match
