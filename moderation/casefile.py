"""Everything a reviewer reads on a case page, gathered in one place (no Flask)."""

from dataclasses import dataclass, field

from sqlalchemy.orm import defer
from sqlmodel import Session, func, select

from .models import (
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
from .notices.completeness import (
    COUNTER_NOTICE_REQUIREMENTS,
    ELEMENTS,
    TAKEDOWN_REQUIREMENTS,
)


@dataclass
class TargetRow:
    target: CaseTarget
    article: Article | None
    original: Original | None
    provenance: list[tuple[Provenance, Original, Publisher | None]] = field(default_factory=list)


@dataclass
class CaseFile:
    case: Case
    assignee: User | None
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
    decisions: list[Decision]


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
    """Upheld removals of articles copied from each publisher."""
    if not publisher_ids:
        return {}
    rows = session.exec(
        select(Publisher.name, func.count(func.distinct(Decision.id)))
        .join(Original, Original.publisher_id == Publisher.id)
        .join(CaseTarget, CaseTarget.original_id == Original.id)
        .join(Decision, (Decision.case_id == CaseTarget.case_id)
              & (Decision.target_url == CaseTarget.url))
        .where(Publisher.id.in_(publisher_ids), Decision.action == "remove",
               Decision.superseded.is_(False))
        .group_by(Publisher.name)
    ).all()
    found = dict(rows)
    names = session.exec(select(Publisher.name).where(Publisher.id.in_(publisher_ids))).all()
    return {name: found.get(name, 0) for name in names}


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


def gather(session: Session, case: Case) -> CaseFile:
    notices = session.exec(select(Notice).where(Notice.case_id == case.id).order_by(Notice.id)).all()
    # Not the raw bytes (up to the size limit of a message): the page shows the parsed parts.
    messages = session.exec(select(MailMessage).where(MailMessage.case_id == case.id)
                            .options(defer(MailMessage.raw))).all()
    replies = session.exec(select(Reply).where(Reply.case_id == case.id)).all()
    thread = sorted([("in", m) for m in messages] + [("out", r) for r in replies],
                    key=lambda item: getattr(item[1], "received_at", None)
                    or item[1].created_at)
    rows = []
    publishers: set[int] = set()
    for target in session.exec(select(CaseTarget).where(CaseTarget.case_id == case.id)
                               .order_by(CaseTarget.id)):
        article = session.get(Article, target.article_id) if target.article_id else None
        original = session.get(Original, target.original_id, options=[defer(Original.text)]) \
            if target.original_id else None
        if original and original.publisher_id:
            publishers.add(original.publisher_id)
        provenance = []
        if article is not None:
            provenance = session.exec(
                select(Provenance, Original, Publisher)
                .join(Original, Original.id == Provenance.original_id)
                .outerjoin(Publisher, Publisher.id == Original.publisher_id)
                .where(Provenance.article_id == article.id, Provenance.kind != "none")
                .options(defer(Provenance.spans), defer(Original.text))
                .order_by(Provenance.score.desc()).limit(3)).all()
        rows.append(TargetRow(target, article, original, list(provenance)))
    same_claimant = session.exec(
        select(Case).where(Case.claimant_email == case.claimant_email, Case.id != case.id)
        .order_by(Case.id.desc()).limit(10)).all() if case.claimant_email else []
    same_publisher = session.exec(
        select(Case).join(CaseTarget, CaseTarget.case_id == Case.id)
        .join(Original, Original.id == CaseTarget.original_id)
        .where(Original.publisher_id.in_(publishers), Case.id != case.id)
        .group_by(Case.id).order_by(Case.id.desc()).limit(10)).all() if publishers else []
    history = session.exec(select(AuditEvent).where(
        AuditEvent.object_type == "case", AuditEvent.object_id == str(case.id))
        .order_by(AuditEvent.seq)).all()
    main = next((n for n in notices if n.kind in ("takedown", "counter_notice")), None)
    return CaseFile(
        case=case, assignee=session.get(User, case.assignee_id) if case.assignee_id else None,
        notice=main or (notices[0] if notices else None), notices=list(notices), thread=thread,
        targets=rows, checklist=checklist(main, case.jurisdiction),
        same_claimant=list(same_claimant), same_publisher=list(same_publisher),
        publisher_strikes=publisher_strikes(session, publishers),
        claimant_record=claimant_record(session, case.claimant_email), history=list(history),
        decisions=list(session.exec(select(Decision).where(Decision.case_id == case.id)
                                    .order_by(Decision.id))),
    )
