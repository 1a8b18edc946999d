"""Checking a takedown notice against our evidence: does each target article copy the claim?"""

from urllib.parse import urlsplit

from sqlmodel import Session, select

from .intake.urls import URLError, canonical_host, canonical_url
from .matching import ENGINE_VERSION, OriginalText, compare
from .models import Article, Notice, Original, Provenance, Publisher, PublisherDomain

VERDICTS = ("supported", "not_supported", "original_unavailable", "article_not_found")


def segments_of(article: Article) -> list[tuple[str, str]]:
    return [(s.get("language") or "other", s.get("text") or "") for s in article.segments]


def original_text(original: Original) -> OriginalText:
    return OriginalText(original.text, original.language or "other", original.published_at)


def claimant_publishers(session: Session, notice: Notice) -> set[int]:
    """Publishers the claimant speaks for: by e-mail domain, organisation or claimed URLs."""
    hosts = set()
    email = (notice.claimant or {}).get("email") or notice.claimant_email or ""
    if "@" in email:
        hosts.add(canonical_host(email.rpartition("@")[2]))
    for url in notice.original_urls:
        hosts.add(canonical_host(urlsplit(url).hostname or ""))
    found: set[int] = set()
    for host in filter(None, hosts):
        parts = host.split(".")
        suffixes = [".".join(parts[i:]) for i in range(len(parts) - 1)]
        rows = session.exec(select(PublisherDomain).where(PublisherDomain.domain.in_(suffixes)))
        found.update(row.publisher_id for row in rows)
    names = {(notice.claimant or {}).get(key) for key in ("organisation", "on_behalf_of", "name")}
    names = {n.casefold() for n in names if n}
    if names:
        for publisher in session.exec(select(Publisher)):
            if {publisher.name.casefold(), *(a.casefold() for a in publisher.aliases)} & names:
                found.add(publisher.id)
    return found


def _claimed_originals(session: Session, notice: Notice, fetch) -> list[Original]:
    """The originals the notice names, from our corpus or, when allowed, from the web."""
    originals = []
    for url in notice.original_urls:
        try:
            key = canonical_url(url)
        except URLError:
            continue
        original = session.exec(select(Original).where(Original.url == key)).first()
        if original is None and fetch is not None:
            original = fetch(session, url)
        if original is not None:
            originals.append(original)
    return originals


def fetch_original(session: Session, url: str) -> Original | None:
    """Fetch a claimed original from the web and keep it like an imported one."""
    from datetime import UTC

    from .imports import store_records
    from .intake import Fetcher, FetchError, Record

    # Canonical URLs fold http into https; a site that only serves http is tried as such.
    candidates = [url] + ([url.replace("https://", "http://", 1)] if url.startswith("https://")
                          else [])
    record = None
    with Fetcher() as fetcher:
        for candidate in candidates:
            try:
                record = Record.from_fetched(fetcher.page(candidate))
                break
            except FetchError:
                continue
    if record is None:
        return None
    with session.begin_nested():
        store_records(session, [record], kind="original", zone=UTC, actor="verification",
                      commit=False)
    return session.exec(select(Original).where(Original.url == canonical_url(record.url))).first()


def _our_provenance(session: Session, article: Article, claimants: set[int]) -> dict | None:
    """Which original we ourselves believe the article came from, and whether it is theirs."""
    row = session.exec(
        select(Provenance, Original).join(Original, Original.id == Provenance.original_id)
        .where(Provenance.article_id == article.id, Provenance.kind != "none")
        .order_by(Provenance.score.desc())
    ).first()
    if row is None:
        return None
    provenance, original = row
    return {"original_id": original.id, "original_url": original.url, "kind": provenance.kind,
            "score": round(provenance.score, 3), "attributed": provenance.attributed,
            "claimants": original.publisher_id in claimants}


def verify(session: Session, notice: Notice, *, fetch=None) -> list[dict]:
    """A verdict for each target URL, with the match that supports it and our own provenance.

    ``fetch(session, url)`` gets a claimed original that is not in the corpus (see
    ``fetch_original``); without it such an original counts as unavailable.
    """
    claimed = _claimed_originals(session, notice, fetch)
    claimants = claimant_publishers(session, notice)
    results = []
    for url in notice.target_urls:
        article = session.exec(select(Article).where(Article.url == url)).first()
        if article is None:
            results.append({"url": url, "article_id": None, "verdict": "article_not_found"})
            continue
        ours = _our_provenance(session, article, claimants)
        candidates = list(claimed)
        if not candidates and ours and ours["claimants"]:
            candidates = [session.get(Original, ours["original_id"])]
        best = None
        for original in candidates:
            result = _comparison(session, article, original)
            if best is None or result["score"] > best[1]["score"]:
                best = (original, result)
        item = {"url": url, "article_id": article.id, "our_provenance": ours}
        if best is None:
            item["verdict"] = "original_unavailable"
        else:
            original, result = best
            item.update(verdict="supported" if result["kind"] != "none" else "not_supported",
                        original_id=original.id, original_url=original.url, **result)
        results.append(item)
    return results


def _comparison(session: Session, article: Article, original: Original) -> dict:
    """Kind, score and coverage of the article against one original.

    A stored provenance row for the same pair, made by this engine version from the same
    texts, is the same answer the engine would give now, so it is reused: most notices name
    the original our own matching already found.
    """
    stored = session.exec(select(Provenance).where(
        Provenance.article_id == article.id, Provenance.original_id == original.id,
        Provenance.engine_version == ENGINE_VERSION,
        Provenance.created_at >= article.updated_at, Provenance.created_at >= original.updated_at,
    )).first()
    if stored is not None:
        return {"kind": stored.kind, "score": round(stored.score, 3),
                "article_coverage": round(stored.article_coverage, 3),
                "original_coverage": round(stored.original_coverage, 3)}
    match = compare(segments_of(article), original_text(original))
    return {"kind": match.kind, "score": round(match.score, 3),
            "article_coverage": round(match.article_coverage, 3),
            "original_coverage": round(match.original_coverage, 3)}


def summary(verification: list[dict]) -> str:
    """'2/3 supported' for the queue."""
    supported = sum(1 for item in verification if item.get("verdict") == "supported")
    return f"{supported}/{len(verification)}"
