"""Candidate originals of an article: shared fingerprints, anchors (numbers, dates, names)
and content-word sketches, weighted by rarity and publication date."""

import math

import numpy as np

from . import storage
from .comparison import Segment
from .crosslingual import chinese_words, glossed_stems
from .features import anchor_hashes, content_terms, stem_hashes, text_anchors
from .fingerprints import fingerprints, shingle_hashes, token_hashes
from .index import Index

# Shingles held by more originals than this are boilerplate or stock phrases.
MAX_DF = 1000
# Candidates need this many shared fingerprints, or anchors, to be aligned at all.
MIN_HITS = 2
MIN_ANCHORS = 3
ANCHOR_CANDIDATES = 4
# Fingerprint candidates considered (most are skipped once better ones explain them).
MAX_CANDIDATES = 50
ANCHOR_RATIO = 0.5
# Candidates from content-word sketches (a rewrite keeps its original's words, not its
# phrases): this many at most, holding this many sampled stems, within this ratio of the
# best.
STEM_CANDIDATES = 3
MIN_STEM_HITS = 4
# A short article has few sampled stems: a quarter of them is enough hits (at least two).
MIN_STEM_SHARE = 0.25
STEM_RATIO = 0.6
# Every 5-word run of the article looked up, not only its winnowed ones: an edited copy
# keeps runs too short to be sure of a shared fingerprint. This many candidates at most,
# within this ratio of the best.
RUN_CANDIDATES = 3
RUN_RATIO = 0.5


def date_prior(article_day: int | None, original_days: np.ndarray) -> np.ndarray:
    """Weight of each candidate by how its publication date fits the article's."""
    prior = np.ones(len(original_days))
    if article_day is None:
        return prior
    known = original_days != storage.NO_DAY
    gap = article_day - original_days.astype(np.int64)
    prior[known & (gap > 14)] = 0.8
    # An original published days after the article cannot be its source.
    prior[known & (gap < -1)] = 0.5
    return prior


class Candidates:
    """Looks an article's features up in the index."""

    def __init__(self, index: Index, max_df: int = MAX_DF):
        self.index = index
        self.max_df = max_df

    def found(self, segs: list[Segment], article_day: int | None,
              with_stems: bool = True) -> list[tuple[int, frozenset[int], bool]]:
        """(original id, query fingerprints it holds, found by its content words only) of
        candidates, most promising first."""
        fps = fingerprints(s.text.tokens for s in segs)
        out: dict[int, frozenset[int]] = {}
        top_hits = 0
        if len(fps):
            slots, pos = self.index.postings(fps, self.max_df)
            if len(slots):
                order = np.argsort(slots, kind="stable")
                slots, pos = slots[order], pos[order]
                uniq, first, hits = np.unique(slots, return_index=True, return_counts=True)
                top_hits = int(hits.max())
                best = np.argsort(-hits, kind="stable")
                best = best[hits[best] >= max(MIN_HITS, 0.05 * top_hits)][:MAX_CANDIDATES]
                ids = self.index.original_ids(uniq[best])
                for i, original_id in zip(best, ids.tolist(), strict=True):
                    out[original_id] = frozenset(pos[first[i]:first[i] + hits[i]].tolist())
        if any(s.chinese for s in segs) or top_hits < 5:
            for original_id in self._by_anchors(segs, article_day):
                out.setdefault(original_id, frozenset())
        found = [(i, hits, False) for i, hits in out.items()]
        for original_id in self.by_stems(segs, article_day) if with_stems else ():
            if original_id not in out:
                found.append((original_id, frozenset(), True))
        return found

    def by_runs(self, segs: list[Segment]) -> list[int]:
        """Originals holding the most of the article's 5-word runs, all of them looked up
        (the index keeps a winnowed sample of each original's runs)."""
        runs = [shingle_hashes(token_hashes(s.text.tokens)) for s in segs
                if len(s.text.tokens) >= 2]
        if not runs:
            return []
        slots, _pos = self.index.postings(np.unique(np.concatenate(runs)), self.max_df)
        if not len(slots):
            return []
        uniq, hits = np.unique(slots, return_counts=True)
        # One shared run is a coincidence when many originals share some run with the
        # article; when only a few do, the run is specific to them and worth an alignment
        # (a lightly revised sentence keeps a run or two, and the index holds a winnowed
        # sample of them). The alignment and its scoring decide whether it is reuse.
        min_hits = 1 if len(uniq) <= RUN_CANDIDATES else MIN_HITS
        order = np.argsort(-hits, kind="stable")[:RUN_CANDIDATES]
        order = order[(hits[order] >= min_hits) & (hits[order] >= RUN_RATIO * hits[order[0]])]
        return [int(i) for i in self.index.original_ids(uniq[order])]

    def by_stems(self, segs: list[Segment], article_day: int | None) -> list[int]:
        """Originals holding the most of the article's content words, rare ones counting
        most (idf from the index itself): what a rewrite keeps of its original."""
        terms: set[str] = set()
        for s in segs:
            if s.chinese:
                text = s.text.text
                terms |= content_terms([], (text[a:b] for a, b, _ in chinese_words(s.text)))
            else:
                terms |= content_terms(s.text.tokens)
        hashes = stem_hashes(terms, sampled=True)
        min_hits = min(MIN_STEM_HITS, max(2, math.ceil(MIN_STEM_SHARE * len(hashes))))
        if len(hashes) < min_hits:
            return []
        return self._weighted(hashes, article_day, min_hits, STEM_CANDIDATES, STEM_RATIO)

    def _by_anchors(self, segs: list[Segment], article_day: int | None) -> list[int]:
        found: list[str] = []
        for s in segs:
            found += text_anchors(s.text.text, s.chinese,
                                  chinese_words(s.text) if s.chinese else None)
        hashes = anchor_hashes(found)
        # Chinese text glossed word by word meets an English original's content words.
        glossed = [glossed_stems(s.text) for s in segs if s.chinese]
        if glossed:
            hashes = np.union1d(hashes, stem_hashes(set().union(*glossed), sampled=True))
        if not len(hashes):
            return []
        return self._weighted(hashes, article_day, MIN_ANCHORS, ANCHOR_CANDIDATES, ANCHOR_RATIO)

    def _weighted(self, hashes, article_day: int | None, min_hits: int, limit: int,
                  ratio: float) -> list[int]:
        """Originals sharing at least ``min_hits`` of ``hashes``, by summed idf and the date
        prior: the best ``limit``, less those far behind the best (not worth an alignment)."""
        n = max(len(self.index), 1)
        slots, pos = self.index.postings(hashes, max(self.max_df, n // 20))
        if not len(slots):
            return []
        df = np.bincount(pos, minlength=len(hashes))
        idf = np.log(1 + n / np.maximum(df, 1))
        uniq, inverse = np.unique(slots, return_inverse=True)
        weight = np.bincount(inverse, weights=idf[pos])
        count = np.bincount(inverse)
        weight *= date_prior(article_day, self.index.days(uniq))
        weight[count < min_hits] = 0
        order = np.argsort(-weight, kind="stable")[:limit]
        order = order[(weight[order] > 0) & (weight[order] >= ratio * weight[order[0]])]
        return [int(i) for i in self.index.original_ids(uniq[order])]
