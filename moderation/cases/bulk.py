"""Cases opened by the batch importer, written many at a time.

Bulk variants of ``cases.open_case`` and ``cases.record_targets`` for a case just opened:
the same rows, kept as values until the batch inserts them all in one statement each. The
audit event ``open_case`` writes is written by the batch with its others (``snapshot``
reads a ``NewCase`` like a Case). tests/test_mail_batch.py checks both ways agree.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ..models import Case, CaseTarget, Notice
from ..plumbing.rows import insert_returning_ids, row_values


@dataclass
class NewCase:
    """A case to open (``id`` once inserted), with the fields cases.snapshot reads."""

    kind: str
    subject: str
    claimant_name: str
    claimant_email: str | None
    jurisdiction: str | None
    due_at: datetime | None
    status: str = "new"
    priority: int = 0
    target_count: int = 0
    supported_count: int = 0
    complete: bool = True
    id: int | None = None
    assignee_id: int | None = None
    paused_at: datetime | None = None
    duplicate_of_id: int | None = None
    decided_at: datetime | None = None
    version: int = 1

    def row(self) -> dict:
        """The values open_case inserts (it cuts the subject and name to their columns)."""
        return row_values(Case, kind=self.kind, status=self.status, subject=self.subject[:1000],
                          claimant_name=self.claimant_name[:500],
                          claimant_email=self.claimant_email, jurisdiction=self.jurisdiction,
                          due_at=self.due_at, priority=self.priority,
                          target_count=self.target_count, supported_count=self.supported_count,
                          complete=self.complete)


def targets_for(case: NewCase, notice: Notice) -> dict[str, dict]:
    """The CaseTarget values and the summary record_targets keeps for a new case, by URL."""
    items = notice.verification or [{"url": url, "verdict": ""} for url in notice.target_urls]
    rows: dict[str, dict] = {}
    for item in items:  # a URL named twice keeps its first place and its last verdict
        rows[item["url"]] = {"url": item["url"], "article_id": item.get("article_id"),
                             "original_id": item.get("original_id"),
                             "verdict": item.get("verdict", ""), "kind": item.get("kind"),
                             "score": item.get("score")}
    case.target_count = len(rows)
    case.supported_count = sum(1 for row in rows.values() if row["verdict"] == "supported")
    case.complete = not notice.missing_elements
    return rows


def open_cases(session: Session, opened: list[NewCase]) -> None:
    """Insert the cases; each gets its id."""
    for case, case_id in zip(opened, insert_returning_ids(session, Case, [c.row() for c in opened]),
                             strict=True):
        case.id = case_id


def insert_targets(session: Session, rows: list[dict]) -> None:
    """Insert CaseTarget values (each with its case_id) in one executemany."""
    if rows:
        session.execute(CaseTarget.__table__.insert(),
                        [row_values(CaseTarget, **row) for row in rows])
