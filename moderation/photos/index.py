"""Finding a photo's originals among many: its hashes looked up in band tables (hashtable.py),
the candidates compared in full.

Prints are held in arrays, one row per photo (a million prints are arrays, not a million
objects), so the index can be written to the index folder and read back in one step
(``save``/``load``). Photos added after the sorted tables were built wait in a short list that
is compared in full; it is merged into the sorted tables when it grows (a few photos added to a
million do not re-sort a million).
"""

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from .compare import NEAR, WINDOW_NEAR, PhotoMatch, compare_prints, worth_comparing
from .hashtable import HashTable
from .prints import THUMB, WINDOWS, PhotoPrint

# The query's first windows (its 0.84 x 0.84 grid) probed besides its whole picture, each on
# exact band values only: at a million photos the window table holds 58 million hashes.
PROBED_WINDOWS = 16
FORMAT = 2


class PrintTable(Mapping):
    """Prints by key, kept as arrays (a row per print) and made into PhotoPrint on demand."""

    def __init__(self, index: "PhotoIndex"):
        self.index = index

    def __getitem__(self, key: int) -> PhotoPrint:
        return self.index.print_at(self.index.row_of(key))

    def __iter__(self):
        return (key for key, row in self.index.rows.items())

    def __len__(self) -> int:
        return len(self.index.rows)


_COLUMNS = {"phash": np.uint64, "dhash": np.uint64, "mirror": np.uint64, "width": np.int32,
            "height": np.int32, "keys": np.int64, "window_count": np.int16}


class PhotoIndex:
    """Originals' prints by key; ``lookup`` returns the originals a picture copies or resembles.

    ``high_water`` is the largest key added, so that rows added to the database later are
    found by one query (keys are row ids, which only grow).
    """

    def __init__(self):
        self.columns = {name: np.zeros(0, dtype=kind) for name, kind in _COLUMNS.items()}
        self.windows_array = np.zeros((0, len(WINDOWS)), dtype=np.uint64)
        self.thumbs = np.zeros((0, THUMB * THUMB), dtype=np.uint8)
        self.rows: dict[int, int] = {}
        self._pending: list[tuple[int, PhotoPrint]] = []
        self.whole = HashTable()
        self.differences = HashTable()
        self.windows = HashTable(probe_radius=0)
        self.high_water = 0

    @property
    def prints(self) -> Mapping[int, PhotoPrint]:
        self._settle()
        return PrintTable(self)

    def __len__(self) -> int:
        return len(self.rows) + len(self._pending)

    def __contains__(self, key: int) -> bool:
        return key in self.rows or any(k == key for k, _ in self._pending)

    def add(self, key: int, photo: PhotoPrint) -> None:
        self._pending.append((key, photo))

    def add_many(self, items: Iterable[tuple[int, PhotoPrint]]) -> None:
        self._pending.extend(items)

    def remove(self, keys: Iterable[int]) -> None:
        """Forget photos (their rows stay in the arrays, unreachable, until the next rebuild)."""
        self._settle()
        for key in keys:
            self.rows.pop(key, None)

    def row_of(self, key: int) -> int:
        self._settle()
        return self.rows[key]

    def print_at(self, row: int) -> PhotoPrint:
        c = self.columns
        count = int(c["window_count"][row])
        return PhotoPrint(int(c["phash"][row]), int(c["dhash"][row]), int(c["mirror"][row]),
                          tuple(int(v) for v in self.windows_array[row, :count]),
                          self.thumbs[row].tobytes(), int(c["width"][row]), int(c["height"][row]))

    def add_arrays(self, keys: np.ndarray, columns: dict[str, np.ndarray], windows: np.ndarray,
                   thumbs: np.ndarray, window_rows: np.ndarray | None = None) -> None:
        """Bulk load; ``window_rows`` limits which new rows' windows are indexed (the benchmark's
        background photos, whose windows would not fit in memory by the million)."""
        self._settle()
        start = len(self.columns["keys"])
        rows = np.arange(start, start + len(keys), dtype=np.int64)
        for name, kind in _COLUMNS.items():
            value = keys if name == "keys" else columns[name]
            self.columns[name] = np.concatenate([self.columns[name], np.asarray(value, kind)])
        self.windows_array = np.concatenate([self.windows_array, windows])
        self.thumbs = np.concatenate([self.thumbs, thumbs])
        self.rows.update(zip(np.asarray(keys).tolist(), rows.tolist(), strict=True))
        self.high_water = max(self.high_water, int(np.max(keys)) if len(keys) else 0)
        self.whole.add_many(rows, columns["phash"])
        self.differences.add_many(rows, columns["dhash"])
        chosen = rows if window_rows is None else rows[window_rows]
        counts = np.asarray(columns["window_count"])[chosen - start]
        grid = windows[chosen - start]
        filled = np.arange(grid.shape[1])[None, :] < counts[:, None]
        self.windows.add_many(np.repeat(chosen, counts), grid[filled])

    def _settle(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        keys = np.array([key for key, _ in pending], dtype=np.int64)
        prints = [photo for _, photo in pending]
        columns = {name: np.array([getattr(p, name) for p in prints], dtype=_COLUMNS[name])
                   for name in ("phash", "dhash", "mirror", "width", "height")}
        columns["window_count"] = np.array([len(p.windows) for p in prints], dtype=np.int16)
        windows = np.zeros((len(prints), len(WINDOWS)), dtype=np.uint64)
        for at, p in enumerate(prints):
            windows[at, :len(p.windows)] = p.windows[:len(WINDOWS)]
        thumbs = np.frombuffer(b"".join(p.thumb for p in prints), dtype=np.uint8).reshape(
            len(prints), THUMB * THUMB)
        # A key added again replaces its earlier print: ``rows`` then names the new row.
        self.add_arrays(keys, columns, windows, thumbs)

    def sort(self) -> None:
        """Every hash into the band tables (as a large index is searched; small ones compare
        recent additions in full)."""
        self._settle()
        for table in (self.whole, self.differences, self.windows):
            table.sort()

    def candidates(self, photo: PhotoPrint) -> set[int]:
        """Keys of originals whose hashes come near the picture's (before the closer look)."""
        return {int(self.columns["keys"][row]) for row in self._candidate_rows(photo)
                if self.rows.get(int(self.columns["keys"][row])) == row}

    def _candidate_rows(self, photo: PhotoPrint) -> np.ndarray:
        self._settle()
        rows = set(self.whole.near([photo.phash, photo.mirror], NEAR))
        rows |= set(self.differences.near(photo.dhash, NEAR))
        # The picture's own windows find crops framed between the stored windows, and copies
        # whose logo or caption bar changed the whole picture's hash.
        rows |= set(self.windows.near([photo.phash, *photo.windows[:PROBED_WINDOWS]],
                                      WINDOW_NEAR))
        return np.array(sorted(rows), dtype=np.int64)

    def lookup(self, photo: PhotoPrint, limit: int = 5) -> list[tuple[int, PhotoMatch]]:
        """Best matches first: copies before similar photos, then by similarity."""
        rows = self._candidate_rows(photo)
        if len(rows):
            keys = self.columns["keys"][rows]
            live = np.array([self.rows.get(int(k)) == r for k, r in zip(keys, rows,
                                                                           strict=True)])
            rows = rows[live]
        if len(rows):
            # Candidates that cannot pass any test of compare_prints are set aside in one step.
            rows = rows[worth_comparing(photo, self.thumbs[rows], self.windows_array[rows],
                                        self.columns["window_count"][rows])]
        found = []
        for row in rows.tolist():
            match = compare_prints(photo, self.print_at(row))
            if match is not None:
                found.append((int(self.columns["keys"][row]), match))
        found.sort(key=lambda item: (not item[1].is_copy, -item[1].similarity))
        return found[:limit]

    def save(self, path: Path) -> None:
        """Write the whole index to one file, atomically (a reader never sees half of it)."""
        self._settle()
        keys = self.columns["keys"]
        live = np.array([self.rows.get(int(k)) == r for r, k in enumerate(keys.tolist())],
                        dtype=bool)
        arrays = {f"column.{name}": value for name, value in self.columns.items()}
        arrays.update({"windows": self.windows_array, "thumbs": self.thumbs, "live": live,
                       "format": np.array([FORMAT, self.high_water], dtype=np.int64)})
        for name in ("whole", "differences", "windows"):
            arrays.update(getattr(self, name).state(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".writing")
        with open(temporary, "wb") as out:
            np.savez(out, **arrays)
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> "PhotoIndex":
        """An index written by ``save``; ValueError when the file is of another format."""
        with np.load(path) as stored:
            arrays = {name: stored[name] for name in stored.files}
        head = arrays.get("format")
        if head is None or int(head[0]) != FORMAT:
            raise ValueError(f"{path} was written by another version of the photo index")
        index = cls()
        index.columns = {name: arrays[f"column.{name}"] for name in _COLUMNS}
        index.windows_array, index.thumbs = arrays["windows"], arrays["thumbs"]
        keys, live = index.columns["keys"].tolist(), arrays["live"].tolist()
        index.rows = {key: row for row, key in enumerate(keys) if live[row]}
        index.high_water = int(head[1])
        for name in ("whole", "differences", "windows"):
            getattr(index, name).restore(name, arrays)
        return index
