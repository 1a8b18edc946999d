"""Alignment of rewritten text with its original, as the best PAN text-alignment systems do.

Each sentence becomes a bag of content words: English words without stop words, stemmed;
Chinese words (dictionary segmentation, CC-CEDICT) standing for their English glosses, so
that synonyms meet. Terms are weighted by tf-isf: how rare they are among the sentences of
both texts. Names and numbers count half: two reports of one story share them without one
rewriting the other. Seeds are sentence pairs whose cosine and Dice coefficient both reach
a third (Sanchez-Perez et al., PAN 2014); a monotonic path through the seeds (dynamic
programming, order along both texts as evidence) gives the aligned pairs, and a few more
very similar pairs off the path are kept (a moved paragraph). Neighbouring pairs then form
passages (scoring.py counts a lone pair for less than a run of them).
"""

import math

import numpy as np

from .alignment import Pair
from .chinese import content_bags
from .crosslingual import monotonic_path
from .english import STOPWORDS, stem
from .text import HAN_RE, Analysed

# Seeds: both measures must reach these (PAN 2014 used 0.33 for both).
MIN_COSINE = 0.33
MIN_DICE = 0.33
# Between seeds, looser pairs (a sentence reworded with synonyms) extend a passage.
SUPPORT_COSINE = 0.2
SUPPORT_DICE = 0.2
# Pairs off the monotonic path are kept only when this similar (a moved sentence).
OFF_PATH_COSINE = 0.6
# Sentences with fewer content terms say too little to be aligned on their own.
MIN_TERMS = 3
# Names and numbers: shared by every report of a story, so they count for less.
NAME_WEIGHT = 0.5
# Pairs at most this many sentences apart on both sides belong to one passage.
PASSAGE_GAP = 3

_NUMBER_START = frozenset("0123456789")


def _english_terms(text: Analysed, lo: int, hi: int) -> dict[str, float]:
    raw = text.text
    terms: dict[str, float] = {}
    for k in range(lo, hi):
        token = text.tokens[k]
        if token in STOPWORDS or len(token) < 2:
            continue
        if HAN_RE.match(token):
            continue
        first = raw[int(text.token_starts[k])]
        # A capital opening the sentence says nothing of a name.
        weight = NAME_WEIGHT if (first.isupper() and k > lo) or first in _NUMBER_START else 1.0
        term = stem(token)
        terms[term] = max(terms.get(term, 0.0), weight)
    return terms


def sentence_terms(text: Analysed, chinese: bool = False) -> list[dict[str, float]]:
    """Per sentence: content term -> weight (1, or less for names and numbers); Chinese
    text as its dictionary words and their glosses."""
    key = ("rewrite_terms", chinese)
    cached = text.memo.get(key)
    if cached is None:
        cached = text.memo[key] = content_bags(text) if chinese else [
            _english_terms(text, s.first_token, s.last_token) for s in text.sentences]
    return cached


class _Terms:
    """A text's sentence bags as arrays: (sentence, term, weight) triples, a vocabulary
    with each term's sentence frequency, and each sentence's number of terms."""

    def __init__(self, bags: list[dict[str, float]]):
        self.vocab: dict[str, int] = {}
        sentence, term, weight = [], [], []
        for i, bag in enumerate(bags):
            for t, w in bag.items():
                k = self.vocab.setdefault(t, len(self.vocab))
                sentence.append(i)
                term.append(k)
                weight.append(w)
        self.sentence = np.array(sentence, dtype=np.int64)
        self.term = np.array(term, dtype=np.int64)
        self.weight = np.array(weight)
        self.sf = np.bincount(self.term, minlength=len(self.vocab)).astype(float)
        self.sizes = np.array([len(b) for b in bags], dtype=float)
        # Dice counts each term by its weight: a shared name is half a shared word. A term
        # shared by two sentences counts the geometric mean of its two weights (the square
        # roots multiply in the matrix product): equal weights count in full, as in the
        # masses, and the Dice stays at most 1.
        self.masses = np.array([sum(b.values()) for b in bags], dtype=float)
        self.root = np.sqrt(self.weight)
        self.count = len(bags)


def _terms(text: Analysed, chinese: bool) -> _Terms:
    key = ("rewrite_arrays", chinese)
    cached = text.memo.get(key)
    if cached is None:
        cached = text.memo[key] = _Terms(sentence_terms(text, chinese))
    return cached


def _isf(a: _Terms, o: _Terms) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """isf of each term of both texts' vocabularies, and the (a, o) term ids they share.

    A term's sentence frequency is the larger of its frequencies in the two texts, not
    their sum: a word found once in each text is exactly the evidence sought, and summing
    would make every shared word of two short texts look common."""
    total = max(a.count, o.count) + 1
    shared = [(k, o.vocab[t]) for t, k in a.vocab.items() if t in o.vocab]
    a_sf, o_sf = a.sf.copy(), o.sf.copy()
    if shared:
        ka, ko = np.array(shared).T
        both = np.maximum(a.sf[ka], o.sf[ko])
        a_sf[ka] = both
        o_sf[ko] = both
    return np.log(total / np.maximum(a_sf, 1)) + 0.1, np.log(total / np.maximum(o_sf, 1)) + 0.1, \
        shared


def _matrix(t: _Terms, isf: np.ndarray, columns: np.ndarray, width: int,
            plain: bool) -> np.ndarray:
    """Sentences x shared terms: tf-isf weights (or the square roots of the plain weights)."""
    out = np.zeros((t.count, width))
    col = columns[t.term]
    keep = col >= 0
    out[t.sentence[keep], col[keep]] = (t.root if plain else t.weight * isf[t.term])[keep]
    return out


def similarity(a_bags, o_bags, a_skip: np.ndarray | None = None,
               o_skip: np.ndarray | None = None, min_cosine: float = MIN_COSINE,
               min_dice: float = MIN_DICE) -> tuple[np.ndarray, np.ndarray]:
    """Cosine (tf-isf) and Dice of every sentence pair reaching both minimums, else 0.

    ``a_bags``, ``o_bags``: lists of sentence bags (term -> weight), or their arrays."""
    a = a_bags if isinstance(a_bags, _Terms) else _Terms(a_bags)
    o = o_bags if isinstance(o_bags, _Terms) else _Terms(o_bags)
    n, m = a.count, o.count
    if not n or not m:
        return np.zeros((n, m)), np.zeros((n, m))
    a_isf, o_isf, shared = _isf(a, o)
    if not shared:
        return np.zeros((n, m)), np.zeros((n, m))
    a_cols = np.full(len(a.vocab), -1, dtype=np.int64)
    o_cols = np.full(len(o.vocab), -1, dtype=np.int64)
    ka, ko = np.array(shared).T
    a_cols[ka] = np.arange(len(shared))
    o_cols[ko] = np.arange(len(shared))
    a_norm = np.sqrt(np.bincount(a.sentence, weights=(a.weight * a_isf[a.term]) ** 2,
                                 minlength=n))
    o_norm = np.sqrt(np.bincount(o.sentence, weights=(o.weight * o_isf[o.term]) ** 2,
                                 minlength=m))
    k = len(shared)
    dot = _matrix(a, a_isf, a_cols, k, False) @ _matrix(o, o_isf, o_cols, k, False).T
    both = _matrix(a, a_isf, a_cols, k, True) @ _matrix(o, o_isf, o_cols, k, True).T
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = np.nan_to_num(dot / np.outer(a_norm, o_norm))
        dice = np.nan_to_num(2 * both / (a.masses[:, None] + o.masses[None, :]))
    keep = (cos >= min_cosine) & (dice >= min_dice)
    keep[a.sizes < MIN_TERMS] = False
    keep[:, o.sizes < MIN_TERMS] = False
    if a_skip is not None:
        keep[a_skip] = False
    if o_skip is not None:
        keep[:, o_skip] = False
    return np.where(keep, np.minimum(cos, 1.0), 0.0), np.where(keep, dice, 0.0)


def _cosine(a: dict[str, float], b: dict[str, float], isf: dict[str, float]) -> float:
    """tf-isf cosine of two bags (term -> summed weight)."""
    dot = sum(w * b[t] * isf[t] ** 2 for t, w in a.items() if t in b)
    na = math.sqrt(sum((w * isf[t]) ** 2 for t, w in a.items()))
    nb = math.sqrt(sum((w * isf[t]) ** 2 for t, w in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def _merged(bags: list[dict[str, float]], first: int, last: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for bag in bags[first:last + 1]:
        for t, w in bag.items():
            out[t] = out.get(t, 0.0) + w
    return out


def _sentences_touching(text: Analysed, tokens: np.ndarray | None) -> np.ndarray:
    """Sentences mostly made of tokens set in ``tokens`` (already aligned as copies)."""
    if tokens is None or not len(tokens) or not text.sentences:
        return np.zeros(len(text.sentences), dtype=bool)
    starts = np.fromiter((s.first_token for s in text.sentences), dtype=np.int64,
                         count=len(text.sentences))
    ends = np.fromiter((s.last_token for s in text.sentences), dtype=np.int64,
                       count=len(text.sentences))
    done = np.concatenate([[0], np.cumsum(tokens, dtype=np.int64)])
    return (done[ends] - done[starts]) * 2 >= np.maximum(ends - starts, 1)


def align_rewrites(article: Analysed, original: Analysed, a_done: np.ndarray | None = None,
                   o_done: np.ndarray | None = None, chinese: bool = False) -> list[Pair]:
    """Aligned passages of reworded text: (article region, original region) pairs with the
    tf-isf cosine of the two regions as their similarity, in article order.

    Seeds that follow each other on both sides (a few sentences apart at most) make one
    passage spanning the sentences between them, as PAN's extension step does: a rewrite
    splits, merges and drops sentences, so not every sentence of it has a partner. Sentences
    mostly covered by tokens marked in ``a_done`` / ``o_done`` (already aligned as copies)
    are left out.
    """
    if not article.sentences or not original.sentences:
        return []
    a_skip = _sentences_touching(article, a_done)
    o_skip = _sentences_touching(original, o_done)
    a_bags, o_bags = sentence_terms(article, chinese), sentence_terms(original, chinese)
    a_terms, o_terms = _terms(article, chinese), _terms(original, chinese)
    sim, dice = similarity(a_terms, o_terms, a_skip, o_skip, SUPPORT_COSINE, SUPPORT_DICE)
    seed = (sim >= MIN_COSINE) & (dice >= MIN_DICE)
    if not seed.any():
        return []
    path = monotonic_path(sim, SUPPORT_COSINE - 0.05)
    used_a = {i for i, _ in path}
    used_o = {j for _, j in path}
    extra = []
    for i, j in zip(*np.nonzero(seed & (sim >= OFF_PATH_COSINE)), strict=True):
        if i not in used_a and j not in used_o:
            extra.append((float(sim[i, j]), int(i), int(j)))
    for _, i, j in sorted(extra, reverse=True):
        if i not in used_a and j not in used_o:
            path.append((i, j))
            used_a.add(i)
            used_o.add(j)
    a_isf, o_isf, _ = _isf(a_terms, o_terms)
    isf = {t: a_isf[k] for t, k in a_terms.vocab.items()}
    isf.update((t, o_isf[k]) for t, k in o_terms.vocab.items())
    out = []
    for group in _groups(sorted(path), a_skip, o_skip):
        # Loose pairs on their own are no evidence; beside a seed they extend its passage
        # if the passage as a whole still reads as a rewrite (checked below).
        seeds = [(i, j) for i, j in group if seed[i, j]]
        if not seeds:
            continue
        (ai, oi), (aj, oj) = group[0], group[-1]
        if len(group) == 1:
            cos = float(sim[ai, oi])
        else:
            cos = _cosine(_merged(a_bags, ai, aj), _merged(o_bags, oi, oj), isf)
            if cos < MIN_COSINE:
                # The sentences between the seeds are not a rewrite: keep the seeds alone.
                for i, j in seeds:
                    a, o = article.sentences[i], original.sentences[j]
                    out.append(Pair(a.first_token, a.last_token, o.first_token,
                                    o.last_token, float(sim[i, j]), seeds=1,
                                    seed_sentences=(int(i),)))
                continue
        out.append(Pair(article.sentences[ai].first_token, article.sentences[aj].last_token,
                        original.sentences[oi].first_token, original.sentences[oj].last_token,
                        cos, seeds=len(seeds),
                        seed_sentences=tuple(sorted({int(i) for i, _ in seeds}))))
    out.sort(key=lambda p: p.a_lo)
    return out


def _groups(path: list[tuple[int, int]], a_skip: np.ndarray, o_skip: np.ndarray
            ) -> list[list[tuple[int, int]]]:
    """Seeds in runs: each next one a few sentences on along both texts, nothing copied
    between them."""
    out: list[list[tuple[int, int]]] = []
    for i, j in path:
        if out:
            li, lj = out[-1][-1]
            if 0 < i - li <= PASSAGE_GAP and 0 < j - lj <= PASSAGE_GAP \
                    and not a_skip[li:i].any() and not o_skip[lj:j].any():
                out[-1].append((i, j))
                continue
        out.append([(i, j)])
    return out
