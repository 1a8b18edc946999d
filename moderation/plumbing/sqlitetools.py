"""SQLite's tools for backups: an online copy, and a check that a file is a sound desk database."""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class ToolError(RuntimeError):
    """SQLite cannot copy or read the file; the message says why."""


def database_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ToolError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def copy(source: Path, target: Path, *, read_only: bool) -> None:
    """Copy with SQLite's online backup: one consistent snapshot, even while others write."""
    uri = source.resolve().as_uri() + ("?mode=ro" if read_only else "")
    src = dst = None
    try:
        src = sqlite3.connect(uri, uri=True, timeout=30)
        dst = sqlite3.connect(target, timeout=30)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        # One step (pages=-1): a single read transaction, so one consistent snapshot of a
        # WAL database while the web app and the mail fetcher go on writing.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        hint = (" (stop the web app and the mail fetcher first)"
                if "locked" in str(exc) or "busy" in str(exc) else "")
        raise ToolError(f"SQLite could not copy {source.name} to {target}: {exc}{hint}") from None
    finally:
        for connection in (src, dst):
            if connection is not None:
                connection.close()


def check(path: Path, label: str) -> str | None:
    """A readable, undamaged SQLite database with the desk's tables: its schema revision."""
    try:
        connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            result = [row[0] for row in connection.execute("PRAGMA quick_check")]
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (connection.execute("SELECT version_num FROM alembic_version").fetchone()
                        if "alembic_version" in tables else None)
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise ToolError(f"{label} is damaged: SQLite cannot read it ({exc})") from None
    if result != ["ok"]:
        raise ToolError(f"{label} is damaged: {'; '.join(result[:3])}")
    if not {"alembic_version", "auditevent"} <= tables:
        raise ToolError(f"{label} is a SQLite database, but not one of the moderation desk")
    return revision[0] if revision else None
