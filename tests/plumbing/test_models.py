"""Every table round-trips on each backend; the migration matches the models."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from moderation.models import (
    Article,
    AuditEvent,
    Case,
    Decision,
    LoginAttempt,
    MailMessage,
    Notice,
    Original,
    Provenance,
    Publisher,
    PublisherDomain,
    RawDocument,
    Reply,
    User,
)
from moderation.plumbing.db import get_engine, get_session

SHANGHAI = timezone(timedelta(hours=8))


def test_every_model_round_trips(any_app):
    published = datetime(2021, 12, 31, 13, 55, tzinfo=SHANGHAI)
    with any_app.app_context():
        session = get_session()
        user = User(email="r@example.org", password_hash="x", role="reviewer")
        publisher = Publisher(name="ABC News", aliases=["美国广播公司"])
        raw = RawDocument(sha256="a" * 64, data=b"\xff\x00raw", content_type="text/plain")
        session.add_all([user, publisher, raw])
        session.flush()
        session.add(PublisherDomain(domain="abcnews.go.com", publisher_id=publisher.id))
        article = Article(
            url="https://uscntv.com/a/1.html", title="拜登、普京", published_at=published,
            claimed_source="美国新闻网", raw_id=raw.id,
            segments=[{"language": "zh", "text": "周四"}, {"language": "en", "text": "Thursday"}],
        )
        original = Original(url="https://abcnews.go.com/x", publisher_id=publisher.id,
                            text="President Joe Biden", language="en")
        session.add_all([article, original])
        session.flush()
        session.add(Provenance(article_id=article.id, original_id=original.id, score=0.97,
                               kind="translation", spans=[{"article": [0, 2]}], attributed=False))
        case = Case(subject="DMCA", claimant_email="legal@abc.example", jurisdiction="US",
                    due_at=published + timedelta(days=2), assignee_id=user.id)
        session.add(case)
        session.flush()
        message = MailMessage(sha256="b" * 64, raw=b"From: x\r\n\r\nhi", subject="侵权通知",
                              headers={"X": "y"}, case_id=case.id)
        session.add(message)
        session.flush()
        session.add(Notice(message_id=message.id, kind="takedown", claimant={"name": "ABC"},
                           target_urls=[article.url], statements={"good_faith": True},
                           case_id=case.id))
        session.add(Decision(case_id=case.id, article_id=article.id, target_url=article.url,
                             action="remove", reason_code="copyright", decided_by_id=user.id))
        session.add(Reply(case_id=case.id, to_addr="legal@abc.example", message_id="<m@desk>"))
        session.add(LoginAttempt(email="r@example.org", address="127.0.0.1"))
        session.commit()
        session.expunge_all()

        loaded = session.get(Article, article.id)
        assert loaded.published_at == published
        assert loaded.published_at.tzinfo is not None
        assert loaded.segments[1] == {"language": "en", "text": "Thursday"}
        assert loaded.body == "周四\n\nThursday"
        assert session.get(RawDocument, raw.id).data == b"\xff\x00raw"
        assert session.get(Publisher, publisher.id).aliases == ["美国广播公司"]
        prov = session.exec(sa.select(Provenance)).scalars().one()
        assert (prov.kind, prov.score, prov.attributed) == ("translation", 0.97, False)
        assert session.get(Case, case.id).due_at == published + timedelta(days=2)
        assert session.get(MailMessage, message.id).raw == b"From: x\r\n\r\nhi"
        assert session.exec(sa.select(Notice)).scalars().one().claimant == {"name": "ABC"}
        assert session.exec(sa.select(Decision)).scalars().one().action == "remove"
        assert session.exec(sa.select(Reply)).scalars().one().status == "queued"
        assert session.exec(sa.select(LoginAttempt)).scalars().one().at.tzinfo == UTC


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Article, {"url": "https://uscntv.com/same"}),
        (Original, {"url": "https://abc.example/same"}),
        (MailMessage, {"sha256": "c" * 64, "raw": b"x"}),
        (User, {"email": "same@example.org", "password_hash": "x"}),
    ],
)
def test_unique_keys_are_enforced(any_app, model, values):
    with any_app.app_context():
        session = get_session()
        session.add(model(**values))
        session.commit()
        session.add(model(**values))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_naive_datetimes_are_refused(any_app):
    with any_app.app_context():
        session = get_session()
        session.add(Article(url="https://uscntv.com/n", published_at=datetime(2021, 1, 1)))
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            session.commit()


def test_migration_produces_the_schema_of_the_models(any_app):
    from moderation.cases.search import include_name  # search indexes SQLModel cannot declare

    with any_app.app_context():
        with get_engine().connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_name})
            differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_audit_table_refuses_update_and_delete(any_app):
    from moderation.plumbing import audit

    with any_app.app_context():
        session = get_session()
        audit.record(session, "test.event", actor="test")
        session.commit()
        for statement in ("UPDATE auditevent SET action = 'forged'", "DELETE FROM auditevent"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                session.execute(sa.text(statement))
            session.rollback()
        assert session.exec(sa.select(AuditEvent.action)).scalars().all() == ["test.event"]
