"""Database: one engine per app, one session per request or CLI command, migrations."""

import functools
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url
from sqlmodel import Session

MIGRATIONS = Path(__file__).parents[1] / "migrations"
# A pooled connection returned within this many seconds is used without asking the server
# whether it is still there; one idle for longer is tested first (see _ping_after_idle).
PING_AFTER_IDLE_SECONDS = 2.0


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or opened; the message says which and why."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets reviewers read while the mail fetcher writes; foreign keys are off by
    # default in SQLite; the busy timeout turns brief lock waits into waits, not errors.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine with the settings each backend needs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    engine = sa.create_engine(url, pool_size=5, max_overflow=10)
    _ping_after_idle(engine)
    return engine


def _ping_after_idle(engine: Engine) -> None:
    """Test a pooled connection before use only when it has been idle for a while.

    Testing every checkout (pool_pre_ping) costs a round trip per request, about a tenth of a
    busy page's. A connection in use moments ago is almost surely alive; one that sat idle
    may have been dropped by a server restart while the desk was quiet, and is replaced
    without failing the request. A restart under traffic fails the requests in flight either
    way; the first failure marks every older pooled connection for replacement.
    """
    dialect = engine.dialect

    @sa.event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        record.info["returned_at"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get("returned_at")  # None for a new connection
        if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            # The server restarted: replace this connection and every older one in the pool.
            raise sa.exc.InvalidatePoolError(str(exc)) from exc


def describe_url(url: str) -> str:
    """The database URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def get_engine(app: Flask | None = None) -> Engine:
    """The app's engine, created on first use."""
    app = app or current_app
    engine = app.extensions.get("moderation.engine")
    if engine is None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["moderation.engine"] = engine
    return engine


def get_session() -> Session:
    """The session of the current request or command (one per app context)."""
    if "db_session" not in g:
        g.db_session = Session(_request_bind(), expire_on_commit=False)
    return g.db_session


def reads_only(view):
    """Mark a view that only reads the database (the queue, a case page).

    On PostgreSQL its statements then run outside a transaction, each committed by itself: a
    statement in a READ COMMITTED transaction sees the latest committed data anyway, so the
    page reads the same, and the BEGIN and ROLLBACK round trips around every request go.
    """
    view.reads_only = True
    return view


def _request_bind() -> Engine:
    """The app's engine, or for a GET of a view marked reads_only on PostgreSQL, the same
    engine and pool with autocommit connections."""
    engine = get_engine()
    if engine.dialect.name != "postgresql" or not has_request_context() \
            or request.method not in ("GET", "HEAD"):
        return engine
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "reads_only", False):
        return engine
    made_for, reader = current_app.extensions.get("moderation.reader", (None, None))
    if made_for is not engine:
        reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        current_app.extensions["moderation.reader"] = (engine, reader)
    return reader


def close_session(_exc: BaseException | None = None) -> None:
    """Roll back anything uncommitted and close the session at teardown."""
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except sa.exc.SQLAlchemyError:
            # The connection died under us (a database restart): the response is already
            # made, so drop the connection instead of failing it; the pool opens a new one.
            session.invalidate()


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit the current session on success, roll back on any error."""
    session = get_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def check_connection(engine: Engine) -> None:
    """Raise DatabaseUnavailable with a plain reason if the database cannot be used."""
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0]
        raise DatabaseUnavailable(
            f"cannot open the database {describe_url(str(engine.url))}: {reason}"
        ) from None


def alembic_config(engine: Engine):
    """An Alembic configuration bound to this engine (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


# `revision: str = '0012'` and `down_revision: str | None = '0011'` in a migration file.
_REVISION_LINE = re.compile(
    r"^(?P<name>revision|down_revision)\b[^=\n]*=\s*(?:(?P<quote>['\"])(?P<id>[^'\"]+)"
    r"(?P=quote)|None)", re.MULTILINE)


@functools.cache
def head_revision() -> str | None:
    """The newest migration's revision, read from the migration files' own lines.

    Loading Alembic and its scripts to learn this takes a third of a second, which every
    command would pay before any work; reading the files' two lines takes a millisecond.
    None when the files do not name exactly one head (then Alembic decides).
    """
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = {m["name"]: m["id"] for m in _REVISION_LINE.finditer(
            path.read_text(encoding="utf-8"))}
        if "revision" not in found or found["revision"] is None:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def stored_revisions(engine: Engine) -> set[str] | None:
    """The revisions recorded in the database (None when it has no schema or cannot say)."""
    try:
        with engine.connect() as connection:
            return set(connection.execute(sa.text("SELECT version_num FROM alembic_version"))
                       .scalars())
    except sa.exc.SQLAlchemyError:
        return None


def at_head(engine: Engine) -> bool:
    """Whether the schema is already at the newest revision (one small query)."""
    head = head_revision()
    return head is not None and stored_revisions(engine) == {head}


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision; safe to repeat.

    A schema already at the newest revision is left alone without loading Alembic.
    """
    if at_head(engine):
        return
    from alembic import command

    check_connection(engine)
    command.upgrade(alembic_config(engine), "head")


def schema_exists(engine: Engine) -> bool:
    """Whether migrations have ever run on this database."""
    return sa.inspect(engine).has_table("alembic_version")


def init_app(app: Flask) -> None:
    """Register teardown for the per-context session."""
    app.teardown_appcontext(close_session)
