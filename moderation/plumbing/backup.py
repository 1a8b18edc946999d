"""Backups: the database and the instance files that cannot be rebuilt, in one archive.

A backup is a .tar.gz holding manifest.json (what, when, the schema revision, row counts and
the database copy's sha256), the database copy (SQLite: an online backup, consistent while
the desk runs; PostgreSQL: pg_dump's custom format) and instance/reports/ and
instance/boilerplate.json. Left out on purpose (docs/OPERATIONS.md): instance/secret_key and
config.toml (secrets: keep them apart), instance/matching (rebuilt by `moderation match`) and
the Maildir inbox. Restore also takes a bare SQLite file or a bare pg_dump custom file.
"""

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from ..models import utcnow
from . import db, pgtools, sqlitetools
from .config import VERSION as DESK_VERSION

FORMAT, VERSION = "moderation-desk-backup", 1
FOLDER = "backups"
INSTANCE_FILES = ("reports", "boilerplate.json")
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
COUNTED = {"articles": "article", "originals": "original", "notices": "notice", "cases": "case",
           "messages": "mailmessage", "audit_events": "auditevent", "users": "user"}
_SQLITE_MAGIC, _PG_MAGIC, _GZIP_MAGIC = b"SQLite format 3\x00", b"PGDMP", b"\x1f\x8b"


class BackupError(RuntimeError):
    """The backup cannot be made or restored; the message says why in words."""


@dataclass
class Manifest:
    backend: str
    created_at: str = ""
    revision: str | None = None
    sha256: str = ""
    bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    desk_version: str = DESK_VERSION

    def as_json(self) -> str:
        return json.dumps({"format": FORMAT, "version": VERSION, **self.__dict__}, indent=2)


def backend_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in MEMBERS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def default_path(instance_path: str | Path, now: datetime | None = None) -> Path:
    now = now or utcnow()
    return Path(instance_path) / FOLDER / f"moderation-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def counts(engine: Engine) -> dict[str, int]:
    """Rows in the tables people ask about after a restore (absent tables count 0)."""
    tables = set(sa.inspect(engine).get_table_names())
    with engine.connect() as connection:
        return {label: connection.execute(sa.select(sa.func.count()).select_from(
            sa.table(name))).scalar_one() if name in tables else 0
            for label, name in COUNTED.items()}


def has_data(engine: Engine) -> bool:
    return any(counts(engine).values())


def revision(engine: Engine) -> str | None:
    if not sa.inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _tool(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except (pgtools.ToolError, sqlitetools.ToolError) as exc:
        raise BackupError(str(exc)) from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _instance_files(instance_path: Path) -> list[Path]:
    found = []
    for name in INSTANCE_FILES:
        path = instance_path / name
        if path.is_file() and not path.is_symlink():
            found.append(path)
        elif path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return found


def create(url: str, instance_path: str | Path, target: Path | None = None
           ) -> tuple[Path, Manifest]:
    """Write a backup archive (to instance/backups/ unless told) and return it with its manifest."""
    backend, instance_path = backend_of(url), Path(instance_path)
    target = Path(target or default_path(instance_path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as work:
            return _create(url, backend, instance_path, target, Path(work))
    except OSError as exc:
        raise BackupError(f"the backup could not be written to {target}: "
                          f"{exc.strerror or exc}") from None


def _create(url: str, backend: str, instance_path: Path, target: Path, work: Path
            ) -> tuple[Path, Manifest]:
    manifest = Manifest(backend, created_at=utcnow().isoformat(timespec="seconds"))
    copy = work / MEMBERS[backend]
    if backend == "sqlite":
        source = sqlitetools.database_path(url)
        if not source.is_file():
            raise BackupError(f"there is no database at {source} to back up")
        _tool(sqlitetools.copy, source, copy, read_only=False)
        _tool(sqlitetools.check, copy, "the copy just made")
        # A plain engine: the desk's own would switch the copy to WAL mode.
        engine = sa.create_engine(f"sqlite:///{copy}")
    else:
        engine = db.make_engine(url)
        _tool(pgtools.dump, url, copy)
    try:
        manifest.revision, manifest.counts = revision(engine), counts(engine)
    finally:
        engine.dispose()
    manifest.sha256, manifest.bytes = _sha256(copy), copy.stat().st_size
    files = _instance_files(instance_path)
    manifest.files = [p.relative_to(instance_path).as_posix() for p in files]
    partial = work / "archive.tar.gz"
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        data = manifest.as_json().encode()
        info = tarfile.TarInfo("manifest.json")
        info.size, info.mtime = len(data), int(utcnow().timestamp())
        archive.addfile(info, io.BytesIO(data))
        archive.add(copy, MEMBERS[backend], recursive=False)
        for path, name in zip(files, manifest.files, strict=True):
            archive.add(path, f"instance/{name}", recursive=False)
    os.chmod(partial, 0o600)  # personal data: readable by the desk's account only
    os.replace(partial, target)  # appears whole or not at all
    return target, manifest


def _safe_instance_name(name: str) -> str | None:
    path = PurePosixPath(name)
    parts = path.parts
    if len(parts) < 2 or parts[0] != "instance" or path.is_absolute() or ".." in parts:
        return None
    return "/".join(parts[1:]) if parts[1] in INSTANCE_FILES else None


def _unpack(path: Path, work: Path) -> tuple[Manifest, Path, list[tuple[Path, str]]]:
    """Check and extract an archive into ``work``: manifest, database copy, instance files."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.getmember("manifest.json")
            raw = json.loads(archive.extractfile(member).read().decode("utf-8"))
            if raw.pop("format", None) != FORMAT or raw.pop("version", None) != VERSION:
                raise BackupError(f"{path.name} is an archive, but not a moderation desk backup")
            manifest = Manifest(**raw)
            if manifest.backend not in MEMBERS:
                raise BackupError(f"{path.name} names an unknown database kind")
            copy = work / MEMBERS[manifest.backend]
            with archive.extractfile(archive.getmember(copy.name)) as src, copy.open("wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
            files = []
            for member in archive.getmembers():
                name = _safe_instance_name(member.name)
                if name is None or not member.isfile():
                    continue
                staged = work / "instance" / name
                staged.parent.mkdir(parents=True, exist_ok=True)
                staged.write_bytes(archive.extractfile(member).read())
                files.append((staged, name))
    except BackupError:
        raise
    except KeyError as exc:
        raise BackupError(f"{path.name} is not a complete moderation desk backup "
                          f"(missing {exc})") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeDecodeError,
            ValueError, TypeError, AttributeError) as exc:
        raise BackupError(f"{path.name} is damaged or cut short: {exc or type(exc).__name__}"
                          ) from None
    if _sha256(copy) != manifest.sha256:
        raise BackupError(f"{path.name} is damaged: the database copy does not match its checksum")
    return manifest, copy, files


def open_backup(path: Path, work: Path) -> tuple[Manifest, Path, list[tuple[Path, str]]]:
    """Whatever the file is (archive, bare SQLite file, bare pg_dump), checked and ready."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise BackupError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if head.startswith(_GZIP_MAGIC):
        manifest, copy, files = _unpack(path, work)
    elif head.startswith(_SQLITE_MAGIC):
        manifest, copy, files = Manifest("sqlite"), path, []
    elif head.startswith(_PG_MAGIC):
        manifest, copy, files = Manifest("postgresql"), path, []
    else:
        raise BackupError(f"{path.name} is not a backup: neither a moderation desk archive, "
                          "a SQLite database nor a pg_dump custom-format file")
    if manifest.backend == "sqlite":
        manifest.revision = _tool(sqlitetools.check, copy, path.name) or manifest.revision
    else:
        _tool(pgtools.check, copy)
    return manifest, copy, files


def _known_revision(engine: Engine, rev: str | None) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    if rev is None:
        return
    try:
        ScriptDirectory.from_config(db.alembic_config(engine)).get_revision(rev)
    except CommandError:
        raise BackupError(f"the backup's schema revision {rev} is unknown to this version of "
                          "the desk; restore it with the version that made it") from None


def restore(url: str, instance_path: str | Path, path: Path) -> Manifest:
    """Replace the database (and stored reports) with the backup's; migrate it to this version."""
    backend, instance_path = backend_of(url), Path(instance_path)
    with tempfile.TemporaryDirectory(prefix=".restore-") as work:
        manifest, copy, files = open_backup(Path(path), Path(work))
        if manifest.backend != backend:
            raise BackupError(f"{Path(path).name} holds a {manifest.backend} database but the "
                              f"desk is configured for {backend}; restore it into {backend}")
        engine = db.make_engine(url)
        try:
            _known_revision(engine, manifest.revision)
            if backend == "sqlite":
                target = sqlitetools.database_path(url)
                target.parent.mkdir(parents=True, exist_ok=True)
                _tool(sqlitetools.copy, copy, target, read_only=True)
            else:
                _tool(pgtools.restore, url, copy)
        finally:
            engine.dispose()
        for staged, name in files:
            destination = instance_path / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staged, destination)
    return manifest
