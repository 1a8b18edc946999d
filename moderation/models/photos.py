"""Photos: agencies' originals, pictures attached to claims, and the pictures on our pages."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import JSONType, UTCDateTime, utcnow

PHOTO_KINDS = ("same", "resized", "cropped", "mirrored", "edited", "similar")
PHOTO_ORIGINS = ("agency", "notice")


class Photo(SQLModel, table=True):
    """A photo from elsewhere: an agency's original, or a picture a claim sent or named."""

    id: int | None = Field(default=None, primary_key=True)
    origin: str = Field(default="agency", max_length=20, index=True)
    url: str | None = Field(default=None, max_length=2000, index=True)
    # The attachment's file name or the file imported, as the claimant or the import named it.
    source: str = Field(default="", max_length=2000)
    sha256: str | None = Field(default=None, max_length=64, index=True)
    publisher_id: int | None = Field(default=None, foreign_key="publisher.id", index=True,
                                     ondelete="SET NULL")
    title: str = Field(default="", max_length=1000)
    credit: str | None = Field(default=None, max_length=500)
    creator: str | None = Field(default=None, max_length=300)
    copyright: str | None = Field(default=None, max_length=500)
    taken_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    width: int | None = Field(default=None)
    height: int | None = Field(default=None)
    # The perceptual print (moderation.photos.PhotoPrint.to_bytes, under 1 KB).
    fingerprint: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    raw_id: int | None = Field(default=None, foreign_key="rawdocument.id", ondelete="SET NULL")
    message_id: int | None = Field(default=None, foreign_key="mailmessage.id", index=True,
                                   ondelete="CASCADE")
    # Why the picture could not be read, in plain words (its bytes are kept all the same).
    error: str | None = Field(default=None, sa_type=sa.Text)
    warnings: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ArticleImage(SQLModel, table=True):
    """One picture on one of our pages, what the page says about it, and its best original."""

    __table_args__ = (sa.UniqueConstraint("article_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    # The absolute address, as the page shows it.
    url: str = Field(max_length=2000, index=True)
    alt: str = Field(default="", sa_type=sa.Text)
    caption: str = Field(default="", sa_type=sa.Text)
    credit_line: str | None = Field(default=None, max_length=500)
    # EXIF / IPTC / XMP creator, credit, copyright and source, as the file states them.
    embedded: dict = Field(default_factory=dict, sa_type=JSONType)
    sha256: str | None = Field(default=None, max_length=64, index=True)
    width: int | None = Field(default=None)
    height: int | None = Field(default=None)
    fingerprint: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    raw_id: int | None = Field(default=None, foreign_key="rawdocument.id", ondelete="SET NULL")
    error: str | None = Field(default=None, sa_type=sa.Text)
    photo_id: int | None = Field(default=None, foreign_key="photo.id", index=True,
                                 ondelete="SET NULL")
    kind: str | None = Field(default=None, max_length=20)
    similarity: float | None = Field(default=None)
    matched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # "shown", or "removed" / "replaced" by a reviewer's decision (the text stays online).
    status: str = Field(default="shown", max_length=20, sa_column_kwargs={"server_default": "shown"})
    replacement: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
