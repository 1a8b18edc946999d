"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL when configured), clients, users."""

import contextlib
import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from moderation import create_app
from moderation.plumbing.db import make_engine, upgrade

# Shared fixtures: a local web server, an SMTP server, Chromium, a throw-away Dovecot.
pytest_plugins = ["tests.support.webserver", "tests.support.smtp", "tests.support.browser",
                  "tests.support.dovecot", "tests.support.check_support"]

PG_URL = os.environ.get("MODERATION_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite database, copied for each test (migrating once is faster)."""
    path = tmp_path_factory.mktemp("template") / "moderation.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def fresh_database(backend: str, tmp_path: Path, template: Path):
    """Yield a fresh, migrated database URL; PostgreSQL gets a schema of its own."""
    if backend == "sqlite":
        target = tmp_path / "instance" / "moderation.db"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(template, target)
        yield f"sqlite:///{target}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def database_url(tmp_path, sqlite_template):
    """A fresh SQLite database for tests whose behaviour does not depend on the backend."""
    yield from fresh_database("sqlite", tmp_path, sqlite_template)


@pytest.fixture(params=BACKENDS)
def any_database_url(request, tmp_path, sqlite_template):
    """A fresh database on each configured backend (SQLite, and PostgreSQL when set)."""
    yield from fresh_database(request.param, tmp_path, sqlite_template)


def make_test_app(tmp_path: Path, database_url: str, **overrides):
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "DEFAULT_LOCALE": "en",
        "DEFAULT_TIMEZONE": "UTC",
    }
    config.update(overrides)
    return create_app(config)


def dispose(app) -> None:
    engine = app.extensions.get("moderation.engine")
    if engine is not None:
        engine.dispose()


@pytest.fixture
def app(tmp_path, database_url):
    app = make_test_app(tmp_path, database_url)
    yield app
    dispose(app)


@pytest.fixture
def any_app(tmp_path, any_database_url):
    app = make_test_app(tmp_path, any_database_url)
    yield app
    dispose(app)


@pytest.fixture
def postgresql_app(tmp_path, sqlite_template):
    """An app on a fresh PostgreSQL schema, for what only PostgreSQL does (lost connections,
    transactions around reads); such tests are marked to need MODERATION_TEST_DATABASE_URL."""
    database = contextlib.contextmanager(fresh_database)("postgresql", tmp_path, sqlite_template)
    with database as url:
        app = make_test_app(tmp_path, url)
        try:
            yield app
        finally:
            dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def add_user(app, email: str, role: str = "reviewer", password: str = PASSWORD):
    from moderation import accounts
    from moderation.plumbing.db import transaction

    with app.app_context(), transaction() as session:
        user = accounts.create_user(session=session, email=email, password=password, role=role,
                                    actor="test")
        return user.id


class Auth:
    """Signs a test client in and out."""

    def __init__(self, client, app):
        self.client, self.app = client, app

    def login(self, email: str = "reviewer@example.org", role: str = "reviewer"):
        add_user(self.app, email, role)
        return self.client.post("/login", data={"email": email, "password": PASSWORD})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, app):
    return Auth(client, app)


@pytest.fixture
def objects(app):
    """One object of each kind, so detail pages have something to show."""
    from moderation.models import (
        Article,
        Case,
        CaseTarget,
        Licence,
        Original,
        Publisher,
        RawDocument,
    )
    from moderation.plumbing.db import transaction

    with app.app_context(), transaction() as session:
        raw = RawDocument(sha256="1" * 64, data="<p>页面</p>".encode())
        session.add(raw)
        session.flush()
        article = Article(url="https://uscntv.com/m/1.html", title="Matrix article",
                          segments=[{"language": "en", "text": "Body"}], raw_id=raw.id)
        original = Original(url="https://example.org/o/1", title="Matrix original", text="Body",
                            raw_id=raw.id)
        case = Case(subject="Matrix case", claimant_email="claims@example.org", target_count=1)
        session.add_all([article, original, case])
        session.flush()
        session.add(CaseTarget(case_id=case.id, url=article.url, article_id=article.id,
                               original_id=original.id, verdict="supported"))
        # A licence with its signed agreement, for the licence register's pages.
        publisher = Publisher(name="Matrix publisher")
        agreement = RawDocument(sha256="2" * 64, data=b"%PDF-1.4 matrix",
                                content_type="application/pdf")
        session.add_all([publisher, agreement])
        session.flush()
        licence = Licence(publisher_id=publisher.id, full_repost=True, document_id=agreement.id,
                          document_name="协议 matrix.pdf")
        session.add(licence)
        session.flush()
        return {"article": article.id, "original": original.id, "case": case.id,
                "licence": licence.id}
