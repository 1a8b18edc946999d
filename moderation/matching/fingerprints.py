"""64-bit token and shingle hashes, winnowed fingerprints and content hashes."""

import hashlib
from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .text import TOKEN_RE, normalize_token

SHINGLE_TOKENS = 5
WINNOW_WINDOW = 8
# Shorter shingles vote for sentence pairs during alignment: they survive light edits.
ALIGN_SHINGLE_TOKENS = 3

_U64 = np.uint64
# Odd multipliers, one per position in a shingle, so that token order matters.
_POSITION_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x27D4EB2F165667C5, 0x94D049BB133111EB],
    dtype=_U64,
)
def stable_hash(value: str, namespace: str = "") -> int:
    """64-bit hash of a string, the same in every process and on every machine."""
    digest = hashlib.blake2b((namespace + value).encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the whole 64-bit word."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


class _TokenHashes(dict):
    """Raw or normalised token -> 64-bit hash of its normalised form, filled on demand."""

    def __missing__(self, token: str) -> int:
        if len(self) > 2_000_000:
            self.clear()
        h = self[token] = stable_hash(normalize_token(token))
        return h


_token_hashes = _TokenHashes()


def token_hashes(tokens: list[str]) -> np.ndarray:
    """One 64-bit hash per token (raw tokens hash like their normalised forms)."""
    return np.fromiter(map(_token_hashes.__getitem__, tokens), dtype=_U64, count=len(tokens))


def shingle_hashes(hashes: np.ndarray, k: int = SHINGLE_TOKENS) -> np.ndarray:
    """Hash of every run of ``k`` consecutive tokens (one run of all tokens if fewer)."""
    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=_U64)
    k = min(k, n)
    acc = np.zeros(n - k + 1, dtype=_U64)
    for j in range(k):
        acc += hashes[j:n - k + 1 + j] * _POSITION_MULTIPLIERS[j]
    return _mix(acc + _U64(k))


def winnow(shingles: np.ndarray, window: int = WINNOW_WINDOW) -> np.ndarray:
    """Positions of the minimum hash of every window of ``window`` shingles (winnowing).

    Any run of ``window + k - 1`` tokens shared by two texts yields a shared fingerprint.
    """
    n = len(shingles)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    if n <= window:
        return np.array([int(np.argmin(shingles))], dtype=np.int64)
    windows = sliding_window_view(shingles, window)
    positions = windows.argmin(axis=1) + np.arange(n - window + 1)
    return np.unique(positions)


def fingerprints(token_lists: Iterable[list[str]]) -> np.ndarray:
    """Sorted distinct winnowed shingle hashes of several token runs (one per segment)."""
    parts = []
    for tokens in token_lists:
        if len(tokens) < 2:
            continue
        shingles = shingle_hashes(token_hashes(tokens))
        parts.append(shingles[winnow(shingles)])
    if not parts:
        return np.empty(0, dtype=_U64)
    return np.unique(np.concatenate(parts))


def text_fingerprints(text: str) -> np.ndarray:
    """Fingerprints of one plain text."""
    return fingerprints([TOKEN_RE.findall(text)])


def day_number(when: date | datetime | None) -> int | None:
    """Days since 1970-01-01 of a date or datetime (None stays None)."""
    if when is None:
        return None
    if isinstance(when, datetime):
        when = when.date()
    return (when - date(1970, 1, 1)).days


def content_hash(text: str, language: str = "en", published_at: date | None = None) -> str:
    """Hash of everything the index keeps about an original, to tell when to re-index it."""
    h = hashlib.blake2b(digest_size=8)
    h.update(f"{language}\x00{day_number(published_at)}\x00".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()
