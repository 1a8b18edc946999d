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


def _pairs(session: Session, article: Article) -> list[Pair]:
    rows = session.exec(
        select(Provenance, Original, Publisher)
        .join(Original, Original.id == Provenance.original_id)
        .outerjoin(Publisher, Publisher.id == Original.publisher_id)
        .where(Provenance.article_id == article.id, Provenance.kind != "none")
        .order_by(Provenance.score.desc())).all()
    if not rows:
        return []
    publisher_ids = {o.publisher_id for _, o, _ in rows if o.publisher_id}
    on_file = licences.for_publishers(session, publisher_ids)
    history = complaints.history(session, publisher_ids)
    judged = set(session.exec(select(MatchFeedback.original_id)
                              .where(MatchFeedback.article_id == article.id)).all())
    on = (article.published_at or utcnow()).date()
    pairs = []
    for prov, original, publisher in rows:
        chars = copied_chars(prov.spans)
        licence = licences.covering(on_file.get(original.publisher_id, []),
                                    licences.Use(prov.kind, chars), on)
        pairs.append(Pair(
            original_id=original.id, original_url=original.url,
            publisher_id=original.publisher_id, publisher=publisher.name if publisher else "",
            kind=prov.kind, score=prov.score, attributed=prov.attributed, copied_chars=chars,
            licensed=licence is not None, judged=original.id in judged,
            complained=history.get(original.publisher_id, complaints.History()).complained))
    return pairs


def open_item_for(session: Session, article_id: int) -> Case | None:
    return session.exec(
        select(Case).join(CaseTarget, CaseTarget.case_id == Case.id)
        .where(Case.kind == "review", Case.status.in_(OPEN_STATUSES),
               CaseTarget.article_id == article_id)).first()


def raise_items(session: Session, article_ids: list[int], *, config: dict | None = None,
                now=None) -> dict[str, int]:
    """Open (or refresh) review items for these articles; the caller commits."""
    config = config if config is not None else current_app.config
    below = float(config.get("REVIEW_UNCERTAIN_BELOW", 0.45))
    due_hours = int(config.get("REVIEW_DUE_HOURS", 168))
    now = now or utcnow()
    raised = refreshed = 0
    for article_id in article_ids:
        article = session.get(Article, article_id)
        if article is None or article.status == "removed":
            continue
        pairs = _pairs(session, article)
        found = findings(pairs, uncertain_below=below)
        if not found:
            continue
        item = open_item_for(session, article.id)
        if item is not None:
            if item.reasons != found:
                audit.record(session, "review.reasons", actor="matching", object_type="case",
                             object_id=item.id, before={"reasons": item.reasons},
                             after={"reasons": found})
                item.reasons = found
                session.add(item)
                refreshed += 1
            continue
        _open(session, article, found, pairs, now=now, due_hours=due_hours)
        raised += 1
    return {"raised": raised, "refreshed": refreshed}


def _open(session: Session, article: Article, found: list[dict], pairs: list[Pair], *, now,
          due_hours: int) -> Case:
    # The page's target names the first original a reason names; an article raised only for
    # combining several credited, confident copies names its best match (pairs come by score).
    combined = next((f["originals"] for f in found if f["code"] == "combined"), [])
    best = next((p for p in pairs if p.original_id in combined), pairs[0])
    top = next((f for f in found if "original_id" in f),
               {"original_id": best.original_id, "kind": best.kind, "score": best.score})
    publishers = sorted({f["publisher"] for f in found if f.get("publisher")})
    item = cases.open_case(
        session, actor="matching", kind="review", subject=article.title or article.url,
        claimant_name=", ".join(publishers)[:500], due_at=now + timedelta(hours=due_hours),
        priority=max(PRIORITY.get(f["code"], 0) for f in found), status="new")
    item.reasons = found
    item.target_count = 1
    session.add(item)
    session.add(CaseTarget(case_id=item.id, url=article.url, article_id=article.id,
                           original_id=top["original_id"], verdict="review", kind=top["kind"],
                           score=top["score"]))
    audit.record(session, "review.raise", actor="matching", object_type="case",
                 object_id=item.id, after={"article_id": article.id, "reasons": found})
    return item


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
