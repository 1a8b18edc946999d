"""One reader per mailbox at a time, however many fetchers run.

Two `mail fetch --watch` processes on one mailbox would both download and parse every new
message, and one of them would then find it already stored: correct (messages are unique by
their bytes) but twice the work. A fetcher therefore reads the mailbox only while it holds
its lock; the others skip that pass's reading (they still send replies and put pages back)
and take over at once if the reader stops or dies.

PostgreSQL: a session advisory lock on a connection of its own (dropped by the server when
the process or the connection dies). SQLite: an flock on a file in the instance folder
(dropped by the kernel when the process dies).
"""

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def _key(name: str) -> int:
    """A signed 64-bit number for ``name`` (advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def reading(engine: Engine, instance_path: str | Path, name: str) -> Iterator[bool]:
    """Yield True while this process alone reads mailbox ``name``, else False at once."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            key = _key(name)
            got = connection.execute(sa.text("SELECT pg_try_advisory_lock(:k)"),
                                     {"k": key}).scalar_one()
            connection.commit()
            try:
                yield bool(got)
            finally:
                if got:
                    with contextlib.suppress(sa.exc.SQLAlchemyError):
                        connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                        connection.commit()
        return
    folder = Path(instance_path) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"mailbox-{hashlib.sha256(name.encode()).hexdigest()[:16]}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
