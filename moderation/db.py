"""Database: one engine per app, one session per request or CLI command, migrations."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url
from sqlmodel import Session

MIGRATIONS = Path(__file__).parent / "migrations"


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
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


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
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


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


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision; safe to repeat."""
    from alembic import command

    check_connection(engine)
    command.upgrade(alembic_config(engine), "head")


def schema_exists(engine: Engine) -> bool:
    """Whether migrations have ever run on this database."""
    return sa.inspect(engine).has_table("alembic_version")


def init_app(app: Flask) -> None:
    """Register teardown for the per-context session."""
    app.teardown_appcontext(close_session)
