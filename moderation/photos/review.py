"""Review items for photos: an agency's photo on our page with no licence, or without credit."""

from datetime import timedelta

from flask import current_app
from sqlmodel import Session, select

from .. import cases
from ..models import Article, CaseTarget, utcnow
from ..plumbing import audit
from ..provenance import review
from ..reports.photos import photo_rows

PHOTO_REASONS = ("photo_unlicensed", "photo_uncredited")


def photo_findings(rows: list[dict]) -> list[dict]:
    """One finding per agency photo that is copied but not licensed, or licensed but uncredited."""
    found = []
    for row in rows:
        if not row["publisher"] or row["kind"] in (None, "similar"):
            continue
        if not row["licensed"]:
            code = "photo_unlicensed"
        elif not row["credited"]:
            code = "photo_uncredited"
        else:
            continue
        found.append({"code": code, "publisher": row["publisher"], "image": row["image"],
                      "original_url": row["original_url"], "kind": row["kind"],
                      "similarity": row["similarity"], "credit_line": row["credit_line"]})
    return found


def raise_photo_items(session: Session, *, now=None) -> dict[str, int]:
    """Add photo findings to each article's open review item, or open one; then commit."""
    now = now or utcnow()
    due_hours = int(current_app.config.get("REVIEW_DUE_HOURS", 168))
    by_article: dict[str, list[dict]] = {}
    for row in photo_rows(session):
        for finding in photo_findings([row]):
            by_article.setdefault(row["article_url"], []).append(finding)
    raised = refreshed = 0
    for url, found in by_article.items():
        article = session.exec(select(Article).where(Article.url == url)).first()
        if article is None or article.status == "removed":
            continue
        item = review.open_item_for(session, article.id)
        if item is not None:
            kept = [r for r in item.reasons or [] if r.get("code") not in PHOTO_REASONS]
            if kept + found != item.reasons:
                audit.record(session, "review.reasons", actor="photos", object_type="case",
                             object_id=item.id, before={"reasons": item.reasons},
                             after={"reasons": kept + found})
                item.reasons = kept + found
                session.add(item)
                refreshed += 1
            continue
        publishers = sorted({f["publisher"] for f in found})
        item = cases.open_case(
            session, actor="photos", kind="review", subject=article.title or article.url,
            claimant_name=", ".join(publishers)[:500], due_at=now + timedelta(hours=due_hours),
            priority=1, status="new")
        item.reasons = found
        item.target_count = 1
        session.add(item)
        session.add(CaseTarget(case_id=item.id, url=article.url, article_id=article.id,
                               verdict="review"))
        audit.record(session, "review.raise", actor="photos", object_type="case",
                     object_id=item.id, after={"article_id": article.id, "reasons": found})
        raised += 1
    session.commit()
    return {"raised": raised, "refreshed": refreshed}
