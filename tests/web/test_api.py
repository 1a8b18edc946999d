"""/api/removed.json: bearer tokens only, the removed articles with their cases, `since`."""

from datetime import UTC, datetime, timedelta

import pytest

from moderation import cases
from moderation.accounts import tokens
from moderation.models import ApiToken, Article, Decision
from moderation.plumbing.db import get_session

EARLY = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
LATE = datetime(2024, 5, 3, 8, 0, tzinfo=UTC)


def _library(app) -> dict:
    """Two removed articles (one through a case), one still published; and a token."""
    with app.app_context():
        session = get_session()
        early = Article(url="https://uscntv.com/a/early.html", status="removed", removed_at=EARLY)
        late = Article(url="https://uscntv.com/a/late.html", status="removed", removed_at=LATE)
        live = Article(url="https://uscntv.com/a/live.html", status="published")
        session.add_all([early, late, live])
        session.flush()
        case = cases.open_case(session, actor="test", subject="Copyright notice")
        session.add(Decision(case_id=case.id, article_id=late.id, target_url=late.url,
                             action="remove", reason_code="copyright"))
        token, plain = tokens.create_token(session, name="cms", actor="test")
        session.commit()
        return {"early": early.id, "late": late.id, "case": case.id, "token": plain,
                "token_id": token.id}


@pytest.fixture
def library(app):
    return _library(app)


def _get(client, token, query=""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/removed.json{query}", headers=headers)


def test_good_token_lists_removed_articles_with_their_cases(app, client, library):
    before = datetime.now(UTC)
    response = _get(client, library["token"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    document = response.get_json()
    assert before - timedelta(seconds=1) <= datetime.fromisoformat(document["generated_at"])
    assert document["articles"] == [
        {"url": "https://uscntv.com/a/early.html", "article_id": library["early"],
         "status": "removed", "removed_at": EARLY.isoformat(), "case_id": None},
        {"url": "https://uscntv.com/a/late.html", "article_id": library["late"],
         "status": "removed", "removed_at": LATE.isoformat(), "case_id": library["case"]},
    ]
    with app.app_context():
        assert get_session().get(ApiToken, library["token_id"]).last_used_at >= before


@pytest.mark.parametrize(("header", "problem"), [
    (None, "an API token is required"),
    ("Bearer not-a-token", "unknown or has been revoked"),
    ("Basic dXNlcjpwYXNz", "an API token is required"),
])
def test_missing_or_unknown_token_gets_401_json(client, library, header, problem):
    response = client.get("/api/removed.json", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert problem in response.get_json()["error"]


def test_revoked_token_is_refused(app, client, library):
    assert _get(client, library["token"]).status_code == 200
    with app.app_context():
        session = get_session()
        tokens.revoke_token(session, session.get(ApiToken, library["token_id"]), actor="test")
        session.commit()
    response = _get(client, library["token"])
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize(("since", "expected"), [
    ("2024-05-02T00:00:00Z", ["late"]),
    ("2024-05-02", ["late"]),  # a date is its midnight, UTC
    ("2024-05-01T08:00:00+00:00", ["early", "late"]),  # inclusive
    ("2024-05-01T10:00:00 02:00", ["early", "late"]),  # an unencoded "+" reads as a space
    ("2024-05-04T00:00:00Z", []),
])
def test_since_keeps_only_later_removals(client, library, since, expected):
    response = _get(client, library["token"], f"?since={since}")
    assert response.status_code == 200, response.get_json()
    urls = [a["url"] for a in response.get_json()["articles"]]
    assert urls == [f"https://uscntv.com/a/{name}.html" for name in expected]


@pytest.mark.parametrize("since", ["yesterday", "", "2024-13-01"])
def test_bad_since_gets_400_json(client, library, since):
    response = _get(client, library["token"], f"?since={since}")
    assert response.status_code == 400
    assert "ISO-8601" in response.get_json()["error"]


def test_restored_article_leaves_the_list(app, client, library):
    with app.app_context():
        session = get_session()
        article = session.get(Article, library["early"])
        article.status, article.removed_at = "restored", None
        session.commit()
    ids = [a["article_id"] for a in _get(client, library["token"]).get_json()["articles"]]
    assert ids == [library["late"]]


def test_signed_in_staff_without_a_token_are_refused(client, auth, library):
    auth.login("admin@example.org", "admin")
    response = client.get("/api/removed.json")
    assert response.status_code == 401
    assert response.get_json()["error"]


def test_removed_list_reads_the_same_on_every_backend(any_app):
    library, client = _library(any_app), any_app.test_client()
    everything = _get(client, library["token"]).get_json()["articles"]
    assert [(a["article_id"], a["case_id"]) for a in everything] == \
        [(library["early"], None), (library["late"], library["case"])]
    assert everything[0]["removed_at"] == EARLY.isoformat()
    recent = _get(client, library["token"], "?since=2024-05-02T09:00:00%2B02:00").get_json()
    assert [a["article_id"] for a in recent["articles"]] == [library["late"]]
    assert _get(client, "wrong").status_code == 401
