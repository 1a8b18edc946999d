"""All tables, importable from one place (Alembic reads SQLModel.metadata from here)."""

from .articles import (
    ARTICLE_STATUSES,
    MATCH_KINDS,
    REWRITE_STRONG,
    Article,
    Original,
    Provenance,
    Publisher,
    PublisherDomain,
    RawDocument,
    is_possible_rewrite,
)
from .audit import AuditEvent
from .base import JSONType, UTCDateTime, utcnow
from .cases import (
    CASE_KINDS,
    CASE_STATUSES,
    DECISION_ACTIONS,
    OPEN_STATUSES,
    Case,
    CaseTarget,
    Decision,
)
from .licences import FEEDBACK_VERDICTS, LICENCE_KINDS, Licence, MatchFeedback
from .mail import CLASSIFICATIONS, JURISDICTIONS, NOTICE_KINDS, MailMessage, Notice, Reply
from .settings import ApiToken, Setting, WebhookDelivery
from .users import ROLES, LoginAttempt, User

__all__ = [
    "ARTICLE_STATUSES", "CASE_KINDS", "CASE_STATUSES", "CLASSIFICATIONS", "DECISION_ACTIONS",
    "FEEDBACK_VERDICTS", "JURISDICTIONS", "LICENCE_KINDS", "MATCH_KINDS", "NOTICE_KINDS", "OPEN_STATUSES", "ROLES",
    "REWRITE_STRONG", "is_possible_rewrite",
    "ApiToken", "Article", "AuditEvent", "Case", "CaseTarget", "Decision", "Setting",
    "WebhookDelivery", "JSONType", "Licence", "LoginAttempt", "MailMessage", "MatchFeedback",
    "Notice", "Original", "Provenance", "Publisher", "PublisherDomain", "RawDocument", "Reply",
    "UTCDateTime", "User", "utcnow",
]
