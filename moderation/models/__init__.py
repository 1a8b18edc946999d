"""The tables (SQLModel), one module per domain; Alembic reads them from here.

All tables, importable from one place (Alembic reads SQLModel.metadata from here).

May import: nothing of the desk. Imported by: every other room.
"""

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
from .photos import PHOTO_KINDS, PHOTO_ORIGINS, ArticleImage, Photo
from .settings import ApiToken, Setting, WebhookDelivery
from .site import SITE_PAGE_KINDS, SITE_PAGE_STATES, SitePage
from .users import ROLES, LoginAttempt, User

__all__ = [
    "ARTICLE_STATUSES", "CASE_KINDS", "CASE_STATUSES", "CLASSIFICATIONS", "DECISION_ACTIONS",
    "FEEDBACK_VERDICTS", "JURISDICTIONS", "LICENCE_KINDS", "MATCH_KINDS", "NOTICE_KINDS", "OPEN_STATUSES", "ROLES",
    "REWRITE_STRONG", "is_possible_rewrite",
    "ApiToken", "Article", "AuditEvent", "Case", "CaseTarget", "Decision", "Setting",
    "WebhookDelivery", "JSONType", "Licence", "LoginAttempt", "MailMessage", "MatchFeedback",
    "Notice", "Original", "Provenance", "Publisher", "PublisherDomain", "RawDocument", "Reply",
    "UTCDateTime", "User", "utcnow", "SITE_PAGE_KINDS", "SITE_PAGE_STATES", "SitePage",
    "PHOTO_KINDS", "PHOTO_ORIGINS", "ArticleImage", "Photo",
]
