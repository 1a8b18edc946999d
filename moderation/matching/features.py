"""What the index keeps of a text: winnowed shingle fingerprints and anchor hashes."""

from collections.abc import Iterable

import numpy as np

from . import anchors as A
from .fingerprints import stable_hash, text_fingerprints
from .glossary import Gloss, glossary
from .text import han_share

# Anchors share the posting arrays with shingles; the namespace keeps their hashes apart.
ANCHOR_NAMESPACE = "anchor\x00"
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


def original_features(text: str, language: str) -> tuple[np.ndarray, np.ndarray]:
    """(fingerprints, anchor hashes) of an original."""
    fps = text_fingerprints(text)
    return fps, anchor_hashes(text_anchors(text, is_chinese(language, text)))
