"""What the index keeps of a text: winnowed shingle fingerprints and anchor hashes."""

from collections.abc import Iterable

import numpy as np

from . import anchors as A
from .english import STOPWORDS, stem
from .fingerprints import stable_hash, text_fingerprints
from .glossary import Gloss, glossary
from .text import HAN_RE, han_share, tokenize

# Anchors share the posting arrays with shingles; the namespace keeps their hashes apart.
ANCHOR_NAMESPACE = "anchor\x00"
# Content-word sketches share the posting arrays too, in a namespace of their own.
STEM_NAMESPACE = "stem\x00"
# An original keeps the content stems whose hash falls in 1 of this many buckets: a rewrite
# keeps many of its original's content words (few of its 5-word runs), and the same stems
# are kept in every text, so a query looks all of its stems up and finds the kept ones.
STEM_SAMPLE = 5
# Only this many tokens of a text are read for its sketch.
STEM_TOKENS = 20_000
# Share of Han tokens above which a text is read as Chinese whatever its label says.
CHINESE_SHARE = 0.3


def is_chinese(language: str, text: str) -> bool:
    """Whether to read ``text`` as Chinese (by its label, or by its characters)."""
    if language.lower().startswith("zh"):
        return True
    # An English label is trusted: site chrome makes many English pages half Chinese.
    if language.lower().startswith("en") or not A.has_han(text):
        return False
    return han_share(text) >= CHINESE_SHARE


def glossed_names(words: list[tuple[int, int, Gloss | None]]) -> list[str]:
    """English name stems of the Chinese words that CC-CEDICT knows as names."""
    out: list[str] = []
    for _, _, gloss in words:
        if gloss is not None and gloss.names:
            out.extend(gloss.names)
    return out


def text_anchors(text: str, chinese: bool,
                 words: list[tuple[int, int, Gloss | None]] | None = None) -> list[str]:
    """Anchors of one text read as Chinese or as a Latin-script language.

    ``words``: the text's glossed Chinese words, if already at hand.
    """
    if chinese:
        if words is None:
            words = glossary().segment(text)
        return A.chinese_anchors(text) + glossed_names(words)
    found = A.english_anchors(text)
    if A.has_han(text):
        # Chinese passages inside a mostly English text (site chrome, quotes) still count.
        found += A.chinese_numbers(text) + A.chinese_dates(text)
    return found


class _AnchorHashes(dict):
    """Anchor -> 64-bit hash, filled on demand (anchors repeat across originals)."""

    def __missing__(self, anchor: str) -> int:
        if len(self) > 1_000_000:
            self.clear()
        h = self[anchor] = stable_hash(anchor, ANCHOR_NAMESPACE)
        return h


_anchor_hashes = _AnchorHashes()


def anchor_hashes(anchors: Iterable[str]) -> np.ndarray:
    """Sorted distinct 64-bit hashes of anchors."""
    hashes = {_anchor_hashes[a] for a in set(anchors)}
    return np.array(sorted(hashes), dtype=np.uint64)


class _StemHashes(dict):
    """Stem -> 64-bit hash in the stem namespace, filled on demand."""

    def __missing__(self, word: str) -> int:
        if len(self) > 1_000_000:
            self.clear()
        h = self[word] = stable_hash(word, STEM_NAMESPACE)
        return h


_stem_hashes = _StemHashes()


def content_terms(tokens: list[str], chinese_words: Iterable[str] | None = None) -> set[str]:
    """Content stems of English tokens (stop words, single letters and Han left out), or
    the Chinese words of two characters or more."""
    if chinese_words is not None:
        return {w for w in chinese_words if len(w) >= 2}
    return {stem(t) for t in tokens[:STEM_TOKENS]
            if len(t) > 1 and t not in STOPWORDS and not HAN_RE.match(t)}


def stem_hashes(terms: Iterable[str], sampled: bool) -> np.ndarray:
    """Sorted distinct hashes of content terms; only the sampled bucket if ``sampled``."""
    hashes = {_stem_hashes[t] for t in terms}
    if sampled:
        hashes = {h for h in hashes if h % STEM_SAMPLE == 0}
    return np.array(sorted(hashes), dtype=np.uint64)


def text_terms(text: str, chinese: bool) -> set[str]:
    """Content terms of a whole text (for its sketch)."""
    if chinese:
        return content_terms([], (text[a:b] for a, b, _ in glossary().segment(text[:STEM_TOKENS])))
    return content_terms(tokenize(text[:STEM_TOKENS * 8]))


def original_features(text: str, language: str) -> tuple[np.ndarray, np.ndarray]:
    """(fingerprints, anchor and content-stem hashes) of an original."""
    fps = text_fingerprints(text)
    chinese = is_chinese(language, text)
    anchors = anchor_hashes(text_anchors(text, chinese))
    return fps, np.union1d(anchors, stem_hashes(text_terms(text, chinese), sampled=True))
