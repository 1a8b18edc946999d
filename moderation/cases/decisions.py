"""What reviewers do to a case: decide, reject, ask for more, merge, withdraw, restore, undo.

Each action is one transaction: the case change (optimistic lock + audit, through cases.py),
its effect on our articles, the reply queued for the claimant, and the webhook event queued
for the site. The caller commits; any error leaves nothing half-done.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from .. import cases
from ..models import Article, ArticleImage, Case, CaseTarget, Decision, Reply, User, utcnow
from . import restoration
from .autoreplies import draft_and_queue, queue_to_claimant

UNDO_GRACE = timedelta(minutes=10)


class DecisionError(ValueError):
    """An action refused as asked; the message says what to change."""


@dataclass
class TargetChoice:
    """The reviewer's decision for one page of the case."""

    target_id: int
    action: str  # "remove" or "keep"
    reason_code: str


def _check_holder(case: Case, user: User) -> None:
    if case.assignee_id not in (None, user.id):
        raise DecisionError("this case is assigned to someone else; reassign it to yourself first")


def decide(
    session: Session,
    case: Case,
    *,
    user: User,
    version: int,
    choices: list[TargetChoice],
    statement: str,
    reply_subject: str,
    reply_body: str,
    sender: str,
    automated: bool = True,
    now: datetime | None = None,
) -> Case:
    """Remove or keep each page, with a statement of reasons; answer the claimant."""
    now = now or utcnow()
    _check_holder(case, user)
    if not statement.strip():
        raise DecisionError("the statement of reasons is empty; say why, for the record")
    targets = {
        t.id: t for t in session.exec(select(CaseTarget).where(CaseTarget.case_id == case.id))
    }
    if not choices or any(c.target_id not in targets for c in choices):
        raise DecisionError("choose remove or keep for the pages of this case")
    if any(c.action not in ("remove", "keep") or not c.reason_code for c in choices):
        raise DecisionError("each page needs remove or keep and a reason")
    removed = []
    for choice in choices:
        target = targets[choice.target_id]
        target.decision = choice.action
        session.add(target)
        session.add(
            Decision(
                case_id=case.id,
                article_id=target.article_id,
                target_url=target.url,
                action=choice.action,
                reason_code=choice.reason_code,
                statement_of_reasons=statement,
                automated=automated,
                decided_by_id=user.id,
                decided_at=now,
            )
        )
        article = session.get(Article, target.article_id) if target.article_id else None
        if choice.action == "remove" and article is not None and article.status != "removed":
            restoration.change_article(
                session,
                article,
                "removed",
                case_id=case.id,
                now=now,
                reason=choice.reason_code,
                statement_of_reasons=statement,
            )
            removed.append(article)
    status = "resolved_removed" if any(c.action == "remove" for c in choices) else "resolved_kept"
    cases.apply(
        session,
        case,
        expected_version=version,
        actor=user,
        action="case.decide",
        change=cases.Change(status=status, assignee_id=user.id),
        now=now,
        details={"decisions": [c.__dict__ for c in choices], "removed": [a.url for a in removed]},
    )
    case.decided_at = now
    session.add(case)
    queue_to_claimant(
        session,
        case,
        user=user,
        template="decision",
        subject=reply_subject,
        body=reply_body,
        sender=sender,
    )
    return case


def _close_rejected(
    session: Session,
    case: Case,
    *,
    user: User,
    version: int,
    reason: str,
    now: datetime | None = None,
) -> None:
    """The case part of a rejection: closed as kept, the reason on record."""
    now = now or utcnow()
    _check_holder(case, user)
    cases.apply(
        session,
        case,
        expected_version=version,
        actor=user,
        action="case.reject",
        change=cases.Change(status="resolved_kept"),
        now=now,
        details={"reason": reason},
    )
    case.decided_at = now
    session.add(case)


def reject(
    session: Session,
    case: Case,
    *,
    user: User,
    version: int,
    reason: str,
    reply_subject: str,
    reply_body: str,
    sender: str,
    now: datetime | None = None,
) -> Case:
    """Close a notice without acting on it (incomplete, not ours, not infringing, abusive...)."""
    _close_rejected(session, case, user=user, version=version, reason=reason, now=now)
    queue_to_claimant(
        session,
        case,
        user=user,
        template="rejected",
        subject=reply_subject,
        body=reply_body,
        sender=sender,
    )
    return case


def request_info(
    session: Session,
    case: Case,
    *,
    user: User,
    version: int,
    reply_subject: str,
    reply_body: str,
    sender: str,
) -> Case:
    """Ask the claimant for what the notice lacks; the SLA clock stops meanwhile."""
    _check_holder(case, user)
    if not reply_body.strip():
        raise DecisionError("the message to the claimant is empty")
    cases.apply(
        session,
        case,
        expected_version=version,
        actor=user,
        action="case.request_info",
        change=cases.Change(status="needs_info"),
    )
    queue_to_claimant(
        session,
        case,
        user=user,
        template="need_info",
        subject=reply_subject,
        body=reply_body,
        sender=sender,
    )
    return case


def merge(session: Session, case: Case, *, user: User, version: int, into: Case) -> Case:
    """Close a case as a duplicate of another one, which carries on."""
    if into.id == case.id:
        raise DecisionError("a case cannot be a duplicate of itself")
    return cases.apply(
        session,
        case,
        expected_version=version,
        actor=user,
        action="case.merge",
        change=cases.Change(status="duplicate", duplicate_of_id=into.id),
    )


def withdraw(session: Session, case: Case, *, user: User, version: int) -> Case:
    """Close a case the claimant withdrew (a retraction); removed pages are put back."""
    restoration.restore_articles(session, case, now=utcnow())
    return cases.apply(
        session,
        case,
        expected_version=version,
        actor=user,
        action="case.withdraw",
        change=cases.Change(status="withdrawn"),
    )


def undo(
    session: Session, case: Case, *, user: User, version: int, now: datetime | None = None
) -> Case:
    """Take back one's own decision within a short grace period."""
    now = now or utcnow()
    if case.status not in ("resolved_removed", "resolved_kept") or case.decided_at is None:
        raise DecisionError("there is no decision to undo on this case")
    decisions = session.exec(
        select(Decision).where(Decision.case_id == case.id, Decision.superseded.is_(False))
    ).all()
    if any(d.decided_by_id != user.id for d in decisions) or case.assignee_id != user.id:
        raise DecisionError("only the reviewer who decided can undo the decision")
    if now - case.decided_at > UNDO_GRACE:
        raise DecisionError("the time to undo this decision has passed")
    for decision in decisions:
        decision.superseded = True
        session.add(decision)
        article = session.get(Article, decision.article_id) if decision.article_id else None
        if decision.action == "remove" and article is not None and article.status == "removed":
            restoration.change_article(
                session, article, "published", case_id=case.id, now=now, reason="decision undone"
            )
        image = session.get(ArticleImage, decision.image_id) if decision.image_id else None
        if image is not None:
            # A photo decision undone: the picture is shown again as it was.
            image.status, image.replacement = "shown", None
            session.add(image)
    for target in session.exec(select(CaseTarget).where(CaseTarget.case_id == case.id)):
        target.decision = None
        session.add(target)
    for reply in session.exec(
        select(Reply).where(Reply.case_id == case.id, Reply.status == "queued")
    ):
        reply.status = "cancelled"
        session.add(reply)
    cases.apply(
        session,
        case,
        expected_version=version,
        actor=user,
        action="case.undo",
        change=cases.Change(status="in_review"),
        now=now,
        undo=True,
    )
    case.decided_at = None
    session.add(case)
    return case


# Queue actions that only close a case: (audit action, new status, details).
_BULK_CLOSING = {
    "duplicate": ("case.mark_duplicate", "duplicate", None),
    "spam": ("case.mark_spam", "resolved_kept", {"reason": "spam"}),
}


def bulk(
    session: Session, ids: list[int], *, action: str, user: User, config: dict | None = None
) -> tuple[int, list]:
    """Apply a queue action to several cases; each case commits or fails on its own.

    "reject_incomplete" closes each case and queues the rejection template (reason
    "incomplete") in the claimant's language, listing what the notice lacks.
    """
    done, refused = 0, []
    for case_id in ids:
        case = session.get(Case, case_id)
        if case is None:
            refused.append((case_id, "no such case"))
            continue
        try:
            if action == "assign_me":
                cases.claim(session, case, user=user, expected_version=case.version)
            elif action in _BULK_CLOSING:
                audit_action, status, details = _BULK_CLOSING[action]
                cases.apply(
                    session,
                    case,
                    expected_version=case.version,
                    actor=user,
                    action=audit_action,
                    change=cases.Change(status=status),
                    details=details,
                )
            elif action == "reject_incomplete":
                _close_rejected(session, case, user=user, version=case.version, reason="incomplete")
                if config is not None:
                    draft_and_queue(
                        session,
                        case,
                        "rejected",
                        config=config,
                        actor=user,
                        reject_reason="incomplete",
                    )
            else:
                raise DecisionError(f"unknown action {action!r}")
            session.commit()
            done += 1
        except (cases.CaseError, cases.CaseConflict, DecisionError) as exc:
            session.rollback()
            refused.append((case_id, str(exc) or "changed by someone else"))
    return done, refused
