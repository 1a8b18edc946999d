"""Everything a reviewer reads on a case page, gathered in one place (no Flask)."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import defer, load_only
from sqlmodel import Session, func, select

from ..accounts import StaffMember
from ..models import (
    Article,
    AuditEvent,
    Case,
    CaseTarget,
    Decision,
    MailMessage,
    Notice,
    Original,
    Provenance,
    Publisher,
    Reply,
    User,
)
from ..notices.completeness import COUNTER_NOTICE_REQUIREMENTS, ELEMENTS, TAKEDOWN_REQUIREMENTS


@dataclass
class TargetRow:
    target: CaseTarget
    article: Article | None
    original: Original | None
    provenance: list[tuple[Provenance, Original, Publisher | None]] = field(default_factory=list)


@dataclass
class CaseFile:
    case: Case
    assignee: User | StaffMember | None
    notice: Notice | None
    notices: list[Notice]
    thread: list[tuple[str, object]]  # ("in", MailMessage) or ("out", Reply), oldest first
    targets: list[TargetRow]
    checklist: list[tuple[str, bool, bool | None]]  # (element, required, present or unknown)
    same_claimant: list[Case]
    same_publisher: list[Case]
    publisher_strikes: dict[str, int]
    claimant_record: dict[str, int]
    history: list[AuditEvent]
    decisions: list[Decision]  # review items only: their page shows what was decided


# Other cases are listed by number, subject and status; the history by time, actor, action and
# the status it led to. Loading only those columns keeps each list to a fraction of the work.
_LISTED_CASE = load_only(Case.id, Case.subject, Case.status)
_LISTED_EVENT = load_only(AuditEvent.seq, AuditEvent.at, AuditEvent.actor, AuditEvent.action,
                          AuditEvent.after)


def checklist(notice: Notice | None, jurisdiction: str | None) -> list[tuple[str, bool, bool]]:
    """Each legal element: whether this regime requires it, and whether the notice has it."""
    if notice is None or notice.kind not in ("takedown", "counter_notice"):
        return []
    table = TAKEDOWN_REQUIREMENTS if notice.kind == "takedown" else COUNTER_NOTICE_REQUIREMENTS
    required = table.get(jurisdiction, table[None])
    missing = set(notice.missing_elements)
    statements = notice.statements or {}
    rows = []
    for element in ELEMENTS:
        if element in required:
            present = element not in missing
        elif element in ("good_faith", "accuracy", "perjury", "signature"):
            present = bool(statements.get(element))
        else:
            present = None  # not required here, so the notice was not checked for it
        rows.append((element, element in required, present))
    return rows


def publisher_strikes(session: Session, publisher_ids: set[int]) -> dict[str, int]:
    """Upheld removals of articles copied from each publisher (none counts too)."""
    if not publisher_ids:
        return {}
    upheld = ((Decision.case_id == CaseTarget.case_id) & (Decision.target_url == CaseTarget.url)
              & (Decision.action == "remove") & Decision.superseded.is_(False))
    return dict(session.exec(
        select(Publisher.name, func.count(func.distinct(Decision.id)))
        .select_from(Publisher)
        .outerjoin(Original, Original.publisher_id == Publisher.id)
        .outerjoin(CaseTarget, CaseTarget.original_id == Original.id)
        .outerjoin(Decision, upheld)
        .where(Publisher.id.in_(publisher_ids))
        .group_by(Publisher.name)).all())


def claimant_record(session: Session, email: str | None) -> dict[str, int]:
    """How the claimant's notices ended: accepted (removed) and rejected (kept)."""
    if not email:
        return {}
    rows = dict(session.exec(select(Case.status, func.count()).where(Case.claimant_email == email)
                             .group_by(Case.status)).all())
    return {"notices": sum(rows.values()),
            "accepted": rows.get("resolved_removed", 0) + rows.get("upheld", 0)
            + rows.get("restored", 0),
            "rejected": rows.get("resolved_kept", 0)}


def _by_id(session: Session, model, ids: set[int], *options) -> dict:
    """Rows of one table by id, in one query (a case names up to a few hundred pages)."""
    if not ids:
        return {}
    return {row.id: row for row in session.exec(
        select(model).where(model.id.in_(ids)).options(*options))}


def _provenance(session: Session, article_ids: set[int], per_article: int = 3) -> dict:
    """Each article's best matches (provenance, original, publisher), highest score first."""
    found: dict[int, list] = {}
    if not article_ids:
        return found
    for prov, original, publisher in session.exec(
            select(Provenance, Original, Publisher)
            .join(Original, Original.id == Provenance.original_id)
            .outerjoin(Publisher, Publisher.id == Original.publisher_id)
            .where(Provenance.article_id.in_(article_ids), Provenance.kind != "none")
            .options(defer(Provenance.spans), defer(Original.text))
            .order_by(Provenance.article_id, Provenance.score.desc(), Provenance.id)):
        best = found.setdefault(prov.article_id, [])
        if len(best) < per_article:  # an article has at most a handful of recorded matches
            best.append((prov, original, publisher))
    return found


def _assignee(session: Session, case: Case, staff: Sequence[StaffMember]):
    if case.assignee_id is None:
        return None
    known = next((member for member in staff if member.id == case.assignee_id), None)
    return known or session.get(User, case.assignee_id)  # no longer active, or not given


def gather(session: Session, case: Case, *, staff: Sequence[StaffMember] = ()) -> CaseFile:
    """The case file; ``staff``, the active staff if the caller has them, names the assignee."""
    notices = session.exec(select(Notice).where(Notice.case_id == case.id).order_by(Notice.id)).all()
    # Not the raw bytes (up to the size limit of a message): the page shows the parsed parts.
    messages = session.exec(select(MailMessage).where(MailMessage.case_id == case.id)
                            .options(defer(MailMessage.raw))).all()
    replies = session.exec(select(Reply).where(Reply.case_id == case.id)).all()
    thread = sorted([("in", m) for m in messages] + [("out", r) for r in replies],
                    key=lambda item: getattr(item[1], "received_at", None)
                    or item[1].created_at)
    targets = session.exec(select(CaseTarget).where(CaseTarget.case_id == case.id)
                           .order_by(CaseTarget.id)).all()
    # The page names each article and links to it; its text is on the evidence page.
    articles = _by_id(session, Article, {t.article_id for t in targets if t.article_id},
                      defer(Article.segments))
    originals = _by_id(session, Original, {t.original_id for t in targets if t.original_id},
                       defer(Original.text))
    provenance = _provenance(session, set(articles))
    rows = [TargetRow(t, articles.get(t.article_id), originals.get(t.original_id),
                      provenance.get(t.article_id, [])) for t in targets]
    publishers = {o.publisher_id for o in originals.values() if o.publisher_id}
    same_claimant = session.exec(
        select(Case).where(Case.claimant_email == case.claimant_email, Case.id != case.id)
        .options(_LISTED_CASE).order_by(Case.id.desc()).limit(10)).all() if case.claimant_email else []
    same_publisher = session.exec(
        select(Case).join(CaseTarget, CaseTarget.case_id == Case.id)
        .join(Original, Original.id == CaseTarget.original_id)
        .where(Original.publisher_id.in_(publishers), Case.id != case.id)
        .group_by(Case.id).options(_LISTED_CASE).order_by(Case.id.desc()).limit(10)).all() \
        if publishers else []
    history = session.exec(select(AuditEvent).where(
        AuditEvent.object_type == "case", AuditEvent.object_id == str(case.id))
        .options(_LISTED_EVENT).order_by(AuditEvent.seq)).all()
    main = next((n for n in notices if n.kind in ("takedown", "counter_notice")), None)
    return CaseFile(
        case=case, assignee=_assignee(session, case, staff),
        notice=main or (notices[0] if notices else None), notices=list(notices), thread=thread,
        targets=rows, checklist=checklist(main, case.jurisdiction),
        same_claimant=list(same_claimant), same_publisher=list(same_publisher),
        publisher_strikes=publisher_strikes(session, publishers),
        claimant_record=claimant_record(session, case.claimant_email), history=list(history),
        decisions=list(session.exec(select(Decision).where(Decision.case_id == case.id)
                                    .order_by(Decision.id))) if case.kind == "review" else [],
    )
