"""The database going away under a request: the request ends cleanly, the next one works."""

import contextlib

import pytest
import sqlalchemy as sa

from moderation.db import close_session, get_session

from .conftest import PG_URL, Auth, dispose, fresh_database, make_test_app


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (MODERATION_TEST_DATABASE_URL)")
def test_connection_killed_mid_request_does_not_fail_teardown(tmp_path, sqlite_template):
    # A server restart is a PostgreSQL matter: SQLite has no connection to lose.
    database = contextlib.contextmanager(fresh_database)("postgresql", tmp_path, sqlite_template)
    with database as url:
        any_app = make_test_app(tmp_path, url)
        try:
            _kill_and_recover(any_app)
        finally:
            dispose(any_app)


def _kill_and_recover(any_app) -> None:
    killer = sa.create_engine(PG_URL)
    try:
        with any_app.app_context():
            session = get_session()
            pid = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
            with killer.begin() as connection:  # as a server restart does to each backend
                connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            close_session()  # must not raise, though the rollback on the dead connection fails
        with any_app.app_context():
            assert get_session().execute(sa.text("SELECT 1")).scalar_one() == 1
        client = any_app.test_client()
        Auth(client, any_app).login()
        assert client.get("/").status_code == 200
    finally:
        killer.dispose()

