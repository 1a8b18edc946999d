"""The persistent, incremental index of originals' fingerprints kept in one folder."""

import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from . import postings as P
from . import storage as S
from .documents import Documents
from .features import STEM_SAMPLE, original_features
from .fingerprints import SHINGLE_TOKENS, WINNOW_WINDOW, content_hash, day_number
from .results import OriginalText

# Bumped whenever tokens, shingles or anchors change: an index of another version is rebuilt.
# 2: content-stem sketches (features.STEM_SAMPLE) beside shingles and anchors.
FEATURES_VERSION = 2
PARAMS = {"features": FEATURES_VERSION, "shingle": SHINGLE_TOKENS, "window": WINNOW_WINDOW,
          "stem_sample": STEM_SAMPLE}
# The log is folded into a new base once it holds this many postings (or a quarter of the base).
COMPACT_POSTINGS = 100_000
_BATCH = 512


class Index:
    """Fingerprints of originals in a folder, shared by the processes that open it.

    Opening maps the sorted arrays of the last base and replays the short change log; no
    original is read again. Every query first checks (two ``stat`` calls) whether another
    process changed the folder and catches up with the log, or reloads after a compaction.
    """

    def __init__(self, folder: str | Path, *, durable: bool = False, auto_compact: bool = True,
                 reset: bool = False):
        """Open the index in ``folder``, creating it if needed.

        ``durable``: fsync every write. ``auto_compact``: compact when the log grows large
        (the write that triggers it takes longer). ``reset``: if the folder holds an index
        of another version, replace it with an empty one (``documents()`` then tells the
        caller which originals to add again) instead of raising ``IndexFormatError``.
        """
        self.folder = Path(folder)
        self.durable = durable
        self.auto_compact = auto_compact
        self._mutex = threading.RLock()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._create()
        try:
            self._load()
        except S.IndexFormatError:
            if not reset:
                raise
            with S.locked(self.folder):
                for path in self.folder.iterdir():
                    if path.name.startswith(("base-", "log-", S.MANIFEST)):
                        shutil.rmtree(path) if path.is_dir() else path.unlink()
            self._create()
            self._load()

    def _create(self) -> None:
        if not (self.folder / S.MANIFEST).exists():
            with S.locked(self.folder):
                if not (self.folder / S.MANIFEST).exists():
                    (self.folder / "log-000000.bin").touch()
                    S.Manifest(0, PARAMS, None, "log-000000.bin").write(self.folder)

    # -- loading and catching up -------------------------------------------------------

    def _load(self) -> None:
        for attempt in range(20):
            try:
                key = self._manifest_key()
                manifest = S.Manifest.read(self.folder)
                if manifest.params != PARAMS:
                    raise S.IndexFormatError(
                        f"index built with {manifest.params}, this engine uses {PARAMS}")
                base = S.Base.load(self.folder / manifest.base) if manifest.base else \
                    S.Base.empty()
                break
            except FileNotFoundError:
                # A compaction replaced the files between our reads: read the new manifest.
                if attempt == 19:
                    raise
        self._key, self.manifest, self._base = key, manifest, base
        self._docs = Documents(base.docs)
        self._log_parts: list[tuple[np.ndarray, np.ndarray]] = []
        self._log_sorted: tuple[np.ndarray, np.ndarray] | None = None
        self._log_postings = 0
        self._log_path = self.folder / manifest.log
        self._offset = 0
        self._read_log()

    def _manifest_key(self) -> tuple[int, int, int]:
        st = (self.folder / S.MANIFEST).stat()
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _read_log(self) -> None:
        try:
            with open(self._log_path, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read()
        except FileNotFoundError:
            return
        records, used = S.decode_records(data)
        for record in records:
            self._apply(record)
        self._offset += used

    def refresh(self) -> bool:
        """Catch up with changes made by other processes; True if there were any."""
        with self._mutex:
            try:
                if self._manifest_key() != self._key:
                    self._load()
                    return True
                if self._log_path.stat().st_size > self._offset:
                    before = self._offset
                    self._read_log()
                    return self._offset != before
            except FileNotFoundError:
                self._load()
                return True
            return False

    def _apply(self, record: S.Record) -> None:
        if record.op == S.OP_REMOVE:
            self._docs.remove(record.original_id)
            return
        slot = self._docs.add(record.original_id, record.content_hash, record.day)
        hashes = np.concatenate([record.fingerprints, record.anchors])
        if len(hashes):
            self._log_parts.append((hashes, np.full(len(hashes), slot, dtype=np.uint32)))
            self._log_sorted = None
            self._log_postings += len(hashes)

    # -- reading -----------------------------------------------------------------------

    def __len__(self) -> int:
        with self._mutex:
            return len(self._docs.live())

    def __contains__(self, original_id: int) -> bool:
        return self.content_hash(original_id) is not None

    @property
    def generation(self) -> int:
        """Number of compactions so far; with the log offset it names the state seen."""
        return self.manifest.generation

    @property
    def version(self) -> tuple[int, int]:
        """(generation, bytes of log read): changes whenever the index changes."""
        return self.manifest.generation, self._offset

    def content_hash(self, original_id: int) -> str | None:
        """Content hash stored for an original, None if the index does not hold it."""
        with self._mutex:
            slot = self._docs.slot(int(original_id))
            return None if slot is None else f"{int(self._docs.hashes[slot]):016x}"

    def documents(self) -> dict[int, str]:
        """Every original held: id -> content hash (compare with ``content_hash()``)."""
        with self._mutex:
            live = self._docs.live()
            return dict(zip(self._docs.ids[live].tolist(),
                            (f"{h:016x}" for h in self._docs.hashes[live].tolist()), strict=True))

    def original_ids(self, slots: np.ndarray) -> np.ndarray:
        """Original ids of internal slots."""
        return self._docs.ids[slots]

    def days(self, slots: np.ndarray) -> np.ndarray:
        """Publication days of internal slots (``storage.NO_DAY`` when unknown)."""
        return self._docs.days[slots]

    def postings(self, hashes: np.ndarray, max_df: int) -> tuple[np.ndarray, np.ndarray]:
        """(slots, query positions) of live originals holding each of ``hashes``.

        Hashes held by more than ``max_df`` originals are skipped: they are boilerplate or
        stock phrases and would only cost time.
        """
        with self._mutex:
            if self._log_sorted is None:
                self._log_sorted = P.sort(self._log_parts)
            parts = ((self._base.hashes, self._base.slots), self._log_sorted)
            slots, pos, _ = P.lookup(parts, hashes, max_df)
            live = self._docs.alive[slots]
            return slots[live], pos[live]

    def stats(self) -> dict:
        """Sizes: originals, postings, bytes on disk, generation."""
        with self._mutex:
            disk = sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())
            return {"originals": len(self), "slots": self._docs.count, "generation": self.generation,
                    "base_postings": len(self._base.hashes), "log_postings": self._log_postings,
                    "disk_bytes": disk}

    # -- writing -----------------------------------------------------------------------

    def add(self, original_id: int, original: OriginalText | str, language: str = "en") -> bool:
        """Add or update one original; False if the index already held this very content."""
        if isinstance(original, str):
            original = OriginalText(original, language)
        return self.add_many([(original_id, original)]) == 1

    def add_many(self, originals: Iterable[tuple[int, OriginalText]]) -> int:
        """Add or update many originals (written in batches); returns how many changed."""
        changed = 0
        batch: list[tuple[int, OriginalText]] = []
        for item in originals:
            batch.append(item)
            if len(batch) >= _BATCH:
                changed += self._add_batch(batch)
                batch = []
        if batch:
            changed += self._add_batch(batch)
        return changed

    def _add_batch(self, batch: list[tuple[int, OriginalText]]) -> int:
        self.refresh()
        records = []
        for original_id, original in batch:
            chash = content_hash(original.text, original.language, original.published_at)
            if self.content_hash(original_id) == chash:
                continue
            fps, anchors = original_features(original.text, original.language)
            day = day_number(original.published_at)
            records.append(S.Record(S.OP_ADD, int(original_id), int(chash, 16),
                                    S.NO_DAY if day is None else day, fps, anchors))
        return self._write(records)

    def remove(self, original_id: int) -> bool:
        """Remove one original; False if the index did not hold it."""
        return self.remove_many([original_id]) == 1

    def remove_many(self, original_ids: Iterable[int]) -> int:
        """Remove originals (tombstones until the next compaction); returns how many."""
        return self._write([S.Record(S.OP_REMOVE, int(i)) for i in original_ids])

    def _write(self, records: list[S.Record]) -> int:
        with self._mutex, S.locked(self.folder):
            self.refresh()
            # Under the lock, skip what another process already wrote meanwhile.
            records = [r for r in records if (
                self.content_hash(r.original_id) != f"{r.content_hash:016x}"
                if r.op == S.OP_ADD else r.original_id in self)]
            if records:
                data = b"".join(r.encode() for r in records)
                S.append(self._log_path, data, self.durable)
                for record in records:
                    self._apply(record)
                self._offset += len(data)
                if self.auto_compact and self._log_postings > max(
                        COMPACT_POSTINGS, len(self._base.hashes) // 4):
                    self._compact_locked()
            return len(records)

    def compact(self) -> None:
        """Fold the log into a new base without removed or replaced originals."""
        with self._mutex, S.locked(self.folder):
            self.refresh()
            self._compact_locked()

    def _compact_locked(self) -> None:
        docs = self._docs
        hashes, slots = P.compact(
            ((self._base.hashes, self._base.slots), P.sort(self._log_parts)),
            docs.alive[:docs.count])
        generation = self.manifest.generation + 1
        base_name, log_name = f"base-{generation:06d}", f"log-{generation:06d}.bin"
        S.Base.write(self.folder / base_name, hashes, slots, docs.table())
        (self.folder / log_name).touch()
        old = self.manifest
        S.Manifest(generation, PARAMS, base_name, log_name).write(self.folder)
        # Readers that mapped the old files keep them until they reload (POSIX unlink).
        if old.base:
            shutil.rmtree(self.folder / old.base, ignore_errors=True)
        (self.folder / old.log).unlink(missing_ok=True)
        self._load()
