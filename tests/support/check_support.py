"""Shared by the tests of checking before publishing (test_check*.py): texts and calls."""

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import SQLModel, select

from moderation import demo
from moderation.accounts import tokens
from moderation.library import licences
from moderation.models import ApiToken, Publisher
from moderation.plumbing.db import get_session, transaction
from moderation.provenance import checking

SEED = (Path(demo.__file__).parent / "seed_page.txt").read_text(encoding="utf-8")
BBC = Path(__file__).parents[1] / "fixtures" / "matching" / "bbc" / "articles"
OPENAPI = Path(checking.__file__).parents[1] / "static" / "openapi.json"
UNRELATED = ("Spring planting guide\n\nTomatoes like a sunny bed, compost dug in deep and "
             "water at the roots in the morning.\n\nPinch out the side shoots every week and "
             "tie the stems to canes as they grow.")
ABC_URL = "https://abcnews.go.com/"
PUBLIC = ("risk", "credit_line", "originals", "reasons", "checked_on", "engine_version")
ORIGINAL_FIELDS = {"url", "title", "publisher", "kind", "possible", "score", "article_coverage",
                   "original_coverage", "credited", "risk", "licence", "complaints"}


# Fixtures of the test_check*.py modules (registered in conftest's pytest_plugins); each
# module chooses its own ``app`` (both databases), which these then use.
@pytest.fixture
def token(app) -> str:
    return make_token(app)


@pytest.fixture
def seeded(app):
    demo.load(app, with_mail=False)
    return app


def make_token(app) -> str:
    with app.app_context(), transaction() as session:
        return tokens.create_token(session, name="cms", actor="test")[1]


def _post(client, token, body=None, *, data=None, content_type="application/json", **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if data is None:
        data = json.dumps(body)
    return client.post("/api/check", data=data, content_type=content_type, headers=headers,
                       **kwargs)


def _counts(app) -> dict[str, int]:
    """Rows in every table: what a refused call must leave as it was."""
    with app.app_context():
        session = get_session()
        return {table.name: session.execute(select(func.count()).select_from(table)).scalar()
                for table in SQLModel.metadata.sorted_tables}


def _last_used(app):
    with app.app_context():
        return get_session().exec(select(ApiToken.last_used_at)).one()


def _licence(app, **values):
    with app.app_context(), transaction() as session:
        abc = session.exec(select(Publisher).where(Publisher.name == "ABC News")).one()
        licences.create(session, publisher=abc, actor="test",
                        values={"kind": "licence", "valid_from": date(2000, 1, 1), **values})
