"""Review items: matching's findings that staff should see before anyone complains.

After matching, each article's provenance is weighed (``findings``, pure) and an article with
something to look at gets one open review item in the queue, with the reasons it was raised.
A pair a reviewer has already judged (confirmed or rejected, kept in MatchFeedback) is not
raised again, and a copy a licence covers is not raised at all.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlmodel import Session, select

from .. import cases
from ..cases import bulk
from ..library import complaints, licences
from ..models import (
    OPEN_STATUSES,
    Article,
    Case,
    CaseTarget,
    Licence,
    MatchFeedback,
    Original,
    Provenance,
    Publisher,
    is_possible_rewrite,
    utcnow,
)
from ..plumbing import audit
from ..plumbing.rows import insert_returning_ids

REASONS = ("uncredited", "complained_publisher", "uncertain", "combined", "possible_rewrite")
# Kinds that copy the original's words (translate them, or tell them again in other words)
# and so need a credit.
COPY_KINDS = ("verbatim", "excerpt", "edited", "rewritten", "translation")
# Raised items from a publisher who has complained before come first in the queue.
PRIORITY = {"complained_publisher": 2, "uncredited": 1}


@dataclass(frozen=True)
class Pair:
    """One matched original of an article, with what the decision rules need to know."""

    original_id: int
    original_url: str
    publisher_id: int | None
    publisher: str
    kind: str
    score: float
    attributed: bool
    copied_chars: int
    licensed: bool = False
    judged: bool = False
    complained: bool = False


def copied_chars(spans: list[dict]) -> int:
    """Characters of the article inside aligned passages (stored spans, Match.to_dict form)."""
    return sum(max(0, int(s.get("article_end", 0)) - int(s.get("article_start", 0)))
               for s in spans or [])


def findings(pairs: list[Pair], *, uncertain_below: float) -> list[dict]:
    """Why these matches deserve a review, one entry per reason and original (pure)."""
    live = [p for p in pairs if p.kind != "none" and not p.licensed and not p.judged]
    found = []
    for pair in live:
        detail = {"original_id": pair.original_id, "original_url": pair.original_url,
                  "publisher": pair.publisher, "kind": pair.kind, "score": pair.score}
        if is_possible_rewrite(pair.kind, pair.score):
            # "Possible rewrite of X": a person compares the passages side by side and
            # confirms or rejects it; the verdicts feed the rewrite threshold (feedback.py).
            found.append({"code": "possible_rewrite", **detail})
            if pair.complained:
                found.append({"code": "complained_publisher", **detail})
            continue
        if pair.kind in COPY_KINDS and not pair.attributed:
            found.append({"code": "uncredited", **detail})
        if pair.complained:
            found.append({"code": "complained_publisher", **detail})
        if pair.score < uncertain_below:
            found.append({"code": "uncertain", **detail})
    if len({p.original_id for p in live if not is_possible_rewrite(p.kind, p.score)}) >= 2:
        found.append({"code": "combined", "originals": sorted(
            p.original_id for p in live if not is_possible_rewrite(p.kind, p.score)),
                      "publisher": ", ".join(sorted({p.publisher for p in live if p.publisher}))})
    return found


# Articles weighed per round of queries when review items are raised in bulk.
CHUNK = 500


def _pairs(session: Session, article: Article) -> list[Pair]:
    return _pairs_of(session, [article])[article.id]


def _pairs_of(session: Session, articles: list[Article]) -> dict[int, list[Pair]]:
    """Each article's matched originals, best first, read for all of them in a few queries."""
    found: dict[int, list[Pair]] = {a.id: [] for a in articles}
    rows = session.exec(
        select(Provenance.article_id, Provenance.kind, Provenance.score, Provenance.attributed,
               Provenance.spans, Original.id, Original.url, Original.publisher_id,
               Publisher.name)
        .join(Original, Original.id == Provenance.original_id)
        .outerjoin(Publisher, Publisher.id == Original.publisher_id)
        .where(Provenance.article_id.in_(list(found)), Provenance.kind != "none")
        .order_by(Provenance.article_id, Provenance.score.desc(), Provenance.id)).all()
    if not rows:
        return found
    publisher_ids = {row[7] for row in rows if row[7]}
    on_file = licences.for_publishers(session, publisher_ids)
    history = complaints.history(session, publisher_ids)
    judged = set(session.exec(select(MatchFeedback.article_id, MatchFeedback.original_id)
                              .where(MatchFeedback.article_id.in_(list(found)))).all())
    days = {a.id: (a.published_at or utcnow()).date() for a in articles}
    for article_id, kind, score, attributed, spans, original_id, url, publisher_id, name in rows:
        chars = copied_chars(spans)
        licence = licences.covering(on_file.get(publisher_id, []), licences.Use(kind, chars),
                                    days[article_id])
        found[article_id].append(Pair(
            original_id=original_id, original_url=url, publisher_id=publisher_id,
            publisher=name or "", kind=kind, score=score, attributed=attributed,
            copied_chars=chars, licensed=licence is not None,
            judged=(article_id, original_id) in judged,
            complained=history.get(publisher_id, complaints.History()).complained))
    return found


def open_item_for(session: Session, article_id: int) -> Case | None:
    return _open_items(session, [article_id]).get(article_id)


def _open_items(session: Session, article_ids: list[int]) -> dict[int, Case]:
    """The open review item of each of these articles that has one (the first found)."""
    found: dict[int, Case] = {}
    for article_id, case in session.exec(
            select(CaseTarget.article_id, Case).join(CaseTarget, CaseTarget.case_id == Case.id)
            .where(Case.kind == "review", Case.status.in_(OPEN_STATUSES),
                   CaseTarget.article_id.in_(article_ids))
            .order_by(Case.id)).all():
        found.setdefault(article_id, case)
    return found


def raise_items(session: Session, article_ids: list[int], *, config: dict | None = None,
                now=None) -> dict[str, int]:
    """Open (or refresh) review items for these articles; the caller commits.

    Articles are weighed many at a time (a few queries for each chunk of them) and the new
    items written together, with their audit events in the order one-by-one raising would
    write them.
    """
    config = config if config is not None else current_app.config
    below = float(config.get("REVIEW_UNCERTAIN_BELOW", 0.45))
    due_hours = int(config.get("REVIEW_DUE_HOURS", 168))
    now = now or utcnow()
    counts = {"raised": 0, "refreshed": 0}
    ids = list(dict.fromkeys(article_ids))
    for start in range(0, len(ids), CHUNK):
        _raise_chunk(session, ids[start:start + CHUNK], below, due_hours, now, counts)
    return counts


def _raise_chunk(session: Session, article_ids: list[int], below: float, due_hours: int, now,
                 counts: dict[str, int]) -> None:
    by_id = {a.id: a for a in session.exec(select(Article).where(Article.id.in_(article_ids)))}
    articles = [by_id[i] for i in article_ids if i in by_id and by_id[i].status != "removed"]
    pairs_of = _pairs_of(session, articles)
    weighed = [(a, pairs_of[a.id], findings(pairs_of[a.id], uncertain_below=below))
               for a in articles]
    weighed = [w for w in weighed if w[2]]
    if not weighed:
        return
    items = _open_items(session, [a.id for a, _, _ in weighed])
    # In article order: an event for a refreshed item, or the item to open (its two events
    # are written once it has an id), so the audit chain reads as if raised one by one.
    steps: list[audit.Entry | _NewItem] = []
    for article, pairs, found in weighed:
        item = items.get(article.id)
        if item is None:
            steps.append(_new_item(article, found, pairs, now=now, due_hours=due_hours))
            counts["raised"] += 1
        elif item.reasons != found:
            steps.append(audit.Entry("review.reasons", "matching", "case", item.id,
                                     before={"reasons": item.reasons}, after={"reasons": found}))
            item.reasons = found
            session.add(item)
            counts["refreshed"] += 1
    opening = [step for step in steps if isinstance(step, _NewItem)]
    session.flush()
    ids = insert_returning_ids(session, Case, [new.row for new in opening])
    for new, case_id in zip(opening, ids, strict=True):
        new.case.id = new.target["case_id"] = case_id
    bulk.insert_targets(session, [new.target for new in opening])
    entries: list[audit.Entry] = []
    for step in steps:
        if isinstance(step, audit.Entry):
            entries.append(step)
            continue
        entries.append(audit.Entry("case.open", "matching", "case", step.case.id,
                                   after=cases.snapshot(step.case)))
        entries.append(audit.Entry("review.raise", "matching", "case", step.case.id,
                                   after={"article_id": step.target["article_id"],
                                          "reasons": step.row["reasons"]}))
    audit.record_many(session, entries)


@dataclass
class _NewItem:
    """A review item to open: its case (as cases.bulk keeps one), row and page target."""

    case: bulk.NewCase
    row: dict
    target: dict


def _new_item(article: Article, found: list[dict], pairs: list[Pair], *, now,
              due_hours: int) -> _NewItem:
    # The page's target names the first original a reason names; an article raised only for
    # combining several credited, confident copies names its best match (pairs come by score).
    combined = next((f["originals"] for f in found if f["code"] == "combined"), [])
    best = next((p for p in pairs if p.original_id in combined), pairs[0])
    top = next((f for f in found if "original_id" in f),
               {"original_id": best.original_id, "kind": best.kind, "score": best.score})
    publishers = sorted({f["publisher"] for f in found if f.get("publisher")})
    case = bulk.NewCase(kind="review", subject=article.title or article.url,
                        claimant_name=", ".join(publishers), claimant_email=None,
                        jurisdiction=None, due_at=now + timedelta(hours=due_hours),
                        status="new", target_count=1,
                        priority=max(PRIORITY.get(f["code"], 0) for f in found))
    return _NewItem(case, case.row() | {"reasons": found},
                    {"url": article.url, "article_id": article.id,
                     "original_id": top["original_id"], "verdict": "review",
                     "kind": top["kind"], "score": top["score"]})


def licence_for_case(session: Session, case: Case, on: date | None = None) -> Licence | None:
    """A licence covering any page of this case (shown on takedown cases with a template)."""
    # Ids and kinds only: the originals' texts and the aligned passages are read just for the
    # pairs whose publisher has a licence on record, which is rarely any.
    rows = session.exec(
        select(CaseTarget.original_id, Provenance.id, Provenance.kind, Original.id,
               Original.publisher_id)
        .join(Provenance, (Provenance.article_id == CaseTarget.article_id))
        .join(Original, Original.id == Provenance.original_id)
        .where(CaseTarget.case_id == case.id, Provenance.kind != "none")).all()
    on_file = licences.for_publishers(session, {row[4] for row in rows if row[4]})
    on = on or utcnow().date()
    for claimed, provenance_id, kind, original_id, publisher_id in rows:
        if claimed not in (None, original_id) or not on_file.get(publisher_id):
            continue
        spans = session.get(Provenance, provenance_id).spans
        found = licences.covering(on_file[publisher_id], licences.Use(kind, copied_chars(spans)),
                                  on)
        if found is not None:
            return found
    return None
