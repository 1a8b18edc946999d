"""Whether a page credits an original's publisher: by name, alias or domain, as its stated
source or in a credit line ("来源:ABC News", "Source: ABC News")."""

import re

from sqlmodel import Session, select

from ..models import Article, Publisher, PublisherDomain

# A credit line on a page: "来源:ABC News", "Source: ABC News", "转自 美国广播公司"...
_CREDIT_LINE = re.compile(
    r"(?:^|\n)\s*[\[(（【]?\s*(?:来源|來源|出处|出處|转自|轉自|原文|稿源|编译自|source|credit|via|"
    r"from|originally published (?:by|in|at))\s*[:：]?\s*(?P<who>[^\n]{1,120})",
    re.IGNORECASE,
)


def credited_names(session: Session, publisher_id: int | None) -> list[str]:
    """Every way the publisher can be credited: name, aliases and domains."""
    if publisher_id is None:
        return []
    publisher = session.get(Publisher, publisher_id)
    domains = session.exec(select(PublisherDomain.domain)
                           .where(PublisherDomain.publisher_id == publisher_id)).all()
    return [n for n in [publisher.name, *publisher.aliases, *domains] if n]


def is_attributed(article: Article, names: list[str]) -> bool:
    """Whether the article credits one of these names: as its source or in a credit line.

    A mention inside the story ("emails obtained by ABC News") is not a credit.
    """
    if not names:
        return False
    lowered = [n.casefold() for n in names]
    places = [article.claimed_source or ""]
    places += [m.group("who") for s in article.segments
               for m in _CREDIT_LINE.finditer(s.get("text") or "")]
    return any(name in place.casefold() for place in places for name in lowered)


class CreditNames:
    """credited_names() of each publisher, read once per run (a run matches many articles)."""

    def __init__(self, session: Session):
        self.session = session
        self._names: dict[int | None, list[str]] = {}

    def __call__(self, publisher_id: int | None) -> list[str]:
        if publisher_id not in self._names:
            self._names[publisher_id] = credited_names(self.session, publisher_id)
        return self._names[publisher_id]
