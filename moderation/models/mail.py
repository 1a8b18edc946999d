"""Received e-mail, the notices read from it, and our replies."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import JSONType, UTCDateTime, utcnow

CLASSIFICATIONS = ("notice", "reply", "inquiry", "auto_reply", "bounce", "spam", "quarantined")
NOTICE_KINDS = ("takedown", "counter_notice", "retraction", "payment_demand")
JURISDICTIONS = ("US", "EU", "CN")
REPLY_STATUSES = ("draft", "queued", "sent", "failed", "cancelled")
# Written into MailMessage.warnings, with the time, when retention drops the raw bytes.
RAW_REMOVED = "raw removed under the retention policy at "


class MailMessage(SQLModel, table=True):
    """One received e-mail, stored raw first so nothing is ever lost or misread for good."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True, index=True)
    raw: bytes = Field(sa_type=sa.LargeBinary)
    # Where it came from, e.g. "imap:host/INBOX" with uidvalidity and uid, or a Maildir key.
    source: str = Field(default="", max_length=500)
    mailbox_key: str | None = Field(default=None, max_length=1000, index=True)
    uidvalidity: int | None = Field(default=None, sa_type=sa.BigInteger)
    uid: int | None = Field(default=None, sa_type=sa.BigInteger)
    message_id: str | None = Field(default=None, max_length=998, index=True)
    in_reply_to: str | None = Field(default=None, max_length=998)
    references: list[str] = Field(default_factory=list, sa_type=JSONType)
    subject: str = Field(default="", sa_type=sa.Text)
    from_name: str = Field(default="", max_length=500)
    from_addr: str = Field(default="", max_length=500, index=True)
    recipients: list[str] = Field(default_factory=list, sa_type=JSONType)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    headers: dict = Field(default_factory=dict, sa_type=JSONType)
    text: str = Field(default="", sa_type=sa.Text)
    html: str = Field(default="", sa_type=sa.Text)  # sanitised before it is stored
    attachments: list[dict] = Field(default_factory=list, sa_type=JSONType)
    authentication: dict = Field(default_factory=dict, sa_type=JSONType)
    classification: str | None = Field(default=None, max_length=20, index=True)
    classification_reasons: list[str] = Field(default_factory=list, sa_type=JSONType)
    quarantine_reason: str | None = Field(default=None, sa_type=sa.Text)
    warnings: list[str] = Field(default_factory=list, sa_type=JSONType)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True, ondelete="SET NULL")

    @property
    def raw_removed_at(self) -> datetime | None:
        """When the retention policy dropped the raw bytes (moderation/retention.py), if it did."""
        for warning in self.warnings or []:
            if isinstance(warning, str) and warning.startswith(RAW_REMOVED):
                try:
                    return datetime.fromisoformat(warning[len(RAW_REMOVED):])
                except ValueError:
                    return None
        return None


class Notice(SQLModel, table=True):
    """What a message asks of us: who claims what, about which of our pages."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="mailmessage.id", unique=True, ondelete="CASCADE")
    kind: str | None = Field(default=None, max_length=20, index=True)
    # {"name", "organisation", "email", "phone", "address", "role"}
    claimant: dict = Field(default_factory=dict, sa_type=JSONType)
    claimant_email: str | None = Field(default=None, max_length=254, index=True)
    works: list[dict] = Field(default_factory=list, sa_type=JSONType)
    target_urls: list[str] = Field(default_factory=list, sa_type=JSONType)
    original_urls: list[str] = Field(default_factory=list, sa_type=JSONType)
    statements: dict = Field(default_factory=dict, sa_type=JSONType)
    signature: str | None = Field(default=None, max_length=500)
    jurisdiction: str | None = Field(default=None, max_length=4, index=True)
    missing_elements: list[str] = Field(default_factory=list, sa_type=JSONType)
    # Per target URL: {"url", "article_id", "verdict", "original_id", "score", "kind", ...}
    verification: list[dict] = Field(default_factory=list, sa_type=JSONType)
    # A licence fee, settlement or damages demanded (kind "payment_demand" when money alone).
    asks_payment: bool = Field(default=False, index=True,
                               sa_column_kwargs={"server_default": sa.false()})
    amount: float | None = Field(default=None)
    currency: str | None = Field(default=None, max_length=3)
    # The time limit the letter sets ("within 10 days", "7日内"), counted from its date.
    deadline_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Why the kind was chosen, in plain words, for the reviewer to check and correct.
    kind_reasons: list[str] | None = Field(default=None, sa_type=JSONType)
    # Field name -> the line of the letter it was read from ("From: …" for the header).
    field_sources: dict | None = Field(default=None, sa_type=JSONType)
    # Parts a person should read rather than trust (an unread attachment, quoted mail, …).
    uncertain: list[str] | None = Field(default=None, sa_type=JSONType)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True, ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Reply(SQLModel, table=True):
    """An e-mail we send, kept with its threading headers and delivery outcome."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    template: str = Field(default="", max_length=60)
    to_addr: str = Field(max_length=500, index=True)
    subject: str = Field(default="", max_length=998)
    body: str = Field(default="", sa_type=sa.Text)
    message_id: str = Field(max_length=998, unique=True)
    in_reply_to: str | None = Field(default=None, max_length=998)
    references: list[str] = Field(default_factory=list, sa_type=JSONType)
    status: str = Field(default="queued", max_length=20, index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
