"""How the desk uses its PostgreSQL connections: tested before use only after being idle."""

import pytest
import sqlalchemy as sa

from moderation.plumbing import db

from ..conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (MODERATION_TEST_DATABASE_URL)")


def test_a_connection_idle_for_a_while_is_tested_and_replaced_if_dropped(monkeypatch):
    """A server restart while the desk was quiet costs no request; a connection in use moments
    ago is used without a test round trip."""
    engine, killer = db.make_engine(PG_URL), sa.create_engine(PG_URL)
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping",
                        lambda connection: pings.append(1) or real_ping(connection))
    try:
        with engine.connect() as connection:
            first = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as connection:  # back in the pool just now: not tested
            assert connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() == first
        assert pings == []
        with killer.begin() as connection:  # as a server restart does to each backend
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"),
                               {"pid": first})  # waits until the backend has gone
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # as if idle for long
        with engine.connect() as connection:
            second = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        assert pings == [1] and second != first
    finally:
        engine.dispose()
        killer.dispose()

