"""Reports drawn from the database: every figure can be recomputed from the tables."""

import csv
import io
import json

from sqlmodel import Session, select

from .models import Article, Original, Provenance, Publisher

PROVENANCE_FIELDS = ("article_url", "article_title", "claimed_source", "original_url",
                     "publisher", "kind", "score", "article_coverage", "original_coverage",
                     "attributed", "engine_version")


def provenance_rows(session: Session) -> list[dict]:
    """One row per article-original pair kept; articles without a match once, kind "none"."""
    rows = []
    matched = session.exec(
        select(Article, Provenance, Original, Publisher)
        .outerjoin(Provenance, Provenance.article_id == Article.id)
        .outerjoin(Original, Original.id == Provenance.original_id)
        .outerjoin(Publisher, Publisher.id == Original.publisher_id)
        .order_by(Article.id, Provenance.score.desc())
    )
    for article, prov, original, publisher in matched:
        row = {"article_url": article.url, "article_title": article.title,
               "claimed_source": article.claimed_source, "original_url": None,
               "publisher": None, "kind": "none", "score": 0.0, "article_coverage": 0.0,
               "original_coverage": 0.0, "attributed": False, "engine_version": None}
        if prov is not None:
            row.update(original_url=original.url, publisher=publisher.name if publisher else None,
                       kind=prov.kind, score=prov.score, article_coverage=prov.article_coverage,
                       original_coverage=prov.original_coverage, attributed=prov.attributed,
                       engine_version=prov.engine_version)
        rows.append(row)
    return rows


def as_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n"


def as_csv(rows: list[dict], fields: tuple[str, ...]) -> str:
    """CSV with a UTF-8 byte-order mark, so spreadsheet tools read Chinese names right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("true" if v is True else "false" if v is False else v)
                         for k, v in row.items()})
    return out.getvalue()
