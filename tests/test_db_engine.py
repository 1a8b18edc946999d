"""How the desk uses its PostgreSQL connections: tested when idle, planned per statement."""

import pytest
import sqlalchemy as sa

from moderation import db

from .conftest import PG_URL

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


def test_statements_are_planned_for_their_own_values_in_every_transaction_state():
    """A prepared search must not fall back to one generic plan (see db._custom_plans)."""
    engine = db.make_engine(PG_URL)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == \
                "force_custom_plan"
            connection.rollback()  # the setting is the connection's, not a transaction's
            assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == \
                "force_custom_plan"
        reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        with reader.connect() as connection:
            assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == \
                "force_custom_plan"
            # What the generic plan would do is visible in the plan of a prepared statement:
            # with custom plans, a two-character pattern is not looked up in an index.
            connection.exec_driver_sql(
                "PREPARE probe(text) AS SELECT count(*) FROM pg_class "
                "WHERE relname LIKE $1")
            for _ in range(7):  # past PostgreSQL's five custom plans before a generic one
                plan = "\n".join(connection.exec_driver_sql(
                    "EXPLAIN EXECUTE probe('%%ab%%')").scalars())
            assert "$1" not in plan and "'%ab%'" in plan
    finally:
        engine.dispose()
