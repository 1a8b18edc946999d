"""Sorted (hash, slot) posting arrays: lookups with a document-frequency cut, and merges."""

from collections.abc import Sequence

import numpy as np

Postings = tuple[np.ndarray, np.ndarray]


def empty() -> Postings:
    """No postings."""
    return np.empty(0, np.uint64), np.empty(0, np.uint32)


def sort(chunks: Sequence[Postings]) -> Postings:
    """One sorted posting array from unsorted chunks."""
    if not chunks:
        return empty()
    hashes = np.concatenate([c[0] for c in chunks])
    slots = np.concatenate([c[1] for c in chunks])
    order = np.argsort(hashes, kind="stable")
    return hashes[order], slots[order]


def lookup(parts: Sequence[Postings], hashes: np.ndarray, max_df: int) -> tuple[np.ndarray, ...]:
    """(slots, query positions, document frequencies) of ``hashes`` in sorted posting arrays.

    A hash held by more than ``max_df`` postings (over all parts) yields none of them.
    """
    bounds = [(np.searchsorted(h, hashes, "left"), np.searchsorted(h, hashes, "right"))
              for h, _ in parts]
    df = sum((hi - lo for lo, hi in bounds), np.zeros(len(hashes), dtype=np.int64))
    wanted = df <= max_df
    out_slots, out_pos = [], []
    for (_, slots), (lo, hi) in zip(parts, bounds, strict=True):
        counts = np.where(wanted, hi - lo, 0)
        total = int(counts.sum())
        if not total:
            continue
        # Expand each hash's range [lo, hi) into positions without a Python loop.
        first = np.repeat(lo - np.cumsum(counts) + counts, counts)
        out_slots.append(np.asarray(slots[first + np.arange(total)], dtype=np.int64))
        out_pos.append(np.repeat(np.arange(len(hashes)), counts))
    if not out_slots:
        return np.empty(0, np.int64), np.empty(0, np.int64), df
    return np.concatenate(out_slots), np.concatenate(out_pos), df


def compact(parts: Sequence[Postings], alive: np.ndarray) -> Postings:
    """Postings of live slots only, slots renumbered 0.. in order, sorted by hash."""
    remap = np.full(max(len(alive), 1), -1, dtype=np.int64)
    keep = np.flatnonzero(alive)
    remap[keep] = np.arange(len(keep))
    hashes = np.concatenate([np.asarray(h) for h, _ in parts])
    slots = np.concatenate([np.asarray(s, dtype=np.int64) for _, s in parts])
    live = alive[slots]
    hashes, slots = hashes[live], remap[slots[live]].astype(np.uint32)
    order = np.argsort(hashes, kind="stable")
    return hashes[order], slots[order]
