"""What reviewers decide on a review item raised by matching.

confirm   the match is right and nothing needs doing (e.g. the use is allowed)
reject    the match is wrong: the pairs are remembered, never raised again, and exported as
          labelled examples for tuning thresholds
licensed  a licence on record covers the copy; the item links it
credit    the copy stays and gets a credit line, sent to the site through the webhook
remove    the article is taken down before anyone complains

Like every decision it goes through cases.py (optimistic lock, audit) in one transaction;
the caller commits.
"""

from datetime import datetime

from sqlmodel import Session, select

from .. import cases
from ..cases import restoration, webhook
from ..cases.decisions import DecisionError, _check_holder
from ..library import licences
from ..models import (
    Article,
    Case,
    CaseTarget,
    Decision,
    Licence,
    MatchFeedback,
    Original,
    Provenance,
    Publisher,
    User,
    utcnow,
)

ACTIONS = ("confirm", "reject", "licensed", "credit", "remove")


def pairs_of(case: Case) -> list[int]:
    """The originals the item was raised about, in the order matching ranked them."""
    seen: list[int] = []
    for reason in case.reasons or []:
        for original_id in [reason.get("original_id"), *reason.get("originals", [])]:
            if original_id is not None and original_id not in seen:
                seen.append(original_id)
    return seen


def proposed_credit(session: Session, case: Case) -> str:
    """The credit line the desk proposes: the licence's wording, else a bilingual line."""
    original_ids = pairs_of(case)
    if not original_ids:
        return ""
    original = session.get(Original, original_ids[0])
    publisher = session.get(Publisher, original.publisher_id) if original and \
        original.publisher_id else None
    name = publisher.name if publisher else (original.url if original else "")
    on_file = licences.for_publishers(session, {publisher.id} if publisher else set())
    wording = next((lic for lic in on_file.get(getattr(publisher, "id", None), [])
                    if licences.is_valid(lic, utcnow().date()) and lic.credit_wording), None)
    return licences.credit_line(name, wording)


def _remember(session: Session, case: Case, article: Article, verdict: str, user: User,
              now: datetime) -> None:
    for original_id in pairs_of(case):
        prov = session.exec(select(Provenance).where(
            Provenance.article_id == article.id, Provenance.original_id == original_id)).first()
        row = session.exec(select(MatchFeedback).where(
            MatchFeedback.article_id == article.id,
            MatchFeedback.original_id == original_id)).first() or MatchFeedback(
            article_id=article.id, original_id=original_id, verdict=verdict)
        row.verdict, row.case_id, row.decided_by_id, row.decided_at = (
            verdict, case.id, user.id, now)
        if prov is not None:
            row.kind, row.score = prov.kind, prov.score
            row.article_coverage, row.engine_version = prov.article_coverage, prov.engine_version
        session.add(row)


def _credit(session: Session, case: Case, article: Article, line: str, now: datetime) -> None:
    """Ask the site to add the credit line, and count the article as credited from now on."""
    original_ids = pairs_of(case)
    original = session.get(Original, original_ids[0]) if original_ids else None
    publisher = session.get(Publisher, original.publisher_id) if original and \
        original.publisher_id else None
    if publisher is not None:
        # The page will name the publisher from now on; re-matching then sees the credit.
        article.claimed_source = publisher.name[:300]
    article.updated_at = now
    session.add(article)
    for prov in session.exec(select(Provenance).where(Provenance.article_id == article.id,
                                                      Provenance.original_id.in_(original_ids))):
        prov.attributed = True
        session.add(prov)
    webhook.queue_event(session, event="article.credit", case_id=case.id, article_id=article.id,
                        payload={"article_url": article.url, "article_id": article.id,
                                 "case_id": case.id, "credit_line": line,
                                 "publisher": publisher.name if publisher else None,
                                 "original_url": original.url if original else None,
                                 "decided_at": now.isoformat()})


def decide_review(
    session: Session, case: Case, *, user: User, version: int, action: str, note: str = "",
    licence_id: int | None = None, credit_line: str = "", now: datetime | None = None,
) -> Case:
    """Carry out one reviewer decision on a review item."""
    now = now or utcnow()
    if case.kind != "review":
        raise DecisionError("this is not a review item")
    if action not in ACTIONS:
        raise DecisionError("choose what to do with this review item")
    _check_holder(case, user)
    target = session.exec(select(CaseTarget).where(CaseTarget.case_id == case.id)).first()
    article = session.get(Article, target.article_id) if target and target.article_id else None
    if article is None:
        raise DecisionError("the article of this review item no longer exists")
    details: dict = {"review_action": action, "article_id": article.id}
    licence = None
    if action == "licensed":
        licence = session.get(Licence, licence_id) if licence_id else None
        publishers = {o.publisher_id for o in (session.get(Original, i) for i in pairs_of(case))
                      if o is not None}
        if licence is None or licence.publisher_id not in publishers:
            raise DecisionError("choose a licence of the publisher whose work was copied")
        case.licence_id = licence.id
        details["licence_id"] = licence.id
    if action == "credit":
        credit_line = " ".join((credit_line or "").split()) or proposed_credit(session, case)
        if not credit_line:
            raise DecisionError("write the credit line to add")
        details["credit_line"] = credit_line
        _credit(session, case, article, credit_line[:300], now)
    if action == "remove" and article.status != "removed":
        restoration.change_article(session, article, "removed", case_id=case.id, now=now,
                                   reason="review_remove", statement_of_reasons=note)
    _remember(session, case, article, "rejected" if action == "reject" else "confirmed", user,
              now)
    removing = action == "remove"
    target.decision = "remove" if removing else "keep"
    session.add(target)
    session.add(Decision(
        case_id=case.id, article_id=article.id, target_url=article.url,
        action=target.decision, reason_code=f"review_{action}",
        statement_of_reasons=note.strip() or STATEMENTS[action], automated=False,
        decided_by_id=user.id, decided_at=now))
    cases.apply(session, case, expected_version=version, actor=user, action=f"review.{action}",
                change=cases.Change(status="resolved_removed" if removing else "resolved_kept",
                                    assignee_id=user.id), now=now, details=details)
    case.decided_at = now
    session.add(case)
    return case


# The statement recorded when the reviewer adds no note of their own.
STATEMENTS = {
    "confirm": "The match is right; the use is acceptable as published.",
    "reject": "The match is wrong: the article does not copy this original.",
    "licensed": "The copy is covered by a licence on record.",
    "credit": "The copy stays with a credit line naming the original publisher.",
    "remove": "The copy was removed before any complaint, after review.",
}
