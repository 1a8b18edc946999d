"""What the site may do with a publisher's work, and what reviewers said about matches."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow

LICENCE_KINDS = ("licence", "agreement", "public_domain", "press_release")
FEEDBACK_VERDICTS = ("confirmed", "rejected")


class Licence(SQLModel, table=True):
    """A licence or agreement on record: which publisher, what it allows, for how long."""

    id: int | None = Field(default=None, primary_key=True)
    publisher_id: int = Field(foreign_key="publisher.id", index=True, ondelete="CASCADE")
    kind: str = Field(default="licence", max_length=20)
    # What may be reposted: the whole article, or excerpts up to excerpt_limit characters.
    full_repost: bool = Field(default=False)
    excerpt_limit: int | None = Field(default=None)
    translation_allowed: bool = Field(default=False)
    # The licence covers the publisher's photos too (e.g. an agency's editorial subscription).
    photos: bool = Field(default=False)
    # Wording the licence requires, e.g. "来源:ABC News"; empty when any credit will do.
    credit_wording: str = Field(default="", max_length=300)
    valid_from: date | None = Field(default=None, sa_type=sa.Date)
    valid_to: date | None = Field(default=None, sa_type=sa.Date)
    reference: str = Field(default="", max_length=300)
    notes: str = Field(default="", sa_type=sa.Text)
    # The signed agreement, kept as uploaded.
    document_id: int | None = Field(default=None, foreign_key="rawdocument.id",
                                    ondelete="SET NULL")
    document_name: str | None = Field(default=None, max_length=255)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MatchFeedback(SQLModel, table=True):
    """A reviewer's verdict on one article-original pair: labelled data, and a memory so that a
    rejected match is not raised again."""

    __table_args__ = (sa.UniqueConstraint("article_id", "original_id"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    original_id: int = Field(foreign_key="original.id", index=True, ondelete="CASCADE")
    verdict: str = Field(max_length=20, index=True)
    # The match as the reviewer saw it, so exports and threshold tuning need no re-matching.
    kind: str = Field(default="none", max_length=20)
    score: float = Field(default=0.0)
    article_coverage: float = Field(default=0.0)
    engine_version: str = Field(default="", max_length=40)
    case_id: int | None = Field(default=None, foreign_key="case.id", ondelete="SET NULL")
    decided_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
