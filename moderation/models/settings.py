"""Settings changed from the admin pages, API tokens, and outgoing webhook deliveries."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import JSONType, UTCDateTime, utcnow


class Setting(SQLModel, table=True):
    """One setting saved from the admin pages; the environment still wins over it."""

    key: str = Field(primary_key=True, max_length=80)
    value: dict = Field(default_factory=dict, sa_type=JSONType)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class ApiToken(SQLModel, table=True):
    """A token the site's systems use for the API; only its hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    active: bool = Field(default=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event sent to the site (a removal, a restoration, a credit fix) and its outcome."""

    id: int | None = Field(default=None, primary_key=True)
    event: str = Field(max_length=40, index=True)
    payload: dict = Field(default_factory=dict, sa_type=JSONType)
    status: str = Field(default="pending", max_length=20, index=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    last_status: int | None = Field(default=None)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True,
                                ondelete="SET NULL")
    article_id: int | None = Field(default=None, foreign_key="article.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
