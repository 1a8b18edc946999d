"""How much aligned pairs count as evidence of copying: pair weights, cut pieces, and the
shares of the article and of the original that a set of pairs explains."""

import math
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import LCSseq

from .alignment import Pair
from .text import Analysed

# A pair at least this similar counts as copied word for word.
EXACT = 0.97
# Words of aligned text at which a passage alone makes a strong match (1 - 1/e of it).
STRONG_PASSAGE_WORDS = 200.0
# How much a pair counts, by similarity: nothing at FLOOR, fully from FLOOR + SPAN. Two
# reports of the same event in other words stay below the floor; light edits do not.
SAME_LANGUAGE_FLOOR, SAME_LANGUAGE_SPAN = 0.6, 0.35
TRANSLATION_FLOOR, TRANSLATION_SPAN = 0.25, 0.25
# Reworded passages (paraphrase.py): cosine of their content words.
REWRITE_FLOOR, REWRITE_SPAN = 0.25, 0.3
# Edited sentences counted as rewording (character similarity): unrelated sentences sharing
# a phrase stay near 0.5.
EDIT_FLOOR, EDIT_SPAN = 0.5, 0.25
# A sentence holding this share of its words, in order, in its original sentence was cut
# from it: pieces cut and joined are an excerpt, not an edit.
CUT_SHARE = 0.95
CUT_MIN_TOKENS = 6
# Less than this much aligned text is never a match.
MIN_WORDS = 8.0

def pair_weight(similarity: float, translation: bool, rewrite: bool = False) -> float:
    """How much an aligned pair counts as evidence of copying (0..1)."""
    floor, span = (TRANSLATION_FLOOR, TRANSLATION_SPAN) if translation else (
        (REWRITE_FLOOR, REWRITE_SPAN) if rewrite else (SAME_LANGUAGE_FLOOR, SAME_LANGUAGE_SPAN))
    return min(1.0, max(0.0, (similarity - floor) / span))


def weight(p: Pair, part: "SegmentPairs") -> float:
    if p.cut:
        return 1.0
    if part.edits:
        return min(1.0, max(0.0, (p.similarity - EDIT_FLOOR) / EDIT_SPAN))
    return pair_weight(p.similarity, part.translation, part.rewrite)


def is_cut(text: Analysed, original: Analysed, p: Pair) -> bool:
    a = text.tokens[p.a_lo:p.a_hi]
    if len(a) < CUT_MIN_TOKENS:
        return False
    return LCSseq.similarity(a, original.tokens[p.o_lo:p.o_hi]) >= CUT_SHARE * len(a)


@dataclass
class SegmentPairs:
    """Aligned pairs of one article segment, and whether they are translations.

    ``weight``: how much of the segment could have been aligned at all (Chinese text in a
    segment read as English, such as a site's chrome, can be neither copied nor
    translated from an English original, and is not counted).
    """

    segment: int
    text: Analysed
    pairs: list[Pair]
    translation: bool
    weight: float
    # Reworded passages (paraphrase.py), not copies.
    rewrite: bool = False
    # Edited copies counted as evidence of rewording (their own weights).
    edits: bool = False


def mask(text: Analysed, pairs: list[Pair]) -> np.ndarray:
    mask = np.zeros(len(text.tokens), dtype=bool)
    for p in pairs:
        mask[p.a_lo:p.a_hi] = True
    return mask


@dataclass
class Evidence:
    """What a set of aligned pairs shows: strength, exactness and coverage."""

    score: float = 0.0
    exact_share: float = 0.0
    article_coverage: float = 0.0
    original_coverage: float = 0.0
    words: float = 0.0
    similarity: float = 0.0
    # The larger of the shares of the article and of the original explained (by similarity).
    coverage: float = 0.0
    # Aligned words, each counted by its pair's weight.
    pair_words: float = 0.0
    # Shares of the article and of the original explained, passages counted by weight.
    article_strength: float = 0.0
    original_strength: float = 0.0


def evidence(parts: list[SegmentPairs], original: Analysed, article_weight: float) -> Evidence:
    words = pair_words = exact = weighted_sim = 0.0
    a_evidence = 0.0
    o_evidence = np.zeros(len(original.tokens))
    for part in parts:
        # Overlapping pairs must not count an article word twice.
        a_best = np.zeros(len(part.text.tokens))
        for p in part.pairs:
            w = part.text.token_weight(p.a_lo, p.a_hi)
            q = weight(p, part)
            # Exactness and similarity are measured over the pairs that count as evidence.
            pair_words += w * q
            weighted_sim += w * q * p.similarity
            exact += w * q if p.similarity >= EXACT or p.cut else 0.0
            a_best[p.a_lo:p.a_hi] = np.maximum(a_best[p.a_lo:p.a_hi], q)
            o_evidence[p.o_lo:p.o_hi] = np.maximum(o_evidence[p.o_lo:p.o_hi], q)
        words += float(part.text.weights[mask(part.text, part.pairs)].sum())
        a_evidence += float((part.text.weights * a_best).sum())
    if words < MIN_WORDS or not pair_words:
        return Evidence(words=words)
    a_cov = min(1.0, words / max(article_weight, 1e-9))
    o_cov = float(original.weights[o_evidence > 0].sum()) / max(original.weight, 1e-9)
    a_strength = a_evidence / max(article_weight, 1e-9)
    o_strength = float((original.weights * o_evidence).sum()) / max(original.weight, 1e-9)
    strength = max(a_strength, o_strength, 1 - math.exp(-a_evidence / STRONG_PASSAGE_WORDS))
    return Evidence(min(1.0, strength), exact / pair_words, a_cov, o_cov, words,
                    weighted_sim / pair_words, min(1.0, max(a_strength, o_strength)), pair_words,
                    min(1.0, a_strength), min(1.0, o_strength))
