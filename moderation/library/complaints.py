"""A publisher's complaint history: removals we made on their notices and cases still open."""

from dataclasses import dataclass

from sqlmodel import Session, func, select

from ..models import OPEN_STATUSES, Case, CaseTarget, Decision, Original


@dataclass(frozen=True)
class History:
    strikes: int = 0  # pages removed on takedown notices about this publisher's work
    open_cases: int = 0  # takedown cases about their work still being handled
    cases: int = 0  # takedown cases about their work, ever

    @property
    def complained(self) -> bool:
        return bool(self.strikes or self.open_cases)

    def as_dict(self) -> dict:
        return {"strikes": self.strikes, "open_cases": self.open_cases, "cases": self.cases}


def history(session: Session, publisher_ids: set[int]) -> dict[int, History]:
    """Complaint history per publisher, from takedown cases whose pages copy their originals."""
    ids = {i for i in publisher_ids if i is not None}
    if not ids:
        return {}
    about = (select(Original.publisher_id, CaseTarget.case_id, CaseTarget.url)
             .join(CaseTarget, CaseTarget.original_id == Original.id)
             .join(Case, Case.id == CaseTarget.case_id)
             .where(Original.publisher_id.in_(ids), Case.kind == "takedown").subquery())
    strikes = dict(session.exec(
        select(about.c.publisher_id, func.count(func.distinct(Decision.id)))
        .join(Decision, (Decision.case_id == about.c.case_id)
              & (Decision.target_url == about.c.url))
        .where(Decision.action == "remove", Decision.superseded.is_(False))
        .group_by(about.c.publisher_id)).all())
    cases = dict(session.exec(
        select(about.c.publisher_id, func.count(func.distinct(about.c.case_id)))
        .group_by(about.c.publisher_id)).all())
    open_cases = dict(session.exec(
        select(about.c.publisher_id, func.count(func.distinct(about.c.case_id)))
        .join(Case, Case.id == about.c.case_id).where(Case.status.in_(OPEN_STATUSES))
        .group_by(about.c.publisher_id)).all())
    return {i: History(strikes.get(i, 0), open_cases.get(i, 0), cases.get(i, 0)) for i in ids}
