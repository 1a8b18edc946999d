"""The case state machine: transitions, the SLA clock, claims, and optimistic locking."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from moderation import cases
from moderation.models import AuditEvent, Case, User
from moderation.plumbing.db import get_engine, get_session

from ..conftest import add_user

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _setup(app, **case_fields):
    with app.app_context():
        session = get_session()
        reviewer = session.get(User, add_user(app, "r1@example.org"))
        other = session.get(User, add_user(app, "r2@example.org"))
        case = cases.open_case(session, actor="test", subject="DMCA notice",
                               due_at=T0 + timedelta(hours=48), **case_fields)
        session.commit()
        return case.id, reviewer.id, other.id


def test_claim_puts_the_case_in_review_for_the_user(any_app):
    case_id, reviewer_id, _ = _setup(any_app)
    with any_app.app_context():
        session = get_session()
        case, user = session.get(Case, case_id), session.get(User, reviewer_id)
        cases.claim(session, case, user=user, expected_version=case.version)
        session.commit()
        assert (case.status, case.assignee_id, case.version) == ("in_review", user.id, 2)
        actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions[-2:] == ["case.open", "case.claim"]


def test_a_case_held_by_someone_else_cannot_be_claimed(app):
    case_id, reviewer_id, other_id = _setup(app)
    with app.app_context():
        session = get_session()
        case = session.get(Case, case_id)
        cases.claim(session, case, user=session.get(User, reviewer_id), expected_version=1)
        session.commit()
        with pytest.raises(cases.CaseError, match="assigned to someone else"):
            cases.claim(session, case, user=session.get(User, other_id), expected_version=2)


def test_reassigning_someone_elses_case_is_audited_as_such(app):
    case_id, reviewer_id, other_id = _setup(app)
    with app.app_context():
        session = get_session()
        case = session.get(Case, case_id)
        cases.claim(session, case, user=session.get(User, reviewer_id), expected_version=1)
        other = session.get(User, other_id)
        cases.assign(session, case, actor=other, assignee=other, expected_version=2)
        session.commit()
        event = session.exec(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert event.action == "case.assign" and event.after["reassigned_from"] == reviewer_id
        assert case.assignee_id == other_id


def test_stale_version_is_a_conflict_and_changes_nothing(app):
    case_id, reviewer_id, _ = _setup(app)
    with app.app_context():
        session = get_session()
        case = session.get(Case, case_id)
        user = session.get(User, reviewer_id)
        cases.claim(session, case, user=user, expected_version=1)
        session.commit()
        events_before = len(session.exec(select(AuditEvent)).all())
        with pytest.raises(cases.CaseConflict):
            cases.apply(session, case, expected_version=1, actor=user, action="case.test",
                        change=cases.Change(status="needs_info"))
        assert session.get(Case, case_id).status == "in_review"
        assert len(session.exec(select(AuditEvent)).all()) == events_before


def test_transitions_outside_the_lifecycle_are_refused(app):
    case_id, reviewer_id, _ = _setup(app)
    with app.app_context():
        session = get_session()
        case = session.get(Case, case_id)
        with pytest.raises(cases.CaseError, match="cannot become restored"):
            cases.apply(session, case, expected_version=1, actor="test", action="case.test",
                        change=cases.Change(status="restored"))


def test_the_clock_pauses_while_information_is_awaited(app):
    case_id, _, _ = _setup(app)
    with app.app_context():
        session = get_session()
        case = session.get(Case, case_id)
        cases.apply(session, case, expected_version=1, actor="test", action="case.request_info",
                    change=cases.Change(status="needs_info"), now=T0 + timedelta(hours=10))
        assert case.paused_at == T0 + timedelta(hours=10)
        cases.apply(session, case, expected_version=2, actor="test", action="case.info_received",
                    change=cases.Change(status="open"), now=T0 + timedelta(hours=30))
        session.commit()
        assert case.paused_at is None
        assert case.due_at == T0 + timedelta(hours=48 + 20)


def test_two_reviewers_deciding_at_once_exactly_one_wins(any_app):
    case_id, first_id, second_id = _setup(any_app)
    with any_app.app_context():
        engine = get_engine()
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def decide(user_id: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            case = session.get(Case, case_id)
            user = session.get(User, user_id)
            version = case.version
            barrier.wait()
            try:
                cases.apply(session, case, expected_version=version, actor=user,
                            action="case.decide", change=cases.Change(status="resolved_kept"))
                session.commit()
                outcomes[user_id] = "won"
            except cases.CaseConflict:
                outcomes[user_id] = "conflict"

    with any_app.app_context():
        threads = [threading.Thread(target=decide, args=(uid,)) for uid in (first_id, second_id)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes.values()) == ["conflict", "won"]
        session = get_session()
        decided = session.exec(select(AuditEvent).where(AuditEvent.action == "case.decide")).all()
        assert len(decided) == 1
        assert session.get(Case, case_id).version == 2
