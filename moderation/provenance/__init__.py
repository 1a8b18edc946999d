"""Provenance: runs matching for our articles and stores what matches, raises review items,
checks drafts before publishing, verifies what a notice claims against the evidence, and
learns thresholds from reviewers' feedback.

Provenance: keeps the matching index in step with the originals and stores what matches.

May import: plumbing, models, intake, matching, library, cases, reports. Imported by: photos,
mailroom, web, commands, demo.
"""

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

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
from ..models import Article, Original, Provenance, Publisher, PublisherDomain
from ..plumbing import audit
from . import review

BATCH = 500
# A credit line on a page: "来源:ABC News", "Source: ABC News", "转自 美国广播公司"...
_CREDIT_LINE = re.compile(
    r"(?:^|\n)\s*[\[(（【]?\s*(?:来源|來源|出处|出處|转自|轉自|原文|稿源|编译自|source|credit|via|"
    r"from|originally published (?:by|in|at))\s*[:：]?\s*(?P<who>[^\n]{1,120})",
    re.IGNORECASE,
)


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


def credited_names(session: Session, publisher_id: int | None) -> list[str]:
    """Every way the publisher can be credited: name, aliases and domains."""
    if publisher_id is None:
        return []
    publisher = session.get(Publisher, publisher_id)
    domains = session.exec(select(PublisherDomain.domain)
                           .where(PublisherDomain.publisher_id == publisher_id)).all()
    return [n for n in [publisher.name, *publisher.aliases, *domains] if n]


def is_attributed(article: Article, names: list[str]) -> bool:
    """Whether the article credits one of these names: as its source or in a credit line.

    A mention inside the story ("emails obtained by ABC News") is not a credit.
    """
    if not names:
        return False
    lowered = [n.casefold() for n in names]
    places = [article.claimed_source or ""]
    places += [m.group("who") for s in article.segments
               for m in _CREDIT_LINE.finditer(s.get("text") or "")]
    return any(name in place.casefold() for place in places for name in lowered)


def _load(session: Session):
    def load(original_id: int) -> OriginalText | None:
        original = session.get(Original, original_id)
        return original_text(original) if original else None
    return load


def store_matches(session: Session, article: Article, matches: list[Match]) -> list[Provenance]:
    """Replace the article's provenance rows with these results (re-runs are idempotent)."""
    session.exec(delete(Provenance).where(Provenance.article_id == article.id))
    rows = []
    for match in matches:
        original = session.get(Original, match.original_id)
        if original is None:
            continue
        rows.append(Provenance(
            article_id=article.id, original_id=original.id, score=round(match.score, 4),
            kind=match.kind, article_coverage=round(match.article_coverage, 4),
            original_coverage=round(match.original_coverage, 4),
            spans=[span for span in match.to_dict()["spans"]],
            attributed=is_attributed(article, credited_names(session, original.publisher_id)),
            engine_version=ENGINE_VERSION,
        ))
    session.add_all(rows)
    return rows


def match_key(session: Session, matcher: Matcher, article: Article) -> str:
    """Digest of what an article's match depends on: its text and date, the engine version,
    and its candidate originals with their texts and dates. Equal keys give equal results."""
    candidates = matcher.candidate_ids(article_segments(article),
                                       published_at=article.published_at)
    rows = session.exec(select(Original.id, Original.text_hash, Original.published_at,
                               Original.publisher_id)
                        .where(Original.id.in_(candidates))).all() if candidates else []
    state = {
        "engine": ENGINE_VERSION,
        "article": [article.segments, str(article.published_at)],
        "candidates": sorted([r[0], r[1], str(r[2]), r[3]] for r in rows),
    }
    return hashlib.sha256(json.dumps(state, ensure_ascii=False, sort_keys=True,
                                     default=str).encode()).hexdigest()


def match_articles(session: Session, index: Index, ids: Iterable[int] | None = None,
                   *, limit: int = 5, on_item=None, raise_review: bool = True,
                   force: bool = False) -> dict[str, int]:
    """Find and store the originals of these articles (all when ``ids`` is None), then raise
    review items for what staff should look at (review.py).

    An article whose text, engine version and candidate originals are unchanged since its last
    match is skipped (counted as "unchanged"): finding candidates costs a small part of
    aligning them, so importing 300 articles and matching all costs little more than the
    import. ``force`` matches every article again."""
    matcher = Matcher(index, _load(session))
    query = select(Article.id).order_by(Article.id)
    if ids is not None:
        ids = list(ids)
        query = query.where(Article.id.in_(ids))
    matched = unmatched = unchanged = 0
    found: list[int] = []
    for number, article_id in enumerate(session.exec(query).all(), start=1):
        article = session.get(Article, article_id)
        key = match_key(session, matcher, article)
        if not force and article.match_key == key:
            unchanged += 1
        else:
            results = [m for m in matcher.match(article_segments(article),
                                                published_at=article.published_at, limit=limit)
                       if m.kind != "none"]
            store_matches(session, article, results)
            article.match_key = key
            session.add(article)
            matched += bool(results)
            unmatched += not results
            if results:
                found.append(article_id)
        if on_item:
            on_item()
        if number % 100 == 0:
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
