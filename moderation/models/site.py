"""Following our own site: what each address of it answered when the desk last read it."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow

SITE_PAGE_KINDS = ("page", "sitemap", "feed")
# ok: read and stored; not_modified: the site said 304; gone: 404/410; moved: a permanent
# redirect to another of our addresses; failed: could not be read (reason says why);
# refused: outside our domains or disallowed by robots.txt.
SITE_PAGE_STATES = ("ok", "not_modified", "gone", "moved", "failed", "refused")


class SitePage(SQLModel, table=True):
    """One address of our site (a page, a sitemap or a feed) and how it last answered.

    Kept so a second read asks only for what changed: the validators the site gave
    (ETag, Last-Modified) go back as a conditional request, and a sitemap's ``lastmod``
    that has not moved means the page is not asked for at all.
    """

    id: int | None = Field(default=None, primary_key=True)
    # The canonical address (as Article.url); ``address`` is the one actually requested.
    url: str = Field(max_length=2000, unique=True, index=True)
    address: str = Field(max_length=2000)
    kind: str = Field(default="page", max_length=10)
    article_id: int | None = Field(
        default=None, foreign_key="article.id", index=True, ondelete="SET NULL"
    )
    state: str = Field(default="ok", max_length=20, index=True)
    status: int | None = Field(default=None)
    reason: str | None = Field(default=None, max_length=1000)
    etag: str | None = Field(default=None, max_length=300)
    last_modified: str | None = Field(default=None, max_length=100)
    # The sitemap's <lastmod> for the page when it was last read.
    lastmod: datetime | None = Field(default=None, sa_type=UTCDateTime)
    moved_to: str | None = Field(default=None, max_length=2000)
    # The sitemap or feed that listed it, so a failed page is tried again even when the
    # list itself answers 304.
    listed_in: str | None = Field(default=None, max_length=2000, index=True)
    checked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
