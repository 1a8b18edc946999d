"""Provenance: runs matching for our articles and stores what matches, raises review items,
checks drafts before publishing, verifies what a notice claims against the evidence, and
learns thresholds from reviewers' feedback.

Provenance: keeps the matching index in step with the originals and stores what matches.

May import: plumbing, models, intake, matching, library, cases, reports. Imported by: photos,
mailroom, web, commands, demo.
"""

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from sqlmodel import Session, delete, select

from ..matching import (
    ENGINE_VERSION,
    Index,
    IndexFormatError,
    Match,
    Matcher,
    OriginalText,
    content_hash,
)
from ..models import Article, Original, Provenance
from ..plumbing import audit
from . import review
from .credits import CreditNames, is_attributed

BATCH = 500

def index_folder(app: Flask) -> Path:
    return Path(app.instance_path) / "matching"


def get_index(app: Flask | None = None) -> Index:
    """The app's matching index, opened once per process and refreshed when others write."""
    app = app or current_app
    index = app.extensions.get("moderation.index")
    if index is None:
        try:
            index = Index(index_folder(app))
        except IndexFormatError:
            # Written by another engine version: start it afresh; reconcile() re-adds every
            # original, since the emptied index no longer holds their hashes.
            index = Index(index_folder(app), reset=True)
        app.extensions["moderation.index"] = index
    else:
        index.refresh()
    return index


def original_text(original: Original) -> OriginalText:
    return OriginalText(original.text or "", original.language or "other",
                        original.published_at.date() if original.published_at else None)


def article_segments(article: Article) -> list[tuple[str, str]]:
    return [(s.get("language") or "other", s.get("text") or "") for s in article.segments]


def index_originals(session: Session, index: Index, ids: Iterable[int] | None = None) -> int:
    """Add (or update) originals in the index; all of them when ``ids`` is None."""
    query = select(Original)
    if ids is not None:
        ids = list(ids)
        if not ids:
            return 0
        query = query.where(Original.id.in_(ids))
    added, batch = 0, []
    for original in session.exec(query.execution_options(yield_per=BATCH)):
        text = original_text(original)
        batch.append((original.id, text))
        original.indexed_hash = content_hash(text.text, text.language, text.published_at)
        session.add(original)
        if len(batch) >= BATCH:
            added += _flush(index, batch)
    return added + _flush(index, batch)


def _flush(index: Index, batch: list) -> int:
    """Write a batch of originals to the index at once (much faster than one by one)."""
    if batch:
        index.add_many(batch)
    count = len(batch)
    batch.clear()
    return count


def reconcile(session: Session, index: Index) -> dict[str, int]:
    """Bring the index in line with the database, comparing hashes only (no text read).

    Originals whose hash differs or that the index lacks are (re)indexed; ids the index
    holds that are no longer originals are removed.
    """
    held = index.documents()
    wanted = dict(session.exec(select(Original.id, Original.indexed_hash)).all())
    stale = [i for i, h in wanted.items() if h is None or held.get(i) != h]
    gone = [i for i in held if i not in wanted]
    if gone:
        index.remove_many(gone)
    added = index_originals(session, index, stale)
    session.commit()
    return {"indexed": added, "removed": len(gone), "held": len(index)}


class OriginalTexts:
    """Loads originals' texts for the matcher: only the columns it reads, one plain query
    each (no ORM object), remembering each original's publisher for the credit check."""

    def __init__(self, session: Session):
        self.session = session
        self.publisher_of: dict[int, int | None] = {}
        table = Original.__table__
        self._query = sa.select(table.c.text, table.c.language, table.c.published_at,
                                table.c.publisher_id).where(table.c.id == sa.bindparam("id"))

    def __call__(self, original_id: int) -> OriginalText | None:
        row = self.session.connection().execute(self._query, {"id": original_id}).first()
        if row is None:
            return None
        text, language, published_at, self.publisher_of[original_id] = row
        return OriginalText(text or "", language or "other",
                            published_at.date() if published_at else None)


def store_matches(session: Session, article: Article, matches: list[Match],
                  names: CreditNames | None = None,
                  publisher_of: dict[int, int | None] | None = None) -> list[Provenance]:
    """Replace the article's provenance rows with these results (re-runs are idempotent).

    ``publisher_of``: original id -> publisher id, as far as the caller already knows it."""
    session.exec(delete(Provenance).where(Provenance.article_id == article.id))
    names = names or CreditNames(session)
    publisher_of = publisher_of or {}
    rows = []
    for match in matches:
        if match.original_id in publisher_of:
            publisher_id = publisher_of[match.original_id]
        else:
            original = session.get(Original, match.original_id)
            if original is None:
                continue
            publisher_id = original.publisher_id
        rows.append(Provenance(
            article_id=article.id, original_id=match.original_id, score=round(match.score, 4),
            kind=match.kind, article_coverage=round(match.article_coverage, 4),
            original_coverage=round(match.original_coverage, 4),
            spans=[span for span in match.to_dict()["spans"]],
            attributed=is_attributed(article, names(publisher_id)),
            engine_version=ENGINE_VERSION,
        ))
    session.add_all(rows)
    return rows


def match_key(session: Session, matcher: Matcher, article: Article) -> str:
    """Digest of what an article's match depends on: its text and date, the engine version,
    and its candidate originals with their texts and dates. Equal keys give equal results."""
    return match_keys(session, matcher, [article])[article.id]


def match_keys(session: Session, matcher: Matcher, articles: list[Article]) -> dict[int, str]:
    """match_key() of each article, the candidates' rows read in one query for all."""
    candidates = {a.id: matcher.candidate_ids(article_segments(a), published_at=a.published_at)
                  for a in articles}
    wanted = sorted({i for ids in candidates.values() for i in ids})
    rows = {r[0]: r for r in session.exec(
        select(Original.id, Original.text_hash, Original.published_at, Original.publisher_id)
        .where(Original.id.in_(wanted))).all()} if wanted else {}
    keys = {}
    for article in articles:
        state = {
            "engine": ENGINE_VERSION,
            "article": [article.segments, str(article.published_at)],
            "candidates": sorted([r[0], r[1], str(r[2]), r[3]] for r in (
                rows[i] for i in candidates[article.id] if i in rows)),
        }
        keys[article.id] = hashlib.sha256(json.dumps(
            state, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
    return keys


# Articles read, keyed and matched per round of queries (and per commit).
MATCH_CHUNK = 100


def match_articles(session: Session, index: Index, ids: Iterable[int] | None = None,
                   *, limit: int = 5, on_item=None, raise_review: bool = True,
                   force: bool = False) -> dict[str, int]:
    """Find and store the originals of these articles (all when ``ids`` is None), then raise
    review items for what staff should look at (review.py).

    An article whose text, engine version and candidate originals are unchanged since its last
    match is skipped (counted as "unchanged"): finding candidates costs a small part of
    aligning them, so importing 300 articles and matching all costs little more than the
    import. ``force`` matches every article again. Articles are read and keyed a chunk at a
    time, and each chunk is committed."""
    texts = OriginalTexts(session)
    matcher = Matcher(index, texts)
    names = CreditNames(session)
    query = select(Article.id).order_by(Article.id)
    if ids is not None:
        ids = list(ids)
        query = query.where(Article.id.in_(ids))
    matched = unmatched = unchanged = 0
    found: list[int] = []
    every = session.exec(query).all()
    for start in range(0, len(every), MATCH_CHUNK):
        chunk = every[start:start + MATCH_CHUNK]
        by_id = {a.id: a for a in session.exec(select(Article).where(Article.id.in_(chunk)))}
        articles = [by_id[i] for i in chunk if i in by_id]
        keys = match_keys(session, matcher, articles)
        for article in articles:
            key = keys[article.id]
            if not force and article.match_key == key:
                unchanged += 1
            else:
                results = [m for m in matcher.match(article_segments(article),
                                                    published_at=article.published_at,
                                                    limit=limit)
                           if m.kind != "none"]
                store_matches(session, article, results, names, texts.publisher_of)
                article.match_key = key
                session.add(article)
                matched += bool(results)
                unmatched += not results
                if results:
                    found.append(article.id)
            if on_item:
                on_item()
        session.commit()
    audit.record(session, "provenance.match", actor="matching", object_type="article",
                 after={"matched": matched, "unmatched": unmatched, "unchanged": unchanged,
                        "engine_version": ENGINE_VERSION})
    session.commit()
    counts = {"matched": matched, "unmatched": unmatched, "unchanged": unchanged}
    if raise_review:
        counts |= review.raise_items(session, found)
        session.commit()
    return counts


def unmatched_article_ids(session: Session) -> list[int]:
    """Articles with no known original: worth checking again when originals arrive."""
    matched = select(Provenance.article_id)
    return list(session.exec(select(Article.id).where(Article.id.not_in(matched))).all())


def after_import(session: Session, index: Index, *, kind: str, changed_ids: list[int]) -> dict:
    """Keep provenance current: new articles are matched; new originals are indexed and the
    articles still without a known original are tried again."""
    if not changed_ids:
        return {"matched": 0, "unmatched": 0}
    if kind == "article":
        reconcile(session, index)
        return match_articles(session, index, changed_ids)
    index_originals(session, index, changed_ids)
    session.commit()
    return match_articles(session, index, unmatched_article_ids(session))
