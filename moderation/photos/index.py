"""Finding a photo's originals among many: multi-index hashing on 16-bit bands of the hashes.

Two 64-bit hashes within distance r agree within floor(r / 4) bits on at least one of their
four 16-bit bands (pigeonhole), so probing every band value within 2 bits of the query's finds
every stored hash within 11 bits, and most a little further, while reading only the few
entries per bucket a million photos leave (about 15 of the 65,536 values per band).
"""

from itertools import combinations

import numpy as np

from .compare import NEAR, WINDOW_NEAR, PhotoMatch, compare_prints
from .prints import PhotoPrint

BANDS = 4
BAND_BITS = 16
# The query's first windows (its 0.84 x 0.84 grid) probed besides its whole picture, each on
# exact band values only: at a million photos the window table holds 58 million hashes.
PROBED_WINDOWS = 16


def _masks(radius: int) -> np.ndarray:
    masks = [0]
    for flips in range(1, radius + 1):
        for bits in combinations(range(BAND_BITS), flips):
            masks.append(sum(1 << bit for bit in bits))
    return np.array(masks, dtype=np.uint16)


class HashTable:
    """64-bit hashes, each owned by a photo key, searchable by Hamming distance."""

    def __init__(self, probe_radius: int = 2):
        self.masks = _masks(probe_radius)
        self._pending_hashes: list[int] = []
        self._pending_owners: list[int] = []
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.owners = np.zeros(0, dtype=np.int64)
        self._starts: list[np.ndarray] = []
        self._orders: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.hashes) + len(self._pending_hashes)

    def add(self, owner: int, value: int) -> None:
        self._pending_hashes.append(value)
        self._pending_owners.append(owner)

    def add_many(self, owners: np.ndarray, values: np.ndarray) -> None:
        """Bulk load (the benchmark's million photos, a rebuild from the database)."""
        self._build_pending()
        self.hashes = np.concatenate([self.hashes, values.astype(np.uint64)])
        self.owners = np.concatenate([self.owners, owners.astype(np.int64)])
        self._rebuild()

    def _build_pending(self) -> None:
        if self._pending_hashes:
            pending = np.array(self._pending_hashes, dtype=np.uint64)
            owners = np.array(self._pending_owners, dtype=np.int64)
            self._pending_hashes, self._pending_owners = [], []
            self.hashes = np.concatenate([self.hashes, pending])
            self.owners = np.concatenate([self.owners, owners])
            self._rebuild()

    def _rebuild(self) -> None:
        self._starts, self._orders = [], []
        for band in range(BANDS):
            values = ((self.hashes >> np.uint64(band * BAND_BITS)) & np.uint64(0xFFFF)).astype(
                np.uint16)
            order = np.argsort(values, kind="stable").astype(np.int32)
            counts = np.bincount(values, minlength=1 << BAND_BITS)
            starts = np.zeros((1 << BAND_BITS) + 1, dtype=np.int64)
            np.cumsum(counts, out=starts[1:])
            self._starts.append(starts)
            self._orders.append(order)

    def near(self, value: int | list[int], radius: int) -> dict[int, int]:
        """Owners of hashes within ``radius`` bits of ``value`` (or of any of several values),
        with their nearest distance."""
        self._build_pending()
        if not len(self.hashes):
            return {}
        values = np.array([value] if isinstance(value, int) else value, dtype=np.uint64)
        found: list[np.ndarray] = []
        for band in range(BANDS):
            own = ((values >> np.uint64(band * BAND_BITS)) & np.uint64(0xFFFF)).astype(np.uint16)
            probes = (own[:, None] ^ self.masks[None, :]).ravel()
            starts = self._starts[band][probes]
            ends = self._starts[band][probes.astype(np.int64) + 1]
            lengths = ends - starts
            total = int(lengths.sum())
            if not total:
                continue
            # Gather every bucket's slice of the band's order in one step.
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            found.append(self._orders[band][offsets + np.arange(total)])
        if not found:
            return {}
        # Rows found twice (by two bands) are simply compared twice: cheaper than sorting.
        rows = np.concatenate(found)
        gaps = np.bitwise_count(self.hashes[rows][:, None] ^ values[None, :]).min(axis=1)
        keep = gaps <= radius
        best: dict[int, int] = {}
        for owner, gap in zip(self.owners[rows[keep]].tolist(), gaps[keep].tolist(), strict=True):
            if gap < best.get(owner, 65):
                best[owner] = gap
        return best


class PhotoIndex:
    """Originals' prints by key; ``lookup`` returns the originals a picture copies or resembles."""

    def __init__(self):
        self.prints: dict[int, PhotoPrint] = {}
        self.whole = HashTable()
        self.differences = HashTable()
        self.windows = HashTable(probe_radius=0)

    def __len__(self) -> int:
        return len(self.prints)

    def add(self, key: int, photo: PhotoPrint) -> None:
        self.prints[key] = photo
        self.whole.add(key, photo.phash)
        self.differences.add(key, photo.dhash)
        for value in photo.windows:
            self.windows.add(key, value)

    def candidates(self, photo: PhotoPrint) -> set[int]:
        """Keys of originals whose hashes come near the picture's (before the closer look)."""
        keys = set(self.whole.near([photo.phash, photo.mirror], NEAR))
        keys |= set(self.differences.near(photo.dhash, NEAR))
        # The picture's own windows find crops framed between the stored windows, and copies
        # whose logo or caption bar changed the whole picture's hash.
        keys |= set(self.windows.near([photo.phash, *photo.windows[:PROBED_WINDOWS]],
                                      WINDOW_NEAR))
        return keys

    def lookup(self, photo: PhotoPrint, limit: int = 5) -> list[tuple[int, PhotoMatch]]:
        """Best matches first: copies before similar photos, then by similarity."""
        found = []
        for key in self.candidates(photo):
            match = compare_prints(photo, self.prints[key])
            if match is not None:
                found.append((key, match))
        found.sort(key=lambda item: (not item[1].is_copy, -item[1].similarity))
        return found[:limit]
