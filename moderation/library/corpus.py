"""What verification reads of our corpus: articles, originals, stored provenance, publishers.

``Evidence`` asks the database one question at a time, as a single notice needs;
``Evidence.for_notices`` (``Preloaded``) loads what a whole batch of notices needs in a few
queries and answers the same questions from memory. Both give the same answers.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from sqlalchemy.orm import defer
from sqlmodel import Session, select

from ..intake.urls import URLError, canonical_host, canonical_url
from ..models import Article, Notice, Original, Provenance, Publisher, PublisherDomain


def claimant_hosts(notice: Notice) -> set[str]:
    """Hosts the claimant writes from or claims originals on."""
    hosts = set()
    email = (notice.claimant or {}).get("email") or notice.claimant_email or ""
    if "@" in email:
        hosts.add(canonical_host(email.rpartition("@")[2]))
    for url in notice.original_urls:
        hosts.add(canonical_host(urlsplit(url).hostname or ""))
    return set(filter(None, hosts))


def domain_suffixes(host: str) -> list[str]:
    """The domains a host belongs to, itself first: a.b.example.com, b.example.com, example.com."""
    parts = host.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def canonical_or_none(url: str) -> str | None:
    """The canonical form of a claimed address, or None if it is none."""
    try:
        return canonical_url(url)
    except URLError:
        return None


class Evidence:
    """What verification reads, asked of the database one question at a time.

    ``comparisons`` (optional, shared between calls) remembers engine results by article and
    original and the times they were last changed, so a pair is compared once per import.
    """

    def __init__(self, session: Session, comparisons: dict | None = None) -> None:
        self.session = session
        self.comparisons = comparisons if comparisons is not None else {}

    @classmethod
    def for_notices(cls, session: Session, notices: Iterable[Notice],
                    comparisons: dict | None = None) -> "Evidence":
        """Evidence for these notices, loaded up front (see ``Preloaded``)."""
        return Preloaded(session, list(notices), comparisons)

    def original(self, key: str) -> Original | None:
        return self.session.exec(select(Original).where(Original.url == key)).first()

    def article(self, url: str) -> Article | None:
        return self.session.exec(select(Article).where(Article.url == url)).first()

    def provenance(self, article: Article) -> list[tuple[Provenance, Original]]:
        """The article's provenance rows with their originals, best score first."""
        return list(self.session.exec(
            select(Provenance, Original).join(Original, Original.id == Provenance.original_id)
            .where(Provenance.article_id == article.id)
            .order_by(Provenance.score.desc(), Provenance.id)
        ).all())

    def stored(self, article: Article, original: Original) -> Provenance | None:
        return self.session.exec(select(Provenance).where(
            Provenance.article_id == article.id, Provenance.original_id == original.id)).first()

    def publishers_by_domain(self, domains: list[str]) -> set[int]:
        rows = self.session.exec(select(PublisherDomain.publisher_id)
                                 .where(PublisherDomain.domain.in_(domains)))
        return set(rows)

    def publishers(self) -> list[Publisher]:
        return list(self.session.exec(select(Publisher)))


class Preloaded(Evidence):
    """The same answers for a batch of notices, from a handful of queries made up front."""

    def __init__(self, session: Session, notices: list[Notice], comparisons: dict | None) -> None:
        super().__init__(session, comparisons)
        keys = {key for n in notices for key in map(canonical_or_none, n.original_urls) if key}
        urls = {url for n in notices for url in n.target_urls}
        domains = {d for n in notices for host in claimant_hosts(n) for d in domain_suffixes(host)}
        # The texts are read only if the engine has to compare them (most pairs are known).
        self._originals = {o.url: o for o in _in(session, Original, Original.url, keys,
                                                  defer(Original.text))}
        self._articles = {a.url: a for a in _in(session, Article, Article.url, urls,
                                                 defer(Article.segments))}
        self._titles = {a.id: a.title or "" for a in self._articles.values()}
        self._provenance: dict[int, list[tuple[Provenance, Original]]] = {}
        ids = [a.id for a in self._articles.values()]
        for start in range(0, len(ids), 500):
            for provenance, original in session.exec(
                select(Provenance, Original).join(Original, Original.id == Provenance.original_id)
                .where(Provenance.article_id.in_(ids[start:start + 500]))
                .order_by(Provenance.score.desc(), Provenance.id)
                .options(defer(Provenance.spans), defer(Original.text))
            ):
                self._provenance.setdefault(provenance.article_id, []).append(
                    (provenance, original))
        self._urls = {o.id: o.url for o in self._originals.values()} | {
            o.id: o.url for rows in self._provenance.values() for _p, o in rows}
        self._domains = {row.domain: row.publisher_id
                         for row in _in(session, PublisherDomain, PublisherDomain.domain, domains)}
        self._publishers: list[Publisher] | None = None

    def original(self, key: str) -> Original | None:
        return self._originals.get(key)

    def article(self, url: str) -> Article | None:
        return self._articles.get(url)

    def provenance(self, article: Article) -> list[tuple[Provenance, Original]]:
        return self._provenance.get(article.id, [])

    def original_url(self, original_id: int | None) -> str | None:
        """The address of an original named in a verdict (loaded with the batch)."""
        return self._urls.get(original_id) if original_id is not None else None

    def title(self, article_id: int | None) -> str:
        """The title of a target article (loaded with the batch), "" if none."""
        return self._titles.get(article_id, "") if article_id is not None else ""

    def stored(self, article: Article, original: Original) -> Provenance | None:
        return next((p for p, _o in self.provenance(article) if p.original_id == original.id),
                    None)

    def publishers_by_domain(self, domains: list[str]) -> set[int]:
        return {self._domains[d] for d in domains if d in self._domains}

    def publishers(self) -> list[Publisher]:
        if self._publishers is None:  # only notices naming an organisation need them
            self._publishers = super().publishers()
        return self._publishers


def _in(session: Session, model, column, values: set[str], *options) -> list:
    values = sorted(values)
    rows = []
    for start in range(0, len(values), 500):  # bounded IN lists for both databases
        rows += session.exec(select(model).where(column.in_(values[start:start + 500]))
                             .options(*options)).all()
    return rows
