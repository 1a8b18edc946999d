"""From aligned pairs to a Match: kind, score, and whether the evidence is enough."""

from dataclasses import dataclass, field, replace

import numpy as np

from . import passages
from .evidence import (
    EXACT,
    MIN_WORDS,
    SegmentPairs,
    evidence,
    is_cut,
    mask,
    weight,
)
from .quotes import mostly_quoted
from .results import (
    EDITED,
    EXCERPT,
    NONE,
    REWRITE_STRONG,
    REWRITTEN,
    TRANSLATION,
    VERBATIM,
    Match,
)
from .text import Analysed

# Share of the aligned words that must be exact for "verbatim"/"excerpt" (else "edited").
EXACT_SHARE = 0.85
# Share of the original an article must hold to be "verbatim" rather than an "excerpt".
VERBATIM_COVERAGE = 0.8
# A match must explain at least this share of the article or of the original (passages
# counted by similarity). An excerpt is nearly all made of its original, a copy with
# additions holds most of it; another report of the same story sharing quotes or
# background paragraphs stays below (tests/benchmarks/matching_accuracy.py, held out).
MIN_COVERAGE = 0.5
# Pieces cut word for word from an original (quotations left out) that make this share of
# the article are reuse even when they explain little of the original and the rest of the
# article is the author's own: a short answer cut from a long source. At least this many
# words of them: one shared sentence is a coincidence or a stock phrase.
PIECES_SHARE = 0.25
PIECES_MIN_WORDS = 20.0
# Sentences lightly edited (a few words changed, character similarity at least this) count
# among such pieces: a short answer revised lightly from its source.
PIECE_EDITED = 0.7
# A rewrite: reworded passages (rewritten or edited, not word for word: a shared quote is
# no rewrite) explain this share of the article or of the original, and all passages
# together at least REWRITE_POSSIBLE of it (results.REWRITE_STRONG for a strong one).
MIN_REWORDED = 0.12
REWRITE_POSSIBLE = 0.2
# Reworded pairs (seeds) needed: one sentence in other words is a coincidence.
MIN_REWORDED_PAIRS = 2
# Share of the article in sentences with a partner of their own (seeds, copies, edits).
MIN_SEEDED = 0.3
# An edited pair shorter than this is a shared phrase, not a sentence said again.
MIN_EDIT_TOKENS = 10
# Edited sentences less similar than this are reworded (a few words changed are not).
REWORDED_EDIT = 0.85


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


def _pieces(same: list[SegmentPairs], original: Analysed, article_weight: float,
            min_coverage: float) -> float:
    """Share of the article made of pieces copied word for word or lightly edited, outside
    quotations; 0 when they make too little of it."""
    pieces = [q for q in (replace(p, pairs=[
        x for x in p.pairs if (x.cut or x.similarity >= EXACT or (
            x.similarity >= PIECE_EDITED and x.a_hi - x.a_lo >= MIN_EDIT_TOKENS))
        and not mostly_quoted(p.text, x.a_lo, x.a_hi)]) for p in same) if q.pairs]
    e = evidence(pieces, original, article_weight)
    enough = e.words >= PIECES_MIN_WORDS and e.article_coverage >= min(PIECES_SHARE, min_coverage)
    return e.article_coverage if enough else 0.0


def _seeds(part: SegmentPairs) -> int:
    """Sentence pairs said again: seeds of reworded passages (the sentences a passage
    spans between its seeds are not counted), or edited pairs."""
    return sum(p.seeds for p in part.pairs) if part.rewrite else len(part.pairs)


def _seeded(parts: list[SegmentPairs], article_weight: float) -> float:
    """Share of the article in sentences that have a partner of their own in the original:
    seeds of reworded passages, and pairs copied or edited (quotations left out). A rewrite
    is made of such sentences; another report of the same story has a few of them, and the
    passages that merge them would make it look like more."""
    words = 0.0
    for segment in {p.segment for p in parts}:
        text = next(p.text for p in parts if p.segment == segment)
        inside = np.zeros(len(text.tokens), dtype=bool)
        for part in (p for p in parts if p.segment == segment):
            for x in part.pairs:
                if part.rewrite:
                    for i in x.seed_sentences:
                        inside[text.sentences[i].first_token:text.sentences[i].last_token] = True
                elif not mostly_quoted(text, x.a_lo, x.a_hi):
                    inside[x.a_lo:x.a_hi] = True
        words += float(text.weights[inside].sum())
    return words / max(article_weight, 1e-9)


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
    parts = [replace(p, pairs=[x for x in p.pairs if weight(x, p)]) for p in parts]
    parts = [p if p.translation or p.rewrite else replace(p, pairs=[
        replace(x, cut=True) if x.similarity < EXACT and is_cut(p.text, original, x) else x
        for x in p.pairs]) for p in parts]
    same = [p for p in parts if not p.translation and not p.rewrite and p.pairs]
    rewr = [p for p in parts if p.rewrite and p.pairs]
    trans = [p for p in parts if p.translation and p.pairs]
    s = evidence(same, original, article_weight)
    t = evidence(trans, original, article_weight)
    shown = same + trans
    partial_kind = weak_kind = None
    rewording = (0.0, 0.0, 0.0, 0.0)
    if s.words >= MIN_WORDS and s.score >= t.score * 0.5:
        if s.exact_share >= EXACT_SHARE:
            kind = VERBATIM if s.original_coverage >= VERBATIM_COVERAGE else EXCERPT
        else:
            kind = EDITED
        lead, final, coverage = same, max(s.score, t.score), max(s.coverage, t.coverage)
        if final >= min_score and coverage < min_coverage:
            partial_kind, kind = kind, NONE
        elif final < min_score:
            weak_kind, kind = kind, NONE
    elif t.words >= MIN_WORDS and t.score > 0:
        kind, lead, final = TRANSLATION, trans, max(s.score, t.score)
        coverage = max(s.coverage, t.coverage)
        if final >= min_score and coverage < min_coverage:
            partial_kind, kind = kind, NONE
        elif final < min_score:
            kind = NONE
    else:
        kind, lead, final, coverage = NONE, same, 0.0, 0.0
    # Pieces of a long original in a short answer explain little of either text, and
    # lightly edited ones count little by similarity: what they make of the article is
    # their evidence.
    pieces = (partial_kind or weak_kind) is not None and lead is same and _pieces(
        same, original, article_weight, min_coverage)
    if pieces:
        kind, partial_kind = partial_kind or weak_kind, None
        final = max(final, pieces)
    # Pieces kept from a long original make a finding; if the article rewords more of the
    # original than those pieces explain, it is a rewrite (checked below).
    if (kind == NONE or pieces) and (rewr or same):
        # Not a copy: is it a rewrite? Reworded passages must explain enough on their own.
        reworded = _reworded(same + rewr)
        # Passages matched by their content words, and sentences much changed: a follow-up
        # story keeping an earlier one's paragraphs with a few words changed is no rewrite.
        r = evidence(_reworded(same, REWORDED_EDIT) + rewr, original, article_weight)
        exact = [q for q in (replace(p, pairs=[x for x in p.pairs if x.cut or
                                               x.similarity >= EXACT]) for p in same) if q.pairs]
        sr = evidence(exact + reworded, original, article_weight)
        pairs = sum(_seeds(p) for p in reworded)
        rewording = (r.article_strength, r.original_strength, sr.article_strength,
                    sr.original_strength)
        # The article must be made of the rewrite: another report of the same story
        # retelling a few of its facts in other words explains little of it.
        if r.article_strength >= MIN_REWORDED and pairs >= MIN_REWORDED_PAIRS and \
                sr.article_strength >= REWRITE_POSSIBLE and sr.coverage >= t.score * 0.5 \
                and _seeded(exact + reworded, article_weight) >= MIN_SEEDED \
                and (not pieces or sr.coverage > coverage):
            rewritten = sum(evidence([p], original, article_weight).pair_words for p in rewr)
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
    both = evidence(shown, original, article_weight)
    spans = [span for part in shown for span in passages.spans(part, original)]
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
        level = mask(p.text, p.pairs).astype(np.int8) * (1 if p.translation else 2)
        covered[p.segment] = np.maximum(covered[p.segment], level) if p.segment in covered \
            else level
    for p in parts:
        covered.setdefault(p.segment, np.zeros(len(p.text.tokens), dtype=np.int8))
    return Scored(match, [covered[k] for k in sorted(covered)], both.words,
                  (s if lead is not trans else t).similarity, coverage, partial_kind,
                  rewording)
