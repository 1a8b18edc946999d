"""The pictures of ours a case is about, and what was decided about each.

A notice's claimed photos point at our pictures by their matches; a review item's photo
findings name our picture by its address on the item's page. Either way the reviewer may take
the picture down or replace it (cases.photo_decisions), and the case page shows the outcome.
"""

from sqlmodel import Session, select

from ..models import Article, ArticleImage, Case, CaseTarget, Decision
from .claims import ClaimedPhoto


def pictures_at_issue(session: Session, case: Case, claims: list[ClaimedPhoto]) -> list[dict]:
    """Each picture of ours the case is about (copies only, not merely similar photos), once."""
    found: dict[int, dict] = {}
    for claim in claims:
        for match in claim.matches:
            if match["kind"] != "similar":
                found.setdefault(match["image_id"], {"source": claim.source,
                                                     "kind": match["kind"]})
    if case.kind == "review":
        urls = {reason["image"] for reason in case.reasons or [] if reason.get("image")}
        article_ids = [t.article_id for t in session.exec(
            select(CaseTarget).where(CaseTarget.case_id == case.id)) if t.article_id]
        if urls and article_ids:
            for image in session.exec(select(ArticleImage).where(
                    ArticleImage.article_id.in_(article_ids), ArticleImage.url.in_(urls))):
                reason = next(r for r in case.reasons if r.get("image") == image.url)
                found.setdefault(image.id, {"source": reason.get("publisher") or "",
                                            "kind": reason.get("kind")})
    pictures = []
    for image_id, about in found.items():
        image = session.get(ArticleImage, image_id)
        article = session.get(Article, image.article_id) if image else None
        if article is None:
            continue
        pictures.append({"image_id": image.id, "image": image.url, "status": image.status,
                         "replacement": image.replacement, "credit_line": image.credit_line,
                         "article_id": article.id, "article_url": article.url,
                         "article_title": article.title or "", **about})
    return pictures


def photo_decisions(session: Session, case: Case) -> list[Decision]:
    """The case's decisions in force about single photos, oldest first."""
    return list(session.exec(select(Decision).where(
        Decision.case_id == case.id, Decision.image_id.is_not(None),
        Decision.superseded.is_(False)).order_by(Decision.id)))
