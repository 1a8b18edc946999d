"""The table of documents an index holds: one row per slot, live or hidden."""

import numpy as np

from .storage import DOC_DTYPE


class Documents:
    """Original id, content hash, publication day and liveness of every slot.

    Slots of the base come first (their ids are unique and found by binary search);
    slots added since are found through a dict, which also remembers removals.
    """

    def __init__(self, base: np.ndarray):
        n = len(base)
        self.ids, self.hashes = base["id"].copy(), base["hash"].copy()
        self.days = base["day"].copy()
        self.alive = np.ones(n, dtype=bool)
        self.count = n
        self._base_order = np.argsort(self.ids, kind="stable")
        self._base_ids = self.ids[self._base_order]
        self._recent: dict[int, int] = {}

    def slot(self, original_id: int) -> int | None:
        """Live slot of an original, None if it is not held."""
        slot = self._recent.get(original_id)
        if slot is not None:
            return slot if slot >= 0 else None
        i = int(np.searchsorted(self._base_ids, original_id))
        if i < len(self._base_ids) and self._base_ids[i] == original_id:
            slot = int(self._base_order[i])
            return slot if self.alive[slot] else None
        return None

    def add(self, original_id: int, content_hash: int, day: int) -> int:
        """Give an original a new slot, hiding its older one; returns the new slot."""
        self.remove(original_id)
        slot = self.count
        if slot >= len(self.ids):
            size = max(16, 2 * len(self.ids))
            for name in ("ids", "hashes", "days", "alive"):
                old = getattr(self, name)
                new = np.zeros(size, dtype=old.dtype)
                new[:len(old)] = old
                setattr(self, name, new)
        self.ids[slot], self.hashes[slot] = original_id, content_hash
        self.days[slot], self.alive[slot] = day, True
        self.count += 1
        self._recent[original_id] = slot
        return slot

    def remove(self, original_id: int) -> None:
        """Hide the original's slot (a tombstone until the next compaction)."""
        old = self.slot(original_id)
        if old is not None:
            self.alive[old] = False
        self._recent[original_id] = -1

    def live(self) -> np.ndarray:
        """Live slots."""
        return np.flatnonzero(self.alive[:self.count])

    def table(self) -> np.ndarray:
        """Rows of the live slots, in slot order, as written to a base."""
        keep = self.live()
        docs = np.zeros(len(keep), dtype=DOC_DTYPE)
        docs["id"], docs["hash"], docs["day"] = self.ids[keep], self.hashes[keep], self.days[keep]
        return docs
