"""Which of the aligned originals are reported for an article: the best, further sources,
identical copies of them, and the sources of an article made of several."""

import math
from dataclasses import replace

import numpy as np

from .results import Match
from .scoring import Scored

# A further source must explain this many tokens not already explained by better ones,
# and this share of what it explains.
MIN_NEW_TOKENS = 20
NEW_SHARE = 0.2
# A source explaining less than the minimum coverage on its own (scoring.MIN_COVERAGE) is
# listed only in an article made of several sources: it explains at least PART_SHARE of the
# article or of itself, and the sources listed together explain COMBINED_SHARE of the
# article. An article that merely shares quotes or background with other stories on the
# same news is not made of them: they leave most of it unexplained.
PART_SHARE = 0.2
COMBINED_SHARE = 0.8


def select(scored: list[Scored], partial: list[Scored], limit: int,
           weights: list[np.ndarray]) -> list[Match]:
    """Matches to report, best first: ``scored`` ones, then ``partial`` ones if together
    they make up the article. ``weights``: per segment, how much each token counts."""
    kept, union = _add(_ordered(scored), [], None, limit, 0.0)
    if partial and len(kept) < limit:
        more, more_union = _add(_ordered(partial), list(kept), union, limit, PART_SHARE)
        if len(more) > len(kept) and _share(more_union, weights) >= COMBINED_SHARE:
            kept += [replace(k, match=replace(k.match, kind=k.partial_kind))
                     for k in more[len(kept):]]
    return [k.match for k in kept]


def _ordered(scored: list[Scored]) -> list[Scored]:
    # Ties go to the original closest to the article, then to the one explaining most of it.
    return sorted(scored, key=lambda s: (-s.match.score, -round(s.similarity, 4),
                                         -s.match.article_coverage, -s.match.original_coverage,
                                         s.match.original_id or 0))


def _add(candidates: list[Scored], kept: list[Scored], union: list[np.ndarray] | None,
         limit: int, min_share: float):
    """Keep candidates explaining more of the article than those kept, or duplicates."""
    for cand in candidates:
        if len(kept) >= limit:
            break
        if cand.coverage < min_share:
            continue
        if union is None:
            kept.append(cand)
            union = [c.copy() for c in cand.covered]
            continue
        mine = sum(int((c > 0).sum()) for c in cand.covered)
        # Tokens this candidate explains better than the matches kept so far (copied
        # where they were only translated counts too).
        new = sum(int((c > u).sum()) for c, u in zip(cand.covered, union, strict=True))
        duplicate = any(_same_passages(cand, k) and math.isclose(
            cand.match.score, k.match.score, rel_tol=0.05) for k in kept)
        if duplicate or (new >= MIN_NEW_TOKENS and new >= NEW_SHARE * mine):
            kept.append(cand)
            union = [np.maximum(u, c) for u, c in zip(union, cand.covered, strict=True)]
    return kept, union


def _share(covered: list[np.ndarray] | None, weights: list[np.ndarray]) -> float:
    """Share of the article's weight inside the explained tokens."""
    if not covered:
        return 0.0
    total = sum(float(w.sum()) for w in weights)
    inside = sum(float(w[c > 0].sum()) for c, w in zip(covered, weights, strict=True))
    return inside / total if total else 0.0


def _same_passages(a: Scored, b: Scored) -> bool:
    """True if two matches cover (nearly) the same words of the article."""
    both = sum(int(((x > 0) & (y > 0)).sum()) for x, y in zip(a.covered, b.covered, strict=True))
    either = sum(int(((x > 0) | (y > 0)).sum()) for x, y in zip(a.covered, b.covered,
                                                                 strict=True))
    return either > 0 and both / either >= 0.9
