"""64-bit hashes searchable by Hamming distance: multi-index hashing on 16-bit bands.

Two 64-bit hashes within distance r agree within floor(r / 4) bits on at least one of their
four 16-bit bands (pigeonhole), so probing every band value within 2 bits of the query's finds
every stored hash within 11 bits, and most a little further, while reading only the few
entries per bucket a million photos leave (about 15 of the 65,536 values per band).
"""

from collections.abc import Mapping
from itertools import combinations

import numpy as np

BANDS = 4
BAND_BITS = 16
# Hashes waiting beyond this share of the sorted table are merged into it; never fewer than
# MERGE_LEAST wait, nor more than MERGE_MOST (the waiting ones are compared in full).
MERGE_SHARE = 0.125
MERGE_LEAST = 4096
MERGE_MOST = 65536

def _masks(radius: int) -> np.ndarray:
    masks = [0]
    for flips in range(1, radius + 1):
        for bits in combinations(range(BAND_BITS), flips):
            masks.append(sum(1 << bit for bit in bits))
    return np.array(masks, dtype=np.uint16)


def _min_by_owner(owners: np.ndarray, gaps: np.ndarray) -> dict[int, int]:
    order = np.lexsort((gaps, owners))
    owners, gaps = owners[order], gaps[order]
    first = np.ones(len(owners), dtype=bool)
    first[1:] = owners[1:] != owners[:-1]
    return dict(zip(owners[first].tolist(), gaps[first].tolist(), strict=True))


class HashTable:
    """64-bit hashes, each owned by a row (a photo), searchable by Hamming distance."""

    def __init__(self, probe_radius: int = 2):
        self.masks = _masks(probe_radius)
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.owners = np.zeros(0, dtype=np.int64)
        self._starts: list[np.ndarray] = []
        self._orders: list[np.ndarray] = []
        self._sorted = 0  # the first rows are in the band tables; the rest wait
        self._waiting: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self.hashes) + sum(len(h) for _, h in self._waiting)

    def add_many(self, owners: np.ndarray, values: np.ndarray) -> None:
        self._waiting.append((np.asarray(owners, dtype=np.int64),
                              np.asarray(values, dtype=np.uint64)))

    def _settle(self) -> None:
        if not self._waiting:
            return
        owners = np.concatenate([o for o, _ in self._waiting])
        values = np.concatenate([h for _, h in self._waiting])
        self._waiting = []
        self.hashes = np.concatenate([self.hashes, values])
        self.owners = np.concatenate([self.owners, owners])
        limit = max(MERGE_LEAST, min(MERGE_MOST, MERGE_SHARE * self._sorted))
        if len(self.hashes) - self._sorted > limit:
            self._rebuild()

    def sort(self) -> None:
        """Merge every waiting hash into the band tables now."""
        self._settle()
        if self._sorted != len(self.hashes):
            self._rebuild()

    def _rebuild(self) -> None:
        self._starts, self._orders = [], []
        for band in range(BANDS):
            values = ((self.hashes >> np.uint64(band * BAND_BITS)) & np.uint64(0xFFFF)).astype(
                np.uint16)
            order = np.argsort(values, kind="stable").astype(np.int32)
            starts = np.zeros((1 << BAND_BITS) + 1, dtype=np.int64)
            np.cumsum(np.bincount(values, minlength=1 << BAND_BITS), out=starts[1:])
            self._starts.append(starts)
            self._orders.append(order)
        self._sorted = len(self.hashes)

    def near(self, value: int | list[int], radius: int) -> dict[int, int]:
        """Owners of hashes within ``radius`` bits of ``value`` (or of any of several values),
        with their nearest distance."""
        self._settle()
        if not len(self.hashes):
            return {}
        values = np.array([value] if isinstance(value, int) else value, dtype=np.uint64)
        rows, which = [], []
        for band in range(BANDS if self._sorted else 0):
            own = ((values >> np.uint64(band * BAND_BITS)) & np.uint64(0xFFFF)).astype(np.uint16)
            probes = (own[:, None] ^ self.masks[None, :]).ravel().astype(np.int64)
            starts = self._starts[band][probes]
            lengths = self._starts[band][probes + 1] - starts
            total = int(lengths.sum())
            if not total:
                continue
            # Gather every bucket's slice of the band's order in one step; each row is then
            # measured against the query value that probed it, not against all of them.
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            rows.append(self._orders[band][offsets + np.arange(total)])
            which.append(np.repeat(np.repeat(np.arange(len(values)), len(self.masks)), lengths))
        if len(self.hashes) > self._sorted:
            # The waiting rows: few, compared with every query value.
            tail = np.arange(self._sorted, len(self.hashes))
            gaps = np.bitwise_count(self.hashes[tail][:, None] ^ values[None, :])
            rows.append(tail)
            which.append(gaps.argmin(axis=1))
        if not rows:
            return {}
        found, probe = np.concatenate(rows), np.concatenate(which)
        gaps = np.bitwise_count(self.hashes[found] ^ values[probe]).astype(np.int64)
        keep = gaps <= radius
        if not keep.any():
            return {}
        return _min_by_owner(self.owners[found[keep]], gaps[keep])

    def state(self, name: str) -> dict[str, np.ndarray]:
        self.sort()
        arrays = {f"{name}.hashes": self.hashes, f"{name}.owners": self.owners}
        for band in range(BANDS):
            arrays[f"{name}.starts{band}"] = self._starts[band]
            arrays[f"{name}.orders{band}"] = self._orders[band]
        return arrays

    def restore(self, name: str, arrays: Mapping[str, np.ndarray]) -> None:
        self.hashes, self.owners = arrays[f"{name}.hashes"], arrays[f"{name}.owners"]
        self._starts = [arrays[f"{name}.starts{band}"] for band in range(BANDS)]
        self._orders = [arrays[f"{name}.orders{band}"] for band in range(BANDS)]
        self._sorted, self._waiting = len(self.hashes), []
