"""The database going away under a request: the request ends cleanly, the next one works."""

import pytest
import sqlalchemy as sa

from moderation.plumbing.db import close_session, get_session

from ..conftest import PG_URL, Auth


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (MODERATION_TEST_DATABASE_URL)")
def test_connection_killed_mid_request_does_not_fail_teardown(postgresql_app):
    # A server restart is a PostgreSQL matter: SQLite has no connection to lose.
    killer = sa.create_engine(PG_URL)
    try:
        with postgresql_app.app_context():
            session = get_session()
            pid = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
            with killer.begin() as connection:  # as a server restart does to each backend
                connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            close_session()  # must not raise, though the rollback on the dead connection fails
        with postgresql_app.app_context():
            assert get_session().execute(sa.text("SELECT 1")).scalar_one() == 1
        client = postgresql_app.test_client()
        Auth(client, postgresql_app).login()
        assert client.get("/").status_code == 200
    finally:
        killer.dispose()

