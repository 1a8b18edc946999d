"""The engine: candidates from the index, alignment of the best ones, scored matches."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from . import storage
from .alignment import Pair, align
from .crosslingual import align_translation, chinese_words
from .features import anchor_hashes, content_terms, is_chinese, stem_hashes, text_anchors
from .fingerprints import day_number, fingerprints
from .index import Index
from .paraphrase import align_rewrites
from .results import NONE, Match, OriginalText
from .scoring import MIN_COVERAGE, Scored, SegmentPairs, pair_weight, score
from .selection import NEW_SHARE, select
from .text import Analysed, analyse, han_weight

# Only this much of an article or original is read: a 1 MB page stays well under a second.
MAX_CHARS = 100_000
# Shingles held by more originals than this are boilerplate or stock phrases.
MAX_DF = 1000
# Matches scoring less are not reported.
MIN_SCORE = 0.25
# Candidates need this many shared fingerprints, or anchors, to be aligned at all.
MIN_HITS = 2
MIN_ANCHORS = 3
ANCHOR_CANDIDATES = 4
# Fingerprint candidates considered (most are skipped once better ones explain them).
MAX_CANDIDATES = 50
ANCHOR_RATIO = 0.5
# Candidates from content-word sketches (a rewrite keeps its original's words, not its
# phrases): this many at most, holding this many sampled stems, within this ratio of the
# best; tried only while no match explains most of the article yet.
STEM_CANDIDATES = 2
MIN_STEM_HITS = 4
STEM_RATIO = 0.6
EXPLAINED = 0.7
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
class _Segment:
    language: str
    chinese: bool
    text: Analysed


def _prepare(segments: Segments | str) -> list[_Segment]:
    if isinstance(segments, str):
        segments = [("other", segments)]
    out = []
    for language, text in segments:
        text = text or ""
        found = analysed(text)
        out.append(_Segment(language, is_chinese(language, found.text), found))
    return out


def _compare(segments: list[_Segment], original: OriginalText, original_id: int | None,
             min_score: float = MIN_SCORE, min_coverage: float = MIN_COVERAGE,
             rewrites: bool = True) -> Scored:
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
    return _compare(_prepare(article), original, original_id, min_score, min_coverage).match


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
        # Candidates of the last few texts: `candidate_ids` (is a new match needed?) and then
        # `match` of the same article look them up once, not twice.
        self._recent: OrderedDict[tuple, list] = OrderedDict()

    def _remembered(self, method: str, segs: list[_Segment], article_day: int | None,
                    *args) -> list:
        """``getattr(self, method)(segs, article_day, *args)``, kept for the next call with
        the same texts while the index is unchanged."""
        key = (method, args, article_day, self.index.version,
               tuple((s.language, s.text.text) for s in segs))
        found = self._recent.get(key)
        if found is None:
            found = self._recent[key] = getattr(self, method)(segs, article_day, *args)
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
        segs = _prepare(segments)
        scored: list[Scored] = []
        partial: list[Scored] = []  # sources explaining too little of it on their own
        explained: set[int] = set()
        kept_hits: list[frozenset[int]] = []
        verified = 0
        article_day = day_number(published_at)
        # Content-word candidates (rewrites) are looked up only when the cheap ones leave
        # doubt: their postings are long (common words), most of a query's cost at scale.
        candidates = self._remembered("_candidates", segs, article_day, False)
        seen = {original_id for original_id, _hits, _sketched in candidates}
        for found in (candidates, None):
            if found is None:
                if verified >= limit * 2 + 3 or any(
                        r.match.article_coverage >= EXPLAINED for r in scored):
                    break
                found = [(i, frozenset(), True) for i in
                         self._remembered("_stem_candidates", segs, article_day)
                         if i not in seen]
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
                result = _compare(segs, original, original_id, self.min_score,
                                  self.min_coverage, rewrites=not any(
                                      r.match.article_coverage >= EXPLAINED for r in scored))
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
        segs, day = _prepare(segments), day_number(published_at)
        found = {original_id for original_id, _hits, _sketched in
                 self._remembered("_candidates", segs, day, False)}
        return sorted(found | set(self._remembered("_stem_candidates", segs, day)))

    def _candidates(self, segs: list[_Segment], article_day: int | None,
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
            for original_id in self._anchor_candidates(segs, article_day):
                out.setdefault(original_id, frozenset())
        found = [(i, hits, False) for i, hits in out.items()]
        for original_id in self._stem_candidates(segs, article_day) if with_stems else ():
            if original_id not in out:
                found.append((original_id, frozenset(), True))
        return found

    def _stem_candidates(self, segs: list[_Segment], article_day: int | None) -> list[int]:
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
        if len(hashes) < MIN_STEM_HITS:
            return []
        return self._weighted(hashes, article_day, MIN_STEM_HITS, STEM_CANDIDATES, STEM_RATIO)

    def _anchor_candidates(self, segs: list[_Segment], article_day: int | None) -> list[int]:
        found: list[str] = []
        for s in segs:
            found += text_anchors(s.text.text, s.chinese,
                                  chinese_words(s.text) if s.chinese else None)
        hashes = anchor_hashes(found)
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

