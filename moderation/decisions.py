"""What reviewers do to a case: decide, reject, ask for more, merge, withdraw, restore, undo.

Each action is one transaction: the case change (optimistic lock + audit, through cases.py),
its effect on our articles, the reply queued for the claimant, and the webhook event queued
for the site. The caller commits; any error leaves nothing half-done.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from . import cases, outbox, webhook
from .models import Article, Case, CaseTarget, Decision, MailMessage, Reply, User, utcnow
from .replies import putback_window

UNDO_GRACE = timedelta(minutes=10)
# Where a counter-notice means the removal is put back at once (CN Art. 17: promptly; the DSA
# has no waiting period); elsewhere the US window of 10 to 14 business days applies.
IMMEDIATE_PUTBACK = {"CN", "EU"}


class DecisionError(ValueError):
    """An action refused as asked; the message says what to change."""


@dataclass
class TargetChoice:
    """The reviewer's decision for one page of the case."""

    target_id: int
    action: str  # "remove" or "keep"
    reason_code: str


def correspondent(session: Session, case: Case) -> tuple[str | None, str | None, list[str]]:
    """Whom to answer: address, the Message-ID to answer, and the References chain."""
    last = session.exec(
        select(MailMessage).where(MailMessage.case_id == case.id,
                                  MailMessage.classification.in_(("notice", "reply", "inquiry")))
        .order_by(MailMessage.id.desc())
    ).first()
    if last is None:
        return case.claimant_email, None, []
    return (case.claimant_email or last.from_addr or None, last.message_id,
            [*last.references, *([last.message_id] if last.message_id else [])])


def _reply(session: Session, case: Case, *, user: User | str, template: str, subject: str,
           body: str, sender: str) -> Reply | None:
    address, in_reply_to, references = correspondent(session, case)
    if not address or not body.strip():
        return None
    return outbox.queue_reply(session, case=case, to_addr=address, subject=subject, body=body,
                              template=template, sender=sender, in_reply_to=in_reply_to,
                              references=references, actor=user)


def _check_holder(case: Case, user: User) -> None:
    if case.assignee_id not in (None, user.id):
        raise DecisionError("this case is assigned to someone else; reassign it to yourself first")


def decide(
    session: Session, case: Case, *, user: User, version: int, choices: list[TargetChoice],
    statement: str, reply_subject: str, reply_body: str, sender: str, automated: bool = True,
    now: datetime | None = None,
) -> Case:
    """Remove or keep each page, with a statement of reasons; answer the claimant."""
    now = now or utcnow()
    _check_holder(case, user)
    if not statement.strip():
        raise DecisionError("the statement of reasons is empty; say why, for the record")
    targets = {t.id: t for t in session.exec(select(CaseTarget).where(CaseTarget.case_id == case.id))}
    if not choices or any(c.target_id not in targets for c in choices):
        raise DecisionError("choose remove or keep for the pages of this case")
    if any(c.action not in ("remove", "keep") or not c.reason_code for c in choices):
        raise DecisionError("each page needs remove or keep and a reason")
    removed = []
    for choice in choices:
        target = targets[choice.target_id]
        target.decision = choice.action
        session.add(target)
        session.add(Decision(case_id=case.id, article_id=target.article_id, target_url=target.url,
                             action=choice.action, reason_code=choice.reason_code,
                             statement_of_reasons=statement, automated=automated,
                             decided_by_id=user.id, decided_at=now))
        article = session.get(Article, target.article_id) if target.article_id else None
        if choice.action == "remove" and article is not None and article.status != "removed":
            article.status, article.removed_at, article.updated_at = "removed", now, now
            session.add(article)
            removed.append(article)
            webhook.queue_event(session, event="article.removed", case_id=case.id,
                                article_id=article.id, payload={
                                    "event": "article.removed", "article_url": article.url,
                                    "article_id": article.id, "case_id": case.id,
                                    "reason": choice.reason_code,
                                    "statement_of_reasons": statement,
                                    "decided_at": now.isoformat()})
    status = "resolved_removed" if any(c.action == "remove" for c in choices) else "resolved_kept"
    cases.apply(session, case, expected_version=version, actor=user, action="case.decide",
                change=cases.Change(status=status, assignee_id=user.id), now=now,
                details={"decisions": [c.__dict__ for c in choices],
                         "removed": [a.url for a in removed]})
    case.decided_at = now
    session.add(case)
    _reply(session, case, user=user, template="decision", subject=reply_subject, body=reply_body,
           sender=sender)
    return case


def reject(
    session: Session, case: Case, *, user: User, version: int, reason: str, reply_subject: str,
    reply_body: str, sender: str, now: datetime | None = None,
) -> Case:
    """Close a notice without acting on it (incomplete, not ours, not infringing, abusive...)."""
    now = now or utcnow()
    _check_holder(case, user)
    cases.apply(session, case, expected_version=version, actor=user, action="case.reject",
                change=cases.Change(status="resolved_kept"), now=now, details={"reason": reason})
    case.decided_at = now
    session.add(case)
    _reply(session, case, user=user, template="rejected", subject=reply_subject, body=reply_body,
           sender=sender)
    return case


def request_info(
    session: Session, case: Case, *, user: User, version: int, reply_subject: str,
    reply_body: str, sender: str,
) -> Case:
    """Ask the claimant for what the notice lacks; the SLA clock stops meanwhile."""
    _check_holder(case, user)
    if not reply_body.strip():
        raise DecisionError("the message to the claimant is empty")
    cases.apply(session, case, expected_version=version, actor=user, action="case.request_info",
                change=cases.Change(status="needs_info"))
    _reply(session, case, user=user, template="need_info", subject=reply_subject,
           body=reply_body, sender=sender)
    return case


def merge(session: Session, case: Case, *, user: User, version: int, into: Case) -> Case:
    """Close a case as a duplicate of another one, which carries on."""
    if into.id == case.id:
        raise DecisionError("a case cannot be a duplicate of itself")
    return cases.apply(session, case, expected_version=version, actor=user, action="case.merge",
                       change=cases.Change(status="duplicate", duplicate_of_id=into.id))


def withdraw(session: Session, case: Case, *, user: User, version: int) -> Case:
    """Close a case the claimant withdrew (a retraction); removed pages are put back."""
    _restore_articles(session, case, now=utcnow())
    return cases.apply(session, case, expected_version=version, actor=user,
                       action="case.withdraw", change=cases.Change(status="withdrawn"))


def open_putback(session: Session, case: Case, *, now: datetime | None = None) -> None:
    """On a counter-notice: set when the removal is put back unless the claimant sues.

    One rule with the letters we send (replies.putback_window): the earliest day of the
    window, since the claimant has been told when it opens.
    """
    now = now or utcnow()
    case.putback_at = now if case.jurisdiction in IMMEDIATE_PUTBACK else putback_window(now)[0]
    session.add(case)


def _restore_articles(session: Session, case: Case, now: datetime) -> list[Article]:
    restored = []
    for decision in session.exec(select(Decision).where(
            Decision.case_id == case.id, Decision.action == "remove",
            Decision.superseded.is_(False))):
        article = session.get(Article, decision.article_id) if decision.article_id else None
        if article is not None and article.status == "removed":
            article.status, article.removed_at, article.updated_at = "restored", None, now
            session.add(article)
            restored.append(article)
            webhook.queue_event(session, event="article.restored", case_id=case.id,
                                article_id=article.id, payload={
                                    "event": "article.restored", "article_url": article.url,
                                    "article_id": article.id, "case_id": case.id,
                                    "decided_at": now.isoformat()})
    return restored


def restore(session: Session, case: Case, *, actor: User | str, version: int,
            now: datetime | None = None, config: dict | None = None) -> Case:
    """Put back what a disputed case removed (the window passed, or staff decided so);
    with ``config``, the claimant is told."""
    from .replies import RESTORED

    now = now or utcnow()
    restored = _restore_articles(session, case, now)
    cases.apply(session, case, expected_version=version, actor=actor, action="case.restore",
                change=cases.Change(status="restored"), now=now,
                details={"restored": [a.url for a in restored]})
    if config is not None:
        _draft_reply(session, case, RESTORED, config=config, actor="putback", restored_at=now)
    return case


def uphold(session: Session, case: Case, *, user: User, version: int) -> Case:
    """Keep the removal: the claimant has filed suit (no put-back)."""
    case.putback_at = None
    return cases.apply(session, case, expected_version=version, actor=user, action="case.uphold",
                       change=cases.Change(status="upheld"))


def due_putbacks(session: Session, *, config: dict | None = None,
                 now: datetime | None = None) -> list[int]:
    """Restore every disputed removal whose put-back time has come; returns the case ids."""
    now = now or utcnow()
    done = []
    for case in session.exec(select(Case).where(Case.status == "counter_notice",
                                                Case.putback_at <= now)).all():
        try:
            restore(session, case, actor="putback", version=case.version, now=now,
                    config=config)
            session.commit()
            done.append(case.id)
        except cases.CaseConflict:
            continue  # a reviewer acted on it meanwhile; nothing to do
    return done


def undo(session: Session, case: Case, *, user: User, version: int,
         now: datetime | None = None) -> Case:
    """Take back one's own decision within a short grace period."""
    now = now or utcnow()
    if case.status not in ("resolved_removed", "resolved_kept") or case.decided_at is None:
        raise DecisionError("there is no decision to undo on this case")
    decisions = session.exec(select(Decision).where(Decision.case_id == case.id,
                                                    Decision.superseded.is_(False))).all()
    if any(d.decided_by_id != user.id for d in decisions) or case.assignee_id != user.id:
        raise DecisionError("only the reviewer who decided can undo the decision")
    if now - case.decided_at > UNDO_GRACE:
        raise DecisionError("the time to undo this decision has passed")
    for decision in decisions:
        decision.superseded = True
        session.add(decision)
        article = session.get(Article, decision.article_id) if decision.article_id else None
        if decision.action == "remove" and article is not None and article.status == "removed":
            article.status, article.removed_at, article.updated_at = "published", None, now
            session.add(article)
            webhook.queue_event(session, event="article.restored", case_id=case.id,
                                article_id=article.id, payload={
                                    "event": "article.restored", "article_url": article.url,
                                    "article_id": article.id, "case_id": case.id,
                                    "reason": "decision undone", "decided_at": now.isoformat()})
    for target in session.exec(select(CaseTarget).where(CaseTarget.case_id == case.id)):
        target.decision = None
        session.add(target)
    for reply in session.exec(select(Reply).where(Reply.case_id == case.id,
                                                  Reply.status == "queued")):
        reply.status = "cancelled"
        session.add(reply)
    cases.apply(session, case, expected_version=version, actor=user, action="case.undo",
                change=cases.Change(status="in_review"), now=now, undo=True)
    case.decided_at = None
    session.add(case)
    return case


def bulk(session: Session, ids: list[int], *, action: str, user: User) -> tuple[int, list]:
    """Apply a queue action to several cases; each case commits or fails on its own."""
    done, refused = 0, []
    for case_id in ids:
        case = session.get(Case, case_id)
        if case is None:
            refused.append((case_id, "no such case"))
            continue
        try:
            if action == "assign_me":
                cases.claim(session, case, user=user, expected_version=case.version)
            elif action == "duplicate":
                cases.apply(session, case, expected_version=case.version, actor=user,
                            action="case.mark_duplicate", change=cases.Change(status="duplicate"))
            elif action == "spam":
                cases.apply(session, case, expected_version=case.version, actor=user,
                            action="case.mark_spam", change=cases.Change(status="resolved_kept"),
                            details={"reason": "spam"})
            session.commit()
            done += 1
        except (cases.CaseError, cases.CaseConflict, DecisionError) as exc:
            session.rollback()
            refused.append((case_id, str(exc) or "changed by someone else"))
    return done, refused


def _draft_reply(session: Session, case: Case, template: str, *, config: dict,
                 actor: str, **extra) -> Reply | None:
    """Render one of the reply templates for the case and queue it (no reviewer involved)."""
    from . import casefile, drafts, replies

    facts = drafts.facts_for(casefile.gather(session, case), site_name=str(config["SITE_NAME"]))
    if extra:
        facts = replies.ReplyFacts.coerce({**facts.__dict__, **extra})
    try:
        subject, body = replies.render(template, replies.language_for(facts.language), facts,
                                       config.get("REPLY_TEMPLATES"))
    except replies.ReplyError:
        return None
    return _reply(session, case, user=actor, template=template, subject=subject, body=body,
                  sender=str(config["MAIL_FROM"]))


def acknowledge(session: Session, case: Case, message: MailMessage, *, config: dict,
                now: datetime | None = None) -> Reply | None:
    """Acknowledge a new notice: never to automatic mail, at most once a day per sender."""
    from .replies import ACKNOWLEDGEMENT, should_acknowledge

    now = now or utcnow()
    sender = message.from_addr
    last = session.exec(select(Reply.created_at).where(
        Reply.template == ACKNOWLEDGEMENT, Reply.to_addr.contains(sender))
        .order_by(Reply.created_at.desc())).first() if sender else None
    if not should_acknowledge(classification=message.classification, sender=sender,
                              last_ack_to_sender_at=last, now=now):
        return None
    return _draft_reply(session, case, ACKNOWLEDGEMENT, config=config, actor="mailbox")


def forward_counter_notice(session: Session, case: Case, message: MailMessage, *,
                           config: dict, now: datetime | None = None) -> Reply | None:
    """Tell the original claimant that a counter-notice disputes the removal."""
    from .replies import COUNTER_NOTICE_FORWARDED

    return _draft_reply(session, case, COUNTER_NOTICE_FORWARDED, config=config, actor="mailbox",
                        counter_notice_at=now or utcnow(),
                        counter_notice_text=(message.text or "")[:4000])
