"""Counter-notices: the put-back window, restoring removed pages, or upholding the removal."""

from datetime import datetime

from sqlmodel import Session, select

from .. import cases
from ..models import Article, Case, Decision, User, utcnow
from ..replies import putback_window
from . import webhook
from .autoreplies import notify_restored

# Where a counter-notice means the removal is put back at once (CN Art. 17: promptly; the DSA
# has no waiting period); elsewhere the US window of 10 to 14 business days applies.
IMMEDIATE_PUTBACK = {"CN", "EU"}


def open_putback(session: Session, case: Case, *, now: datetime | None = None) -> None:
    """On a counter-notice: set when the removal is put back unless the claimant sues.

    One rule with the letters we send (replies.putback_window): the earliest day of the
    window, since the claimant has been told when it opens.
    """
    now = now or utcnow()
    case.putback_at = now if case.jurisdiction in IMMEDIATE_PUTBACK else putback_window(now)[0]
    session.add(case)


def change_article(
    session: Session, article: Article, status: str, *, case_id: int, now: datetime, **details
) -> None:
    """Take an article down or put it back, and tell the site through the webhook."""
    article.status, article.updated_at = status, now
    article.removed_at = now if status == "removed" else None
    session.add(article)
    event = "article.removed" if status == "removed" else "article.restored"
    webhook.queue_event(
        session,
        event=event,
        case_id=case_id,
        article_id=article.id,
        payload={
            "event": event,
            "article_url": article.url,
            "article_id": article.id,
            "case_id": case_id,
            "decided_at": now.isoformat(),
            **details,
        },
    )


def restore_articles(session: Session, case: Case, now: datetime) -> list[Article]:
    restored = []
    for decision in session.exec(
        select(Decision).where(
            Decision.case_id == case.id, Decision.action == "remove", Decision.superseded.is_(False)
        )
    ):
        article = session.get(Article, decision.article_id) if decision.article_id else None
        if article is not None and article.status == "removed":
            change_article(session, article, "restored", case_id=case.id, now=now)
            restored.append(article)
    return restored


def restore(
    session: Session,
    case: Case,
    *,
    actor: User | str,
    version: int,
    now: datetime | None = None,
    config: dict | None = None,
) -> Case:
    """Put back what a disputed case removed (the window passed, or staff decided so);
    with ``config``, the claimant is told."""
    now = now or utcnow()
    restored = restore_articles(session, case, now)
    cases.apply(
        session,
        case,
        expected_version=version,
        actor=actor,
        action="case.restore",
        change=cases.Change(status="restored"),
        now=now,
        details={"restored": [a.url for a in restored]},
    )
    if config is not None:
        notify_restored(session, case, config=config, now=now)
    return case


def uphold(session: Session, case: Case, *, user: User, version: int) -> Case:
    """Keep the removal: the claimant has filed suit (no put-back)."""
    case.putback_at = None
    return cases.apply(
        session,
        case,
        expected_version=version,
        actor=user,
        action="case.uphold",
        change=cases.Change(status="upheld"),
    )


def due_putbacks(
    session: Session, *, config: dict | None = None, now: datetime | None = None
) -> list[int]:
    """Restore every disputed removal whose put-back time has come; returns the case ids."""
    now = now or utcnow()
    done = []
    for case in session.exec(
        select(Case).where(Case.status == "counter_notice", Case.putback_at <= now)
    ).all():
        try:
            restore(session, case, actor="putback", version=case.version, now=now, config=config)
            session.commit()
            done.append(case.id)
        except cases.CaseConflict:
            continue  # a reviewer acted on it meanwhile; nothing to do
    return done
