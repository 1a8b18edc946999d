"""Files of an index folder: manifest, base arrays, append-only change log and the lock.

Folder layout::

    manifest.json        format, parameters, generation, names of the base and the log
    base-000007/         hashes.npy (uint64, sorted), slots.npy (uint32), docs.npy (table)
    log-000007.bin       records appended since that base was written
    lock                 flock(2)-ed by writers

Slots number documents in the order they were added: the base holds slots 0..n-1,
every "add" record of the log takes the next one. An add for a known id hides the id's
older slot; a "remove" record hides it with no replacement (a tombstone). Compaction
writes a new base without hidden slots, starts a new empty log and bumps the generation.
"""

import fcntl
import json
import os
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FORMAT = 1
MANIFEST = "manifest.json"
NO_DAY = -(2**31)
DOC_DTYPE = np.dtype([("id", "<i8"), ("hash", "<u8"), ("day", "<i4")])
OP_ADD = 1
OP_REMOVE = 2
_MAGIC = b"MDX1"
# magic, op, original id, content hash, day, fingerprints, anchors, crc32 of the payload
_HEADER = struct.Struct("<4sB3xqQiIII")


class IndexFormatError(RuntimeError):
    """The folder holds an index written with other parameters or another format."""


@dataclass
class Record:
    """One change: an original added (with its hashes) or removed."""

    op: int
    original_id: int
    content_hash: int = 0
    day: int = NO_DAY
    fingerprints: np.ndarray | None = None
    anchors: np.ndarray | None = None

    def encode(self) -> bytes:
        """Bytes of this record as written to the log."""
        fps = self.fingerprints if self.fingerprints is not None else np.empty(0, np.uint64)
        anc = self.anchors if self.anchors is not None else np.empty(0, np.uint64)
        payload = fps.astype("<u8").tobytes() + anc.astype("<u8").tobytes()
        header = _HEADER.pack(_MAGIC, self.op, self.original_id, self.content_hash, self.day,
                              len(fps), len(anc), zlib.crc32(payload))
        return header + payload


def decode_records(data: bytes) -> tuple[list[Record], int]:
    """Complete records at the start of ``data`` and the number of bytes they take.

    A record still being written by another process (short, or with a bad checksum at
    the very end) stops the reading; it is read on a later refresh.
    """
    records: list[Record] = []
    pos = 0
    size = _HEADER.size
    while pos + size <= len(data):
        magic, op, oid, chash, day, n_fp, n_anc, crc = _HEADER.unpack_from(data, pos)
        if magic != _MAGIC:
            raise IndexFormatError(f"corrupt change log at byte {pos}")
        end = pos + size + 8 * (n_fp + n_anc)
        if end > len(data):
            break
        payload = data[pos + size:end]
        if zlib.crc32(payload) != crc:
            break
        hashes = np.frombuffer(payload, dtype="<u8").astype(np.uint64)
        records.append(Record(op, oid, chash, day, hashes[:n_fp], hashes[n_fp:]))
        pos = end
    return records, pos


@dataclass
class Manifest:
    """Contents of manifest.json."""

    generation: int
    params: dict
    base: str | None
    log: str

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        """Read the manifest of ``folder``."""
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise IndexFormatError(f"index format {data.get('format')}, expected {FORMAT}")
        return cls(data["generation"], data["params"], data.get("base"), data["log"])

    def write(self, folder: Path) -> None:
        """Replace the manifest atomically: readers see the old one or the new one."""
        data = {"format": FORMAT, "generation": self.generation, "params": self.params,
                "base": self.base, "log": self.log}
        tmp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, folder / MANIFEST)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's writer lock (other processes' writers wait; readers never do)."""
    with open(folder / "lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def append(path: Path, data: bytes, durable: bool) -> None:
    """Append ``data`` to the log in one write."""
    with open(path, "ab") as handle:
        handle.write(data)
        handle.flush()
        if durable:
            os.fsync(handle.fileno())


@dataclass
class Base:
    """Arrays of a written base, memory-mapped so that opening reads almost nothing."""

    hashes: np.ndarray
    slots: np.ndarray
    docs: np.ndarray

    @classmethod
    def empty(cls) -> "Base":
        """A base with no documents."""
        return cls(np.empty(0, np.uint64), np.empty(0, np.uint32), np.empty(0, DOC_DTYPE))

    @classmethod
    def load(cls, path: Path) -> "Base":
        """Map the arrays of the base folder ``path``."""
        return cls(
            np.load(path / "hashes.npy", mmap_mode="r"),
            np.load(path / "slots.npy", mmap_mode="r"),
            np.load(path / "docs.npy"),
        )

    @staticmethod
    def write(path: Path, hashes: np.ndarray, slots: np.ndarray, docs: np.ndarray) -> None:
        """Write a base folder (under a temporary name, renamed when complete)."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.mkdir(exist_ok=True)
        for name, array in (("hashes", hashes), ("slots", slots), ("docs", docs)):
            with open(tmp / f"{name}.npy", "wb") as handle:
                np.save(handle, array)
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
