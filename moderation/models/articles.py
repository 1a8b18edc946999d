"""Our articles, the originals they come from, publishers, and the provenance between them."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from .base import JSONType, UTCDateTime, utcnow

ARTICLE_STATUSES = ("published", "removed", "restored")
MATCH_KINDS = ("verbatim", "excerpt", "edited", "rewritten", "translation", "none")
# A rewrite scoring less is only a possible one (matching.REWRITE_STRONG): a review item
# for a person to decide, not established provenance.
REWRITE_STRONG = 0.4


def is_possible_rewrite(kind: str, score: float) -> bool:
    """True for a stored match that is only a possible rewrite."""
    return kind == "rewritten" and score < REWRITE_STRONG


class RawDocument(SQLModel, table=True):
    """The bytes a page was imported from, kept so any result can be re-derived."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, index=True)
    content_type: str = Field(default="text/plain", max_length=100)
    source: str | None = Field(default=None, max_length=2000)
    data: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Publisher(SQLModel, table=True):
    """A publisher whose work we may repost, known by name, aliases and domains."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, index=True)
    # Other names it is credited under, e.g. "美国广播公司" for ABC News.
    aliases: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PublisherDomain(SQLModel, table=True):
    """One domain of a publisher (a table, since some publishers have hundreds)."""

    id: int | None = Field(default=None, primary_key=True)
    domain: str = Field(max_length=253, unique=True, index=True)
    publisher_id: int = Field(foreign_key="publisher.id", index=True, ondelete="CASCADE")


class Article(SQLModel, table=True):
    """A page on our site, usually a repost of someone else's original."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000, unique=True, index=True)
    title: str = Field(default="", max_length=1000)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    claimed_source: str | None = Field(default=None, max_length=300, index=True)
    status: str = Field(default="published", max_length=20, index=True)
    language: str | None = Field(default=None, max_length=16)
    # [{"language": "zh", "text": "..."}, ...] in page order.
    segments: list[dict] = Field(default_factory=list, sa_type=JSONType)
    text_hash: str = Field(default="", max_length=64)
    previous_text_hash: str | None = Field(default=None, max_length=64)
    # Digest of text, engine version and candidate originals at the last match (provenance.py):
    # `match --all` skips the article while it stays the same.
    match_key: str | None = Field(default=None, max_length=64)
    raw_id: int | None = Field(default=None, foreign_key="rawdocument.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When our site last answered 404/410 for the page; it stays, with its provenance and
    # cases, and the mark goes when the page answers again.
    gone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def body(self) -> str:
        return "\n\n".join(segment.get("text", "") for segment in self.segments)


class Original(SQLModel, table=True):
    """A publication elsewhere that our articles may have been taken from."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000, unique=True, index=True)
    publisher_id: int | None = Field(
        default=None, foreign_key="publisher.id", index=True, ondelete="SET NULL"
    )
    title: str = Field(default="", max_length=1000)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    language: str | None = Field(default=None, max_length=16)
    text: str = Field(default="", sa_type=sa.Text)
    text_hash: str = Field(default="", max_length=64)
    previous_text_hash: str | None = Field(default=None, max_length=64)
    raw_id: int | None = Field(default=None, foreign_key="rawdocument.id", ondelete="SET NULL")
    # The matching index's content hash for this original once indexed, so the index and
    # the database can be compared without reading any text.
    indexed_hash: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Provenance(SQLModel, table=True):
    """The evidence that an article was taken from an original, and how."""

    __table_args__ = (UniqueConstraint("article_id", "original_id"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    original_id: int = Field(foreign_key="original.id", index=True, ondelete="CASCADE")
    score: float = Field(default=0.0)
    kind: str = Field(default="none", max_length=20)
    article_coverage: float = Field(default=0.0)
    original_coverage: float = Field(default=0.0)
    # Aligned passages: [{"article": [start, end], "original": [start, end], "similarity": x}].
    spans: list[dict] = Field(default_factory=list, sa_type=JSONType)
    attributed: bool = Field(default=False, index=True)
    engine_version: str = Field(default="", max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @classmethod
    def established(cls):
        """SQL condition: a match that is provenance (not "none", not a possible rewrite)."""
        return sa.and_(cls.kind != "none", sa.not_(sa.and_(cls.kind == "rewritten",
                                                            cls.score < REWRITE_STRONG)))

    @property
    def possible(self) -> bool:
        """Only a possible rewrite: for review, not counted as provenance."""
        return is_possible_rewrite(self.kind, self.score)
