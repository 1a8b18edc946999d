"""A reviewer's decision about one photo of a page: take the picture down or put another in its
place, while the text stays online.

Follows ``decisions.decide``: one transaction holding the case change (optimistic lock and
audit, through cases.py), a Decision row per picture (counted in the transparency report's
actions), the effect on our page (the picture's status, and a webhook event telling the site),
and the reply queued for the claimant. The caller commits.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from .. import cases, replies
from ..models import Article, ArticleImage, Case, CaseTarget, Decision, User, utcnow
from ..replies.reasons import ReplyError, ReplyFacts, Target
from . import webhook
from .autoreplies import queue_to_claimant
from .decisions import DecisionError, _check_holder
from .drafts import facts_for

# What happens to the picture: the action recorded, and the picture's status on our page.
PHOTO_ACTIONS = {"photo_removed": "removed", "photo_replaced": "replaced"}


@dataclass
class PhotoChoice:
    """The reviewer's decision for one picture: remove it, or replace it with ``replacement``
    (the new picture's address or a note of what it is)."""

    image_id: int
    action: str
    reason_code: str
    replacement: str = ""


def _target_for(session: Session, case: Case, article: Article) -> CaseTarget:
    """The case's row for the picture's page; a claim that named only the photo gets one."""
    target = session.exec(select(CaseTarget).where(
        CaseTarget.case_id == case.id, CaseTarget.url == article.url)).first()
    if target is None:
        target = CaseTarget(case_id=case.id, url=article.url, article_id=article.id,
                            verdict="photo")
        session.add(target)
        session.flush()
        case.target_count = (case.target_count or 0) + 1
    return target


def decide_photos(session: Session, case: Case, *, user: User, version: int,
                  choices: list[PhotoChoice], statement: str, reply_subject: str,
                  reply_body: str, sender: str, now: datetime | None = None) -> Case:
    """Remove or replace each chosen picture, with a statement of reasons; answer the claimant."""
    now = now or utcnow()
    _check_holder(case, user)
    if not statement.strip():
        raise DecisionError("the statement of reasons is empty; say why, for the record")
    if not choices:
        raise DecisionError("choose the photo to remove or replace")
    done = []
    for choice in choices:
        if choice.action not in PHOTO_ACTIONS or not choice.reason_code:
            raise DecisionError("each photo needs remove or replace and a reason")
        if choice.action == "photo_replaced" and not choice.replacement.strip():
            raise DecisionError("say what replaces the photo (its address or a short note)")
        image = session.get(ArticleImage, choice.image_id)
        article = session.get(Article, image.article_id) if image is not None else None
        if article is None:
            raise DecisionError("that photo is no longer on one of our pages")
        target = _target_for(session, case, article)
        target.decision = choice.action
        session.add(target)
        replacement = choice.replacement.strip()[:2000] or None
        session.add(Decision(
            case_id=case.id, article_id=article.id, target_url=article.url,
            action=choice.action, reason_code=choice.reason_code,
            statement_of_reasons=statement, automated=False, decided_by_id=user.id,
            decided_at=now, image_id=image.id, image_url=image.url, replacement=replacement))
        image.status, image.replacement = PHOTO_ACTIONS[choice.action], replacement
        session.add(image)
        event = "photo." + PHOTO_ACTIONS[choice.action]
        webhook.queue_event(session, event=event, case_id=case.id, article_id=article.id,
                            payload={"event": event, "article_url": article.url,
                                     "article_id": article.id, "image": image.url,
                                     "replacement": replacement, "case_id": case.id,
                                     "reason": choice.reason_code,
                                     "decided_at": now.isoformat()})
        done.append({"image": image.url, "article_url": article.url,
                     "action": choice.action, "replacement": replacement})
    cases.apply(session, case, expected_version=version, actor=user,
                action="case.decide_photo",
                change=cases.Change(status="resolved_removed", assignee_id=user.id),
                now=now, details={"photos": done, "statement": statement})
    case.decided_at = now
    session.add(case)
    queue_to_claimant(session, case, user=user, template="decision", subject=reply_subject,
                      body=reply_body, sender=sender)
    return case


def photo_drafts(file, pages: list[tuple[str, str]], *, site_name: str,
                 overrides: dict | None = None) -> dict:
    """The statement and reply a photo decision starts from: each page (url, title) of the
    pictures at issue, its photo removed (the reviewer edits both if replacing)."""
    facts = facts_for(file, site_name=site_name)
    language = replies.language_for(facts.language)
    targets = [Target(url=url, title=title, decision="photo_removed", reason_code="copyright")
               for url, title in dict(pages).items()]
    if not targets:
        return {"statement": "", "subject": "", "body": ""}
    facts = ReplyFacts.coerce({**facts.__dict__, "targets": targets})
    try:
        statement = replies.statement_of_reasons(facts, language)
        facts = ReplyFacts.coerce({**facts.__dict__, "statement_of_reasons": statement})
        subject, body = replies.render(replies.DECISION, language, facts, overrides)
    except ReplyError:
        return {"statement": "", "subject": "", "body": ""}
    return {"statement": statement, "subject": subject, "body": body}
