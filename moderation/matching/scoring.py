"""From aligned pairs to a Match: spans, coverages, kind and score."""

import math
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz.distance import LCSseq

from .alignment import Pair
from .results import (
    EDITED,
    EXCERPT,
    NONE,
    REWRITE_STRONG,
    REWRITTEN,
    TRANSLATION,
    VERBATIM,
    Match,
    Span,
)
from .text import Analysed

# A pair at least this similar counts as copied word for word.
EXACT = 0.97
# Share of the aligned words that must be exact for "verbatim"/"excerpt" (else "edited").
EXACT_SHARE = 0.85
# Share of the original an article must hold to be "verbatim" rather than an "excerpt".
VERBATIM_COVERAGE = 0.8
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
# A match must explain at least this share of the article or of the original (passages
# counted by similarity). An excerpt is nearly all made of its original, a copy with
# additions holds most of it; another report of the same story sharing quotes or
# background paragraphs stays below (tests/benchmarks/matching_accuracy.py, held out).
MIN_COVERAGE = 0.5
# A rewrite: reworded passages (rewritten or edited, not word for word: a shared quote is
# no rewrite) explain this share of the article or of the original, and all passages
# together at least REWRITE_POSSIBLE of it (results.REWRITE_STRONG for a strong one).
MIN_REWORDED = 0.12
REWRITE_POSSIBLE = 0.2
# Reworded pairs needed: one sentence in other words is a coincidence.
MIN_REWORDED_PAIRS = 2
# An edited pair shorter than this is a shared phrase, not a sentence said again.
MIN_EDIT_TOKENS = 10
# Edited sentences less similar than this are reworded (a few words changed are not).
REWORDED_EDIT = 0.85


def pair_weight(similarity: float, translation: bool, rewrite: bool = False) -> float:
    """How much an aligned pair counts as evidence of copying (0..1)."""
    floor, span = (TRANSLATION_FLOOR, TRANSLATION_SPAN) if translation else (
        (REWRITE_FLOOR, REWRITE_SPAN) if rewrite else (SAME_LANGUAGE_FLOOR, SAME_LANGUAGE_SPAN))
    return min(1.0, max(0.0, (similarity - floor) / span))


def _weight(p: Pair, part: "SegmentPairs") -> float:
    if p.cut:
        return 1.0
    if part.edits:
        return min(1.0, max(0.0, (p.similarity - EDIT_FLOOR) / EDIT_SPAN))
    return pair_weight(p.similarity, part.translation, part.rewrite)


def _is_cut(text: Analysed, original: Analysed, p: Pair) -> bool:
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


@dataclass
class Scored:
    """A match with the article tokens it explains (to tell apart several sources)."""

    match: Match
    covered: list[np.ndarray] = field(default_factory=list)
    weight: float = 0.0
    # Mean similarity of the deciding pairs: tells a near-duplicate from the very original.
    similarity: float = 0.0
    # Larger share of the article or of the original explained, passages counted by similarity.
    coverage: float = 0.0
    # The kind of a match explaining too little on its own (below the minimum coverage): it
    # may be listed beside other sources of an article made of several (see selection.py).
    partial_kind: str | None = None
    # Rewording evidence: (reworded, all passages) shares of the article and the original.
    reworded: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def _mask(text: Analysed, pairs: list[Pair]) -> np.ndarray:
    mask = np.zeros(len(text.tokens), dtype=bool)
    for p in pairs:
        mask[p.a_lo:p.a_hi] = True
    return mask


def _spans(part: SegmentPairs, original: Analysed) -> list[Span]:
    spans: list[Span] = []
    pairs = sorted(part.pairs, key=lambda p: (p.a_lo, p.o_lo))
    run: list[Pair] = []

    def flush() -> None:
        if not run:
            return
        a_start, _ = part.text.char_span(run[0].a_lo, run[0].a_hi)
        _, a_end = part.text.char_span(run[-1].a_lo, run[-1].a_hi)
        o_start, _ = original.char_span(run[0].o_lo, run[0].o_hi)
        _, o_end = original.char_span(run[-1].o_lo, run[-1].o_hi)
        weights = [part.text.token_weight(p.a_lo, p.a_hi) for p in run]
        sim = sum(w * p.similarity for w, p in zip(weights, run, strict=True)) / max(
            sum(weights), 1e-9)
        if part.translation or part.rewrite:
            kind = TRANSLATION if part.translation else REWRITTEN
        elif sim >= EXACT:
            kind = VERBATIM
        else:
            kind = EXCERPT if all(p.cut or p.similarity >= EXACT for p in run) else EDITED
        spans.append(Span(part.segment, a_start, a_end, o_start, o_end, round(sim, 4), kind))
        run.clear()

    for p in pairs:
        # Exact pairs that follow each other on both sides merge into one passage.
        if run and not part.translation and not part.rewrite and p.similarity >= EXACT \
                and run[-1].similarity >= EXACT \
                and p.o_lo >= run[-1].o_hi and p.o_lo - run[-1].o_hi <= 1 \
                and p.a_lo - run[-1].a_hi <= 1:
            run.append(p)
            continue
        flush()
        run.append(p)
    flush()
    return spans


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


def _evidence(parts: list[SegmentPairs], original: Analysed, article_weight: float) -> Evidence:
    words = pair_words = exact = weighted_sim = 0.0
    a_evidence = 0.0
    o_evidence = np.zeros(len(original.tokens))
    for part in parts:
        # Overlapping pairs must not count an article word twice.
        a_best = np.zeros(len(part.text.tokens))
        for p in part.pairs:
            w = part.text.token_weight(p.a_lo, p.a_hi)
            q = _weight(p, part)
            # Exactness and similarity are measured over the pairs that count as evidence.
            pair_words += w * q
            weighted_sim += w * q * p.similarity
            exact += w * q if p.similarity >= EXACT or p.cut else 0.0
            a_best[p.a_lo:p.a_hi] = np.maximum(a_best[p.a_lo:p.a_hi], q)
            o_evidence[p.o_lo:p.o_hi] = np.maximum(o_evidence[p.o_lo:p.o_hi], q)
        words += float(part.text.weights[_mask(part.text, part.pairs)].sum())
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


def _reworded(parts: list[SegmentPairs], below: float = EXACT) -> list[SegmentPairs]:
    """Only the pairs that reword the original: rewrites and edits (less similar than
    ``below``), not exact or cut copies."""
    out = []
    for p in parts:
        if p.rewrite:
            out.append(p)
            continue
        pairs = [x for x in p.pairs if not x.cut and x.similarity < below
                 and x.a_hi - x.a_lo >= MIN_EDIT_TOKENS]
        if pairs:
            out.append(replace(p, pairs=pairs, edits=True))
    return out


def score(original_id: int | None, parts: list[SegmentPairs], original: Analysed,
          languages: list[str], original_language: str, min_score: float,
          min_coverage: float = MIN_COVERAGE) -> Scored:
    """Turn aligned pairs into a scored Match; kind "none" below ``min_score``, or when the
    passages explain less than ``min_coverage`` of both the article and the original.

    Passages in other words (``rewrite`` parts, and edited copies) make a "rewritten"
    match when they explain enough of the article or of the original on their own
    (``MIN_REWORDED``); its score is then the share all passages explain, and below
    ``REWRITE_STRONG`` it is only a possible rewrite. A match too weak to count keeps its
    score, coverages and spans, for the record.
    """
    article_weight = sum({p.segment: p.weight for p in parts}.values())
    # Pairs too loose to count as evidence are neither shown nor counted.
    parts = [replace(p, pairs=[x for x in p.pairs if _weight(x, p)]) for p in parts]
    parts = [p if p.translation or p.rewrite else replace(p, pairs=[
        replace(x, cut=True) if x.similarity < EXACT and _is_cut(p.text, original, x) else x
        for x in p.pairs]) for p in parts]
    same = [p for p in parts if not p.translation and not p.rewrite and p.pairs]
    rewr = [p for p in parts if p.rewrite and p.pairs]
    trans = [p for p in parts if p.translation and p.pairs]
    s = _evidence(same, original, article_weight)
    t = _evidence(trans, original, article_weight)
    shown = same + trans
    partial_kind = None
    evidence = (0.0, 0.0, 0.0, 0.0)
    if s.words >= MIN_WORDS and s.score >= t.score * 0.5:
        if s.exact_share >= EXACT_SHARE:
            kind = VERBATIM if s.original_coverage >= VERBATIM_COVERAGE else EXCERPT
        else:
            kind = EDITED
        lead, final, coverage = same, max(s.score, t.score), max(s.coverage, t.coverage)
        if final >= min_score and coverage < min_coverage:
            partial_kind, kind = kind, NONE
        elif final < min_score:
            kind = NONE
    elif t.words >= MIN_WORDS and t.score > 0:
        kind, lead, final = TRANSLATION, trans, max(s.score, t.score)
        coverage = max(s.coverage, t.coverage)
        if final >= min_score and coverage < min_coverage:
            partial_kind, kind = kind, NONE
        elif final < min_score:
            kind = NONE
    else:
        kind, lead, final, coverage = NONE, same, 0.0, 0.0
    if kind == NONE and (rewr or same):
        # Not a copy: is it a rewrite? Reworded passages must explain enough on their own.
        reworded = _reworded(same + rewr)
        # Passages matched by their content words, and sentences much changed: a follow-up
        # story keeping an earlier one's paragraphs with a few words changed is no rewrite.
        r = _evidence(_reworded(same, REWORDED_EDIT) + rewr, original, article_weight)
        exact = [q for q in (replace(p, pairs=[x for x in p.pairs if x.cut or
                                               x.similarity >= EXACT]) for p in same) if q.pairs]
        sr = _evidence(exact + reworded, original, article_weight)
        pairs = sum(len(p.pairs) for p in reworded)
        evidence = (r.article_strength, r.original_strength, sr.article_strength,
                    sr.original_strength)
        # The article must be made of the rewrite: another report of the same story
        # retelling a few of its facts in other words explains little of it.
        if r.article_strength >= MIN_REWORDED and pairs >= MIN_REWORDED_PAIRS and \
                sr.article_strength >= REWRITE_POSSIBLE and sr.coverage >= t.score * 0.5:
            rewritten = sum(_evidence([p], original, article_weight).pair_words for p in rewr)
            final = coverage = sr.coverage
            # Mostly edited sentences explaining most of the text: an edited copy.
            kind = EDITED if rewritten < 0.25 * sr.pair_words and final >= max(
                REWRITE_STRONG, min_coverage) else REWRITTEN
            lead, shown, partial_kind = same + rewr, same + rewr + trans, None
            lead = lead if any(p.pairs for p in lead) else rewr
            s = sr
    if kind == NONE and partial_kind is None and final == 0.0:
        return Scored(Match.none(original_id, (languages[0] if languages else "",
                                               original_language)))
    both = _evidence(shown, original, article_weight)
    spans = [span for part in shown for span in _spans(part, original)]
    spans.sort(key=lambda span: (span.segment, span.article_start))
    final = round(min(1.0, final), 4)
    match = Match(
        original_id, final, kind, round(both.article_coverage, 4),
        round(both.original_coverage, 4), tuple(spans),
        (languages[lead[0].segment] if lead else (languages[0] if languages else ""),
         original_language),
    )
    # One array per segment, whatever kinds of pairs it has, so that matches compare: 2
    # where a token is copied, 1 where it is translated, 0 where it is not explained.
    covered: dict[int, np.ndarray] = {}
    for p in shown:
        level = _mask(p.text, p.pairs).astype(np.int8) * (1 if p.translation else 2)
        covered[p.segment] = np.maximum(covered[p.segment], level) if p.segment in covered \
            else level
    for p in parts:
        covered.setdefault(p.segment, np.zeros(len(p.text.tokens), dtype=np.int8))
    return Scored(match, [covered[k] for k in sorted(covered)], both.words,
                  (s if lead is not trans else t).similarity, coverage, partial_kind,
                  evidence)
