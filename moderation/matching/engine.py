"""The engine: candidates from the index, alignment of the best ones, scored matches."""

from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime

import numpy as np

from .candidates import MAX_DF, MIN_HITS, Candidates
from .comparison import MIN_SCORE, Segments, compare, compare_segments, prepare
from .fingerprints import day_number
from .index import Index
from .results import NONE, Match, OriginalText
from .scoring import MIN_COVERAGE, Scored
from .selection import NEW_SHARE, select

# Content-word candidates are tried only while no match explains this much of the article.
EXPLAINED = 0.7

__all__ = ["Matcher", "compare"]


class Matcher:
    """Finds the originals an article was taken from.

    ``load_original(original_id)`` returns the original's text (or None if it is gone);
    it is called only for the few candidates worth aligning. Only the first 100,000
    characters of each segment and original are read. ``min_coverage``: share of the
    article or of the original a match must explain (0 also reports shared passages).
    """

    def __init__(self, index: Index, load_original: Callable[[int], OriginalText | None], *,
                 max_df: int = MAX_DF, min_score: float = MIN_SCORE,
                 min_coverage: float = MIN_COVERAGE):
        self.index = index
        self.load_original = load_original
        self.max_df = max_df
        self.min_score = min_score
        self.min_coverage = min_coverage
        self.candidates = Candidates(index, max_df)
        # Candidates of the last few texts: `candidate_ids` (is a new match needed?) and then
        # `match` of the same article look them up once, not twice.
        self._recent: OrderedDict[tuple, list] = OrderedDict()

    def _remembered(self, method: str, segs, *args) -> list:
        """``self.candidates.<method>(segs, *args)``, kept for the next call with the same
        texts while the index is unchanged."""
        key = (method, args, self.index.version,
               tuple((s.language, s.text.text) for s in segs))
        found = self._recent.get(key)
        if found is None:
            found = self._recent[key] = getattr(self.candidates, method)(segs, *args)
            if len(self._recent) > 256:
                self._recent.popitem(last=False)
        return found

    def match(self, segments: Segments | str, published_at: date | datetime | None = None,
              limit: int = 5) -> list[Match]:
        """Best matches of an article given as (language, text) segments, best first.

        Several matches come back when the article combines sources, or when identical
        originals are indexed (each duplicate is listed). An empty list means no match.
        """
        self.index.refresh()
        segs = prepare(segments)
        scored: list[Scored] = []
        partial: list[Scored] = []  # sources explaining too little of it on their own
        explained: set[int] = set()
        kept_hits: list[frozenset[int]] = []
        verified = 0
        article_day = day_number(published_at)
        # Content-word candidates (rewrites) and every 5-word run (edited copies) are looked
        # up only when the cheap ones leave doubt: their postings are long (common words,
        # four times the runs), most of a query's cost at scale.
        candidates = self._remembered("found", segs, article_day, False)
        seen = {original_id for original_id, _hits, _sketched in candidates}
        for found in (candidates, None):
            if found is None:
                if verified >= limit * 2 + 3 or any(
                        r.match.article_coverage >= EXPLAINED for r in scored):
                    break
                more = (self._remembered("by_runs", segs)
                        + self._remembered("by_stems", segs, article_day))
                found = [(i, frozenset(), True) for i in dict.fromkeys(more) if i not in seen]
            for original_id, hits, sketched in found:
                if verified >= limit * 2 + 3:
                    break
                if sketched and any(r.match.article_coverage >= EXPLAINED for r in scored):
                    continue
                # A candidate whose shared fingerprints are all explained by a better match
                # cannot add a source; it is only aligned if it is a duplicate of one.
                if hits and kept_hits and len(hits - explained) < max(
                        MIN_HITS, NEW_SHARE * len(hits)) and not any(
                        len(hits & k) >= 0.9 * max(len(hits), len(k)) for k in kept_hits):
                    continue
                original = self.load_original(original_id)
                if original is None:
                    continue
                verified += 1
                # Once a source explains the article, the others are only looked at for what
                # they share word for word: the paraphrase alignment is the costly part.
                rewrites = not any(r.match.article_coverage >= EXPLAINED for r in scored)
                result = compare_segments(segs, original, original_id, self.min_score,
                                          self.min_coverage, rewrites=rewrites)
                if result.match.kind != NONE or result.partial_kind:
                    (scored if result.match.kind != NONE else partial).append(result)
                    if hits:
                        explained |= hits
                        kept_hits.append(hits)
        # Chinese text in a segment read as English (site chrome) is not part of the article.
        weights = [s.text.weights if s.chinese else np.where(
            s.text.weights < 1, 0.0, s.text.weights) for s in segs]
        return select(scored, partial, limit, weights)

    def candidate_ids(self, segments: Segments | str,
                      published_at: date | datetime | None = None) -> list[int]:
        """The originals `match` would consider for this article (cheap: no alignment); when
        neither they nor the article changed, neither can the result."""
        self.index.refresh()
        segs, day = prepare(segments), day_number(published_at)
        return sorted({original_id for original_id, _hits, _sketched in
                       self._remembered("found", segs, day, False)}
                      | set(self._remembered("by_stems", segs, day)))
