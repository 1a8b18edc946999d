"""Sentence-level alignment of two texts in the same language (rapidfuzz on sentence pairs).

Short shingles shared by both texts vote for sentence pairs; rapidfuzz only compares the
pairs voted for (and sentences between two aligned pairs), never whole pages, so the
cost stays linear in the length of the texts.
"""

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .fingerprints import ALIGN_SHINGLE_TOKENS, shingle_hashes, token_hashes
from .text import Analysed, normalize

# Pairs below this similarity are not aligned at all.
MIN_SIMILARITY = 0.5
# A region covering this share of a sentence's tokens is widened to the whole sentence.
WHOLE_SENTENCE = 0.7
# Shorter runs (a name, a set phrase) are no evidence unless they are whole sentences
# (measured in words: ten Chinese characters make six).
MIN_TOKENS = 6
# Words inserted or deleted between two shared shingles that still continue one run.
MAX_SHIFT = 6
# Unaligned sentences between two aligned ones are compared by rapidfuzz up to this many.
MAX_GAP = 12


@dataclass
class Pair:
    """Aligned regions: token ranges [lo, hi) in the article and in the original."""

    a_lo: int
    a_hi: int
    o_lo: int
    o_hi: int
    similarity: float
    # Pieces of the original cut and joined: every article word found, in order.
    cut: bool = False
    # A reworded passage (paraphrase.py): its seeds (sentence pairs similar on their own,
    # not only as part of the passage), and the article sentences they hold.
    seeds: int = 0
    seed_sentences: tuple[int, ...] = ()


@dataclass
class _Shingles:
    hashes: np.ndarray
    sentence: np.ndarray


def _shingles(text: Analysed) -> _Shingles:
    cached = text.memo.get("align_shingles")
    if cached is not None:
        return cached
    hashes = shingle_hashes(token_hashes(text.tokens), ALIGN_SHINGLE_TOKENS)
    owner = np.zeros(len(text.tokens), dtype=np.int64)
    for i, s in enumerate(text.sentences):
        owner[s.first_token:s.last_token] = i
    result = _Shingles(hashes, owner[:len(hashes)])
    text.memo["align_shingles"] = result
    return result


def _sentence_starts(text: Analysed) -> np.ndarray:
    cached = text.memo.get("sentence_starts")
    if cached is None:
        cached = np.fromiter((s.first_token for s in text.sentences), dtype=np.int64,
                             count=len(text.sentences))
        text.memo["sentence_starts"] = cached
    return cached


def _region(text: Analysed, lo: int, hi: int, taken: np.ndarray) -> tuple[int, int]:
    """Widen a token range to its sentences' edges where it covers most of them.

    Tokens ``taken`` by another run are never swallowed: they belong to another pair.
    """
    starts = _sentence_starts(text)
    first = text.sentences[int(np.searchsorted(starts, lo, "right")) - 1]
    last = text.sentences[int(np.searchsorted(starts, hi - 1, "right")) - 1]
    slack = 1 - WHOLE_SENTENCE
    if lo - first.first_token <= slack * (first.last_token - first.first_token) and \
            not taken[first.first_token:lo].any():
        lo = first.first_token
    if last.last_token - hi <= slack * (last.last_token - last.first_token) and \
            not taken[hi:last.last_token].any():
        hi = last.last_token
    return lo, hi


def _is_sentence(text: Analysed, lo: int, hi: int) -> bool:
    """True if [lo, hi) is exactly one or more whole sentences."""
    starts = _sentence_starts(text)
    i = int(np.searchsorted(starts, lo))
    j = int(np.searchsorted(starts, hi - 1, "right")) - 1
    return i < len(starts) and starts[i] == lo and text.sentences[j].last_token == hi


def region_text(text: Analysed, lo: int, hi: int) -> str:
    """Normalised text of the token range [lo, hi)."""
    start, end = text.char_span(lo, hi)
    return normalize(text.text[start:end])


def _occurrences(original: Analysed) -> dict[int, list[int]]:
    cached = original.memo.get("align_where")
    if cached is None:
        cached = {}
        for pos, h in enumerate(_shingles(original).hashes.tolist()):
            cached.setdefault(h, []).append(pos)
        original.memo["align_where"] = cached
    return cached


def _runs(article: Analysed, original: Analysed) -> list[tuple[int, int, int, int]]:
    """Token ranges (a_lo, a_hi, o_lo, o_hi) of runs of shingles shared in order.

    A run follows a diagonal: each next shared shingle sits about as far on in the
    original as in the article (up to ``MAX_SHIFT`` tokens of edits). Where a shingle
    occurs several times in the original, a run starts at the occurrence in the original
    sentence most of the article sentence's shingles point at, so a repeated phrase (a
    title) is not followed. Glued, merged or split sentences still give the right runs.
    """
    a, o = _shingles(article), _shingles(original)
    if not len(a.hashes) or not len(o.hashes):
        return []
    # Shingles reaching into the next article sentence would tie unrelated sentences.
    ends = np.fromiter((s.last_token for s in article.sentences), dtype=np.int64,
                       count=len(article.sentences))
    inside = np.arange(len(a.hashes)) + ALIGN_SHINGLE_TOKENS <= ends[a.sentence]
    a_pos = np.flatnonzero(np.isin(a.hashes, o.hashes) & inside)
    if not len(a_pos):
        return []
    where = _occurrences(original)
    o_sent = o.sentence
    a_hashes = a.hashes[a_pos].tolist()
    a_sent = a.sentence[a_pos]
    runs: list[list[tuple[int, int]]] = []
    cuts = np.flatnonzero(np.diff(a_sent)) + 1
    for chunk in np.split(np.arange(len(a_pos)), cuts):
        votes: dict[int, int] = {}
        for i in chunk:
            for s in {int(o_sent[p]) for p in where[a_hashes[i]]}:
                votes[s] = votes.get(s, 0) + 1
        run: list[tuple[int, int]] = []  # (article position, original position)
        for i in chunk:
            ap, occurrences = int(a_pos[i]), where[a_hashes[i]]
            if run:
                expected = run[-1][1] + ap - run[-1][0]
                p = min(occurrences, key=lambda q: abs(q - expected))
                if p > run[-1][1] and abs(p - expected) <= MAX_SHIFT:
                    run.append((ap, p))
                    continue
                runs.append(run)
            p = max(occurrences, key=lambda q: (votes[int(o_sent[q])], -q))
            run = [(ap, p)]
        runs.append(run)
    out = []
    for run in runs:
        sentence = article.sentences[int(a.sentence[run[0][0]])]
        if len(run) < 2 and sentence.last_token - sentence.first_token > 4:
            continue
        out.append(_extend(article, original, sentence.first_token, sentence.last_token,
                           run[0][0], run[-1][0] + ALIGN_SHINGLE_TOKENS,
                           run[0][1], run[-1][1] + ALIGN_SHINGLE_TOKENS))
    return out


def _extend(article: Analysed, original: Analysed, first: int, last: int, a_lo: int, a_hi: int,
            o_lo: int, o_hi: int) -> tuple[int, int, int, int]:
    """Grow a run over equal tokens on either side, within article tokens [first, last)."""
    at, ot = article.tokens, original.tokens
    a_hi, o_hi = min(a_hi, last), min(o_hi, len(ot))
    while a_lo > first and o_lo > 0 and at[a_lo - 1] == ot[o_lo - 1]:
        a_lo, o_lo = a_lo - 1, o_lo - 1
    while a_hi < last and o_hi < len(ot) and at[a_hi] == ot[o_hi]:
        a_hi, o_hi = a_hi + 1, o_hi + 1
    return a_lo, a_hi, o_lo, o_hi


def _similarity(article: Analysed, original: Analysed, a_lo, a_hi, o_lo, o_hi) -> float:
    return fuzz.ratio(region_text(article, a_lo, a_hi), region_text(original, o_lo, o_hi)) / 100


def align(article: Analysed, original: Analysed) -> list[Pair]:
    """Aligned sentence regions of two texts in the same language, in article order."""
    pairs: list[Pair] = []
    runs = _runs(article, original)
    a_taken = np.zeros(len(article.tokens), dtype=np.int32)
    o_taken = np.zeros(len(original.tokens), dtype=np.int32)
    for a_lo, a_hi, o_lo, o_hi in runs:
        a_taken[a_lo:a_hi] += 1
        o_taken[o_lo:o_hi] += 1
    for a_lo, a_hi, o_lo, o_hi in runs:
        a_taken[a_lo:a_hi] -= 1
        o_taken[o_lo:o_hi] -= 1
        short = article.token_weight(a_lo, a_hi) < MIN_TOKENS
        a_lo, a_hi = _region(article, a_lo, a_hi, a_taken > 0)
        o_lo, o_hi = _region(original, o_lo, o_hi, o_taken > 0)
        a_taken[a_lo:a_hi] += 1
        o_taken[o_lo:o_hi] += 1
        if short and not (
                _is_sentence(article, a_lo, a_hi) and _is_sentence(original, o_lo, o_hi)):
            continue
        sim = _similarity(article, original, a_lo, a_hi, o_lo, o_hi)
        if sim >= MIN_SIMILARITY:
            pairs.append(Pair(a_lo, a_hi, o_lo, o_hi, sim))
    return _fill_gaps(article, original, pairs)


def _sentence_index(text: Analysed, token: int) -> int:
    return int(np.searchsorted(_sentence_starts(text), token, "right")) - 1


def _fill_gaps(article: Analysed, original: Analysed, pairs: list[Pair]) -> list[Pair]:
    """Align edited sentences lying between two aligned pairs (no shingle left in common)."""
    if len(pairs) < 2:
        return pairs
    out = [pairs[0]]
    for prev, nxt in zip(pairs, pairs[1:], strict=False):
        a_first = _sentence_index(article, prev.a_hi - 1) + 1
        a_last = _sentence_index(article, nxt.a_lo)
        o_first = _sentence_index(original, prev.o_hi - 1) + 1
        o_last = _sentence_index(original, nxt.o_lo)
        if 0 < a_last - a_first <= MAX_GAP and 0 < o_last - o_first <= MAX_GAP:
            choices = [original.sentence_norm(j) for j in range(o_first, o_last)]
            for i in range(a_first, a_last):
                s = article.sentences[i]
                best = process.extractOne(article.sentence_norm(i), choices, scorer=fuzz.ratio,
                                          score_cutoff=MIN_SIMILARITY * 100)
                if best is not None:
                    o = original.sentences[o_first + best[2]]
                    out.append(Pair(s.first_token, s.last_token, o.first_token, o.last_token,
                                    best[1] / 100))
        out.append(nxt)
    return out
