"""The photos report: every picture on our pages, its original, credit and licence."""

from datetime import date

from sqlmodel import Session, select

from ..intake.credits import names_in_credit
from ..library import licences
from ..models import Article, ArticleImage, Licence, Photo, Publisher, utcnow

PHOTO_FIELDS = ("article_url", "image", "original_url", "publisher", "kind", "similarity",
                "credit_line", "credited", "licensed")


def photo_licences(session: Session) -> dict[int, list[Licence]]:
    """Licences that cover photos, by publisher."""
    found: dict[int, list[Licence]] = {}
    for licence in session.exec(select(Licence).where(Licence.photos.is_(True),
                                                      Licence.revoked_at.is_(None))):
        found.setdefault(licence.publisher_id, []).append(licence)
    return found


def is_licensed(held: dict[int, list[Licence]], publisher_id: int | None, on: date) -> bool:
    return any(licences.is_valid(licence, on) for licence in held.get(publisher_id, []))


def photo_rows(session: Session) -> list[dict]:
    """One row per article picture, in article and page order."""
    held = photo_licences(session)
    names = {p.id: [p.name, *p.aliases] for p in session.exec(select(Publisher))}
    query = (select(ArticleImage, Article, Photo)
             .join(Article, Article.id == ArticleImage.article_id)
             .join(Photo, Photo.id == ArticleImage.photo_id, isouter=True)
             .order_by(Article.id, ArticleImage.position))
    rows = []
    today = utcnow().date()
    for image, article, photo in session.exec(query):
        publisher_id = photo.publisher_id if photo is not None else None
        on = article.published_at.date() if article.published_at else today
        credit = image.credit_line
        rows.append({
            "article_url": article.url,
            "image": image.url,
            "original_url": photo.url if photo is not None else None,
            "publisher": names[publisher_id][0] if publisher_id in names else None,
            "kind": image.kind if photo is not None else None,
            "similarity": round(image.similarity, 4) if image.similarity is not None else None,
            "credit_line": credit,
            # Credited: the line under the picture (or the file's own credit) names the agency;
            # a picture with no known original counts as credited when it carries any credit.
            "credited": (names_in_credit(credit, names.get(publisher_id, []))
                         if publisher_id is not None else bool(credit)),
            "licensed": is_licensed(held, publisher_id, on) if publisher_id else False,
            "error": image.error,
        })
    return rows


def photo_agencies(rows: list[dict]) -> list[dict]:
    """Pictures copied from each agency: credited, licensed, neither."""
    found: dict[str, dict] = {}
    for row in rows:
        if not row["publisher"] or row["kind"] in (None, "similar"):
            continue
        entry = found.setdefault(row["publisher"], {"publisher": row["publisher"], "photos": 0,
                                                   "credited": 0, "licensed": 0, "neither": 0})
        entry["photos"] += 1
        entry["credited"] += row["credited"]
        entry["licensed"] += row["licensed"]
        entry["neither"] += not (row["credited"] or row["licensed"])
    return sorted(found.values(), key=lambda entry: (-entry["photos"], entry["publisher"]))


def photo_review_items(rows: list[dict]) -> list[dict]:
    """Pictures to review: an agency's photo with no licence, or published without credit."""
    return [row | {"reason": "unlicensed" if not row["licensed"] else "uncredited"}
            for row in rows
            if row["publisher"] and row["kind"] not in (None, "similar")
            and not (row["licensed"] and row["credited"])]


def photos_report(session: Session) -> dict:
    rows = photo_rows(session)
    return {"report": "photos", "images": len(rows),
            "matched": sum(1 for row in rows if row["kind"] not in (None, "similar")),
            "agencies": photo_agencies(rows), "review": photo_review_items(rows)[:100],
            "rows": rows}
