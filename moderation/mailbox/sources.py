"""Where raw mail comes from: Maildir folders, mbox files and .eml files, behind one shape.

Every source yields ``(key, raw_bytes)`` pairs and offers ``acknowledge(key)``, which the
caller calls only AFTER it has committed the message; a crash in between means the message
is offered again, and the caller's dedupe by sha256 makes that harmless.
"""

import errno
import fcntl
import hashlib
import os
import shutil
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple


class SourceError(RuntimeError):
    """A mail source that cannot be read (missing, locked, refused); the message says why."""


class Fetched(NamedTuple):
    """One message as found in a source: a stable key and its exact bytes."""

    key: str
    raw: bytes


class MailSource(ABC):
    """Common shape: iterate ``Fetched(key, raw)``; ``acknowledge(key)`` after committing."""

    @abstractmethod
    def __iter__(self) -> Iterator[Fetched]:
        """The messages on offer, oldest first."""

    @abstractmethod
    def acknowledge(self, key: str) -> None:
        """Mark the message as processed so it is not offered again."""

    def close(self) -> None:  # noqa: B027 (a default: most sources hold nothing to release)
        """Release connections or locks (sources without any do nothing)."""

    def __enter__(self) -> "MailSource":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _key_suffix(key: str, prefix: str) -> str:
    if not key.startswith(prefix):
        raise SourceError(f"Key {key!r} does not belong to this source.")
    return key[len(prefix):]


class MaildirSource(MailSource):
    """A Maildir: offers messages in ``new/`` (and ``cur/`` ones not yet seen when asked).

    Acknowledging moves the file to ``cur/`` with the Seen flag, as a mail client would.
    Keys look like ``maildir:/abs/path:unique-name``.
    """

    def __init__(self, path: str | os.PathLike[str], *, include_unseen_cur: bool = False) -> None:
        self.path = Path(path).resolve()
        self.include_unseen_cur = include_unseen_cur
        if not (self.path / "new").is_dir() or not (self.path / "cur").is_dir():
            raise SourceError(f"{self.path} is not a Maildir (it needs new/ and cur/ folders).")
        self._prefix = f"maildir:{self.path}:"

    def _files(self) -> list[Path]:
        files = sorted(p for p in (self.path / "new").iterdir() if not p.name.startswith("."))
        if self.include_unseen_cur:
            for path in sorted((self.path / "cur").iterdir()):
                flags = path.name.partition(":2,")[2]
                if not path.name.startswith(".") and "S" not in flags:
                    files.append(path)
        return files

    def __iter__(self) -> Iterator[Fetched]:
        for path in self._files():
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                continue  # another reader moved it meanwhile
            yield Fetched(self._prefix + path.name.split(":", 1)[0], raw)

    def acknowledge(self, key: str) -> None:
        """Move the message to ``cur/`` and add the Seen flag."""
        unique = _key_suffix(key, self._prefix)
        delivered = self.path / "new" / unique
        try:
            os.rename(delivered, self.path / "cur" / f"{unique}:2,S")
            return
        except FileNotFoundError:
            pass  # it carries flags already, or lives in cur/: look for it
        for folder in ("new", "cur"):
            for path in (self.path / folder).iterdir():
                if path.name.split(":", 1)[0] != unique:
                    continue
                base, _, flags = path.name.partition(":2,")
                if folder == "cur" and "S" in flags:
                    return
                target = self.path / "cur" / f"{base}:2,{''.join(sorted(set(flags + 'S')))}"
                os.rename(path, target)
                return
        raise SourceError(f"Message {unique} is no longer in {self.path}.")


class MboxSource(MailSource):
    """An mbox file, read under a shared lock; it is never modified.

    Keys look like ``mbox:/abs/path:sha256``: offsets change when the file is compacted,
    the content does not. Acknowledging only remembers the key for this session.
    """

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path).resolve()
        if not self.path.is_file():
            raise SourceError(f"{self.path} is not a file.")
        self.lock_timeout = lock_timeout
        self.acknowledged: set[str] = set()

    def _lock(self, handle: object) -> None:
        deadline = time.monotonic() + self.lock_timeout
        dotlock = self.path.with_name(self.path.name + ".lock")
        while True:
            try:
                if dotlock.exists():
                    raise BlockingIOError(errno.EAGAIN, "dot-lock present")
                # A read lock: delivery agents that write take the exclusive one.
                fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return
            except (BlockingIOError, PermissionError):
                if time.monotonic() > deadline:
                    raise SourceError(f"{self.path} is locked by another program.") from None
                time.sleep(0.1)

    def __iter__(self) -> Iterator[Fetched]:
        with open(self.path, "rb") as handle:
            self._lock(handle)
            try:
                for raw in _split_mbox(handle):
                    digest = hashlib.sha256(raw).hexdigest()
                    yield Fetched(f"mbox:{self.path}:{digest}", raw)
            finally:
                fcntl.lockf(handle, fcntl.LOCK_UN)

    def acknowledge(self, key: str) -> None:
        """Remember the key; the mbox file itself is left as it is."""
        _key_suffix(key, f"mbox:{self.path}:")
        self.acknowledged.add(key)


def _split_mbox(handle: object) -> Iterator[bytes]:
    """Messages of an mbox stream, without their "From " separator lines."""
    lines: list[bytes] = []
    previous_blank = True
    started = False
    for line in handle:  # type: ignore[attr-defined]
        if line.startswith(b"From ") and previous_blank:
            if started and lines:
                yield _finish(lines)
            lines, started = [], True
            previous_blank = False
            continue
        if not started and line.strip():
            started = True  # a file without a first "From " line is still read
        if started:
            lines.append(line)
        previous_blank = not line.strip()
    if lines:
        yield _finish(lines)


def _finish(lines: list[bytes]) -> bytes:
    # The blank line before the next "From " belongs to the format, not to the message.
    if lines and not lines[-1].strip():
        lines = lines[:-1]
    return b"".join(lines)


class EmlSource(MailSource):
    """One ``.eml`` file or a folder of them (searched recursively), read-only.

    Keys look like ``eml:/abs/path/to/file.eml``. With ``processed_dir``, acknowledging
    moves the file there; without it, the key is only remembered.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, processed_dir: str | os.PathLike[str] | None = None
    ) -> None:
        self.path = Path(path).resolve()
        if not self.path.exists():
            raise SourceError(f"{self.path} does not exist.")
        self.processed_dir = Path(processed_dir).resolve() if processed_dir else None
        self.acknowledged: set[str] = set()

    def _files(self) -> list[Path]:
        if self.path.is_file():
            return [self.path]
        return sorted(
            p for p in self.path.rglob("*")
            if p.is_file() and p.suffix.lower() == ".eml"
            and (self.processed_dir is None or self.processed_dir not in p.parents)
        )

    def __iter__(self) -> Iterator[Fetched]:
        for path in self._files():
            try:
                yield Fetched(f"eml:{path}", path.read_bytes())
            except FileNotFoundError:
                continue

    def acknowledge(self, key: str) -> None:
        """Move the file to ``processed_dir`` when one is set."""
        path = Path(_key_suffix(key, "eml:"))
        self.acknowledged.add(key)
        if self.processed_dir is not None and path.exists():
            self.processed_dir.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), self.processed_dir / path.name)


def _looks_like_mbox(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(5) == b"From "


def open_source(path: str | os.PathLike[str]) -> MailSource:
    """The right source for a path: a Maildir folder, an mbox file, or .eml file(s)."""
    target = Path(path)
    if target.is_dir():
        if (target / "new").is_dir() and (target / "cur").is_dir():
            return MaildirSource(target)
        return EmlSource(target)
    if target.is_file():
        if target.suffix.lower() != ".eml" and _looks_like_mbox(target):
            return MboxSource(target)
        return EmlSource(target)
    raise SourceError(f"{target} does not exist.")
