"""Demo data for a first run: the seed page, its ABC News original, and a few e-mails.

May import: any room below commands. Imported by: commands (setup).
"""

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask

from ..intake.textpage import extract_text_page
from ..intake.urls import canonical_url
from ..models import Article, Original, Publisher, PublisherDomain, RawDocument
from ..plumbing import audit
from ..plumbing.db import transaction

HERE = Path(__file__).parent
ARTICLE_URL = "https://www.uscntv.com/toutiao/2021/1231/12345.html"
ORIGINAL_URL = (
    "https://abcnews.go.com/Politics/"
    "biden-putin-hold-call-amid-heightened-tensions-ukraine/story?id=82011423"
)
PUBLISHER = {
    "name": "ABC News",
    "aliases": ["美国广播公司", "美国广播公司新闻", "ABC新闻"],
    "domains": ["abcnews.go.com", "abcnews.com", "abc.com"],
}


def _raw(data: bytes, source: str) -> RawDocument:
    return RawDocument(sha256=hashlib.sha256(data).hexdigest(), data=data, source=source,
                       content_type="text/plain; charset=utf-8")


def load(app: Flask, *, with_mail: bool = True) -> None:
    """Add the demo article, its original, their publisher and the demo mail (fresh database)."""
    data = (HERE / "seed_page.txt").read_bytes()
    page = extract_text_page(data.decode("utf-8"))
    site_zone = ZoneInfo(str(app.config["SITE_TIMEZONE"]))
    published = page.published_at.replace(tzinfo=site_zone) if page.published_at else None
    english = page.segment("en")
    with app.app_context(), transaction() as session:
        publisher = Publisher(name=PUBLISHER["name"], aliases=PUBLISHER["aliases"])
        session.add(publisher)
        session.flush()
        session.add_all(
            PublisherDomain(domain=domain, publisher_id=publisher.id)
            for domain in PUBLISHER["domains"]
        )
        raw = _raw(data, "demo/seed_page.txt")
        session.add(raw)
        session.flush()
        article = Article(
            url=canonical_url(ARTICLE_URL), title=page.title or "", published_at=published,
            claimed_source=page.claimed_source, language=page.language, raw_id=raw.id,
            segments=[{"language": s.language, "text": s.text} for s in page.segments],
            text_hash=page.text_hash,
        )
        original_text = english.text if english else ""
        original = Original(
            url=canonical_url(ORIGINAL_URL), publisher_id=publisher.id,
            title=page.original_title or "Biden, Putin hold call amid heightened tensions over Ukraine",
            published_at=datetime(2021, 12, 30, 21, 0, tzinfo=UTC), language="en",
            text=original_text,
            text_hash=hashlib.sha256(original_text.encode("utf-8")).hexdigest(),
        )
        session.add_all([article, original])
        session.flush()
        audit.record(session, "demo.load", actor="first-run", object_type="article",
                     object_id=article.id, after={"article": article.url, "original": original.url})
    with app.app_context():
        from .. import provenance
        from ..plumbing.db import get_session

        session = get_session()
        index = provenance.get_index(app)
        provenance.reconcile(session, index)
        provenance.match_articles(session, index)
    if with_mail:
        deliver_demo_mail(app)


def deliver_demo_mail(app: Flask) -> None:
    """Drop the demo e-mails into the instance Maildir and take them in like real mail."""
    from ..mailbox import MaildirSource
    from ..mailroom import receive

    maildir = Path(str(app.config["MAILDIR"]))
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(sorted((HERE / "mail").glob("*.eml"))):
        (maildir / "new" / f"demo{number}.{path.stem}:2,").write_bytes(path.read_bytes())
    with app.app_context(), MaildirSource(maildir) as source:
        from ..plumbing.db import get_session

        receive(get_session(), source, config=app.config, source_name=f"maildir:{maildir}")
