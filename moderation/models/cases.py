"""Queue items and the decisions taken on them."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import JSONType, UTCDateTime, utcnow

CASE_STATUSES = (
    "new", "open", "in_review", "needs_info", "resolved_removed", "resolved_kept",
    "duplicate", "withdrawn", "counter_notice", "restored", "upheld",
)
OPEN_STATUSES = ("new", "open", "in_review", "needs_info", "counter_notice")
# Written out literally so that the database can match queries to the partial index below.
OPEN_WHERE = "status IN ({})".format(", ".join(f"'{s}'" for s in OPEN_STATUSES))
CASE_KINDS = ("takedown", "review", "inquiry")
DECISION_ACTIONS = ("remove", "keep", "partial")


class Case(SQLModel, table=True):
    """One queue item: a notice and its thread, or a review item raised by matching."""

    __table_args__ = (
        sa.Index("ix_case_assignee_status", "assignee_id", "status"),
        sa.Index("ix_case_created", "created_at", "id"),
        # A claimant's record on each case page (how their notices ended) read from the index.
        sa.Index("ix_case_claimant_status", "claimant_email", "status"),
        # The queue's default view: open cases by deadline, read in index order.
        sa.Index("ix_case_open_due", "due_at", "id",
                 postgresql_where=sa.text(OPEN_WHERE), sqlite_where=sa.text(OPEN_WHERE)),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="takedown", max_length=20, index=True)
    status: str = Field(default="new", max_length=20)
    assignee_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    priority: int = Field(default=0)
    subject: str = Field(default="", max_length=1000)
    claimant_name: str = Field(default="", max_length=500)
    claimant_email: str | None = Field(default=None, max_length=254, index=True)
    jurisdiction: str | None = Field(default=None, max_length=4)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the SLA clock was paused (needs_info, a put-back window); None while it runs.
    paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    duplicate_of_id: int | None = Field(default=None, foreign_key="case.id", ondelete="SET NULL")
    # Summaries kept by the services for the queue, so that 100,000 cases list fast.
    target_count: int = Field(default=0)
    supported_count: int = Field(default=0)
    complete: bool = Field(default=True)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When a removal disputed by a counter-notice is to be put back (unless suit is filed).
    putback_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Review items: why matching raised it (codes from review.py REASONS, with details).
    reasons: list[dict] = Field(default_factory=list, sa_type=JSONType)
    # The licence a reviewer found to cover the case's pages.
    licence_id: int | None = Field(default=None, foreign_key="licence.id", ondelete="SET NULL")
    # Optimistic locking: cases.py bumps it on every change; a stale form gets 409.
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Decision(SQLModel, table=True):
    """What we decided for one target page of a case, with the statement of reasons."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    article_id: int | None = Field(
        default=None, foreign_key="article.id", index=True, ondelete="SET NULL"
    )
    target_url: str = Field(max_length=2000)
    action: str = Field(max_length=20)
    reason_code: str = Field(max_length=60)
    statement_of_reasons: str = Field(default="", sa_type=sa.Text)
    automated: bool = Field(default=False)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    superseded: bool = Field(default=False)
    # A decision about one picture of the page (actions photo_removed, photo_replaced): the
    # picture, its address as the page showed it, and what took its place.
    image_id: int | None = Field(default=None, foreign_key="articleimage.id", index=True,
                                 ondelete="SET NULL")
    image_url: str | None = Field(default=None, max_length=2000)
    replacement: str | None = Field(default=None, max_length=2000)


class CaseTarget(SQLModel, table=True):
    """One page of ours that a case is about, with its verification verdict and decision."""

    __table_args__ = (sa.UniqueConstraint("case_id", "url"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=2000, index=True)
    article_id: int | None = Field(
        default=None, foreign_key="article.id", index=True, ondelete="SET NULL"
    )
    original_id: int | None = Field(
        default=None, foreign_key="original.id", index=True, ondelete="SET NULL"
    )
    verdict: str = Field(default="", max_length=30, index=True)
    kind: str | None = Field(default=None, max_length=20)
    score: float | None = Field(default=None)
    decision: str | None = Field(default=None, max_length=20)
