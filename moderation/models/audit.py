"""The append-only, hash-chained audit log."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import JSONType, UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """Who did what to which object, when; never updated or deleted (database triggers)."""

    id: int | None = Field(default=None, primary_key=True)
    # Position in the chain; unique so two writers cannot both extend the same row.
    seq: int = Field(sa_type=sa.BigInteger, unique=True, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, index=True)
    actor: str = Field(default="system", max_length=254)
    action: str = Field(max_length=80, index=True)
    object_type: str = Field(default="", max_length=40)
    object_id: str | None = Field(default=None, max_length=64)
    before: dict | None = Field(default=None, sa_type=JSONType)
    after: dict | None = Field(default=None, sa_type=JSONType)
    address: str | None = Field(default=None, max_length=64)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)

    __table_args__ = (sa.Index("ix_audit_object", "object_type", "object_id"),)
