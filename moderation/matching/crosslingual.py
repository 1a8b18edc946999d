"""Alignment of a Chinese translation with its English original, sentence by sentence.

Chinese sentences are glossed into English stems with CC-CEDICT; both sides add their
anchors (numbers by value, dates, Latin-script names). A sentence pair is scored by the
weighted share of glossed words found on the other side, in both directions; a monotonic
path through the score matrix (dynamic programming) gives the aligned pairs.
"""

import math
from bisect import bisect_left

import numpy as np

from . import anchors as A
from .alignment import Pair
from .english import content_stems
from .glossary import Gloss, glossary
from .text import Analysed

# Pairs scoring below this are left out of the path (unrelated sentences score ~0.05).
MIN_PAIR_SIMILARITY = 0.12
ANCHOR_WEIGHT = 2.0
LATIN_WEIGHT = 1.5
SINGLE_CHARACTER_WEIGHT = 0.5

Group = tuple[frozenset[str], float]


def chinese_words(text: Analysed) -> list[tuple[int, int, Gloss | None]]:
    """CC-CEDICT words of a Chinese text by greedy longest match, with their glosses.

    Translations are aligned on these rather than on jieba's words: on the seed page and
    the hand-made translations (tests/benchmarks/matching_accuracy.py) jieba's words gave
    the same results, and loading jieba would cost every check of a Chinese page a second.
    The index's sketches of Chinese originals are made of the same words
    (features.text_terms), so candidates are looked up with them too.
    """
    cached = text.memo.get("zh_dictionary_words")
    if cached is None:
        cached = text.memo["zh_dictionary_words"] = glossary().segment(text.text)
    return cached


def glossed_stems(text: Analysed) -> set[str]:
    """English stems of a Chinese text's dictionary words of two characters or more: what
    an English original of it holds (a query translated word by word, each word standing
    for all its senses; the index's content-word sketches answer it)."""
    cached = text.memo.get("zh_glossed_stems")
    if cached is None:
        cached = set()
        for start, end, gloss in chinese_words(text):
            if gloss is not None and end - start > 1:
                cached |= gloss.stems
        text.memo["zh_glossed_stems"] = cached
    return cached


def chinese_bags(text: Analysed) -> list[list[Group]]:
    """For each sentence of a Chinese text, its glossed words as groups of alternatives."""
    cached = text.memo.get("zh_bags")
    if cached is not None:
        return cached
    words = chinese_words(text)
    starts = [w[0] for w in words]
    bags = []
    for s in text.sentences:
        raw = text.text[s.start:s.end]
        groups: list[Group] = []
        for start, end, gloss in words[bisect_left(starts, s.start):bisect_left(starts, s.end)]:
            if gloss is not None:
                weight = 1.0 if end - start > 1 else SINGLE_CHARACTER_WEIGHT
                groups.append((gloss.stems, weight))
        for anchor in A.chinese_numbers(raw) + A.chinese_dates(raw):
            groups.append((frozenset((anchor,)), ANCHOR_WEIGHT))
        for word in A.latin_words(raw):
            groups.append((frozenset((word,)), LATIN_WEIGHT))
        bags.append(groups)
    text.memo["zh_bags"] = bags
    return bags


def english_bags(text: Analysed) -> list[set[str]]:
    """For each sentence of an English text, its content stems and anchors."""
    cached = text.memo.get("en_bags")
    if cached is not None:
        return cached
    bags = []
    for s in text.sentences:
        raw = text.text[s.start:s.end]
        bags.append(set(content_stems(raw)) | set(A.english_numbers(raw))
                    | set(A.english_dates(raw)))
    text.memo["en_bags"] = bags
    return bags


def similarity_matrix(zh: list[list[Group]], en: list[set[str]]) -> np.ndarray:
    """F-measure of glossed-word overlap for every (Chinese, English) sentence pair."""
    n_en = len(en)
    postings: dict[str, list[int]] = {}
    for j, bag in enumerate(en):
        for term in bag:
            postings.setdefault(term, []).append(j)
    # Words found in few English sentences tell more about which sentence is meant.
    idf = {t: math.log(1 + n_en / len(p)) for t, p in postings.items()}
    default_idf = math.log(1 + n_en)
    en_total = [sum(idf[t] for t in bag) + 1e-9 for bag in en]
    out = np.zeros((len(zh), n_en))
    for i, groups in enumerate(zh):
        zh_matched: dict[int, float] = {}
        en_matched: dict[int, float] = {}
        zh_total = 0.0
        seen: set[str] = set()
        for alternatives, weight in groups:
            hit: set[int] = set()
            best_idf = 0.0
            for term in alternatives:
                p = postings.get(term)
                if p is None:
                    continue
                hit.update(p)
                t_idf = idf[term]
                best_idf = max(best_idf, t_idf)
                if term not in seen:
                    seen.add(term)
                    for j in p:
                        en_matched[j] = en_matched.get(j, 0.0) + t_idf
            w = weight * (best_idf or default_idf)
            zh_total += w
            for j in hit:
                zh_matched[j] = zh_matched.get(j, 0.0) + w
        if not zh_total:
            continue
        row = out[i]
        for j, matched in zh_matched.items():
            r_zh = matched / zh_total
            r_en = min(1.0, en_matched.get(j, 0.0) / en_total[j])
            if r_zh + r_en > 0:
                row[j] = 2 * r_zh * r_en / (r_zh + r_en)
    return out


def monotonic_path(sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Pairs (i, j), increasing in both, maximising the sum of ``sim - threshold``."""
    n, m = sim.shape
    if not n or not m:
        return []
    gain = np.where(sim > threshold, sim - threshold, -np.inf)
    table = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        prev = table[i - 1]
        best = np.maximum(prev[1:], prev[:-1] + gain[i - 1])
        table[i, 1:] = np.maximum.accumulate(best)
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        if table[i, j] == table[i, j - 1]:
            j -= 1
        elif table[i, j] == table[i - 1, j]:
            i -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


def _sentences_touching(text: Analysed, tokens: np.ndarray | None) -> np.ndarray:
    """Which sentences of ``text`` contain a token set in the boolean array ``tokens``."""
    out = np.zeros(len(text.sentences), dtype=bool)
    if tokens is not None:
        for i, s in enumerate(text.sentences):
            out[i] = tokens[s.first_token:s.last_token].any()
    return out


def align_translation(zh: Analysed, en: Analysed, zh_done: np.ndarray | None = None,
                      en_done: np.ndarray | None = None) -> list[Pair]:
    """Aligned (Chinese sentence, English sentence) pairs with their similarity.

    Sentences touching tokens marked in ``zh_done`` / ``en_done`` (already aligned word
    for word, e.g. an English passage inside a Chinese page) are left out.
    """
    if not zh.sentences or not en.sentences:
        return []
    sim = similarity_matrix(chinese_bags(zh), english_bags(en))
    sim[_sentences_touching(zh, zh_done)] = 0.0
    sim[:, _sentences_touching(en, en_done)] = 0.0
    out = []
    for i, j in monotonic_path(sim, MIN_PAIR_SIMILARITY):
        a, o = zh.sentences[i], en.sentences[j]
        out.append(Pair(a.first_token, a.last_token, o.first_token, o.last_token,
                        float(sim[i, j])))
    return out
