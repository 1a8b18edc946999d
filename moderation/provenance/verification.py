"""Checking a takedown notice against our evidence: does each target article copy the claim?

The checks read articles, originals, publishers and stored provenance through a
``corpus.Evidence`` (by default straight from the database; for a batch of notices, loaded
up front with ``Evidence.for_notices``).
"""

from sqlmodel import Session, select

from ..intake.urls import canonical_url
from ..library.corpus import Evidence, canonical_or_none, claimant_hosts, domain_suffixes
from ..matching import ENGINE_VERSION, OriginalText, compare
from ..models import Article, Notice, Original

VERDICTS = ("supported", "not_supported", "original_unavailable", "article_not_found")
# The engine's scores never exceed 1, so a candidate scoring 1 cannot be beaten by a later
# one (ties keep the first): the remaining comparisons are skipped.
TOP_SCORE = 1.0


def segments_of(article: Article) -> list[tuple[str, str]]:
    return [(s.get("language") or "other", s.get("text") or "") for s in article.segments]


def original_text(original: Original) -> OriginalText:
    return OriginalText(original.text, original.language or "other", original.published_at)


def _claimant_names(notice: Notice) -> set[str]:
    names = {(notice.claimant or {}).get(key) for key in ("organisation", "on_behalf_of", "name")}
    return {n.casefold() for n in names if n}


def claimant_publishers(session: Session, notice: Notice, evidence: Evidence | None = None
                        ) -> set[int]:
    """Publishers the claimant speaks for: by e-mail domain, organisation or claimed URLs."""
    evidence = evidence or Evidence(session)
    found: set[int] = set()
    for host in claimant_hosts(notice):
        found |= evidence.publishers_by_domain(domain_suffixes(host))
    names = _claimant_names(notice)
    if names:
        for publisher in evidence.publishers():
            if {publisher.name.casefold(), *(a.casefold() for a in publisher.aliases)} & names:
                found.add(publisher.id)
    return found


def missing_originals(notice: Notice, evidence: Evidence) -> list[str]:
    """Claimed originals (as written) that are not in our corpus."""
    return [url for url in notice.original_urls
            if (key := canonical_or_none(url)) and evidence.original(key) is None]


def _claimed_originals(session: Session, notice: Notice, fetch, evidence: Evidence
                       ) -> list[Original]:
    """The originals the notice names, from our corpus or, when allowed, from the web."""
    originals = []
    for url in notice.original_urls:
        key = canonical_or_none(url)
        if key is None:
            continue
        original = evidence.original(key)
        if original is None and fetch is not None:
            original = fetch(session, url)
        if original is not None:
            originals.append(original)
    return originals


def fetch_original(session: Session, url: str) -> Original | None:
    """Fetch a claimed original from the web and keep it like an imported one."""
    from datetime import UTC

    from ..intake import Fetcher, FetchError, Record
    from ..library.imports import store_records

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


def _our_provenance(evidence: Evidence, article: Article, claimants: set[int]
                    ) -> tuple[dict, Original] | None:
    """Which original we ourselves believe the article came from, and whether it is theirs."""
    row = next(((p, o) for p, o in evidence.provenance(article) if p.kind != "none" and not p.possible), None)
    if row is None:
        return None
    provenance, original = row
    return {"original_id": original.id, "original_url": original.url, "kind": provenance.kind,
            "score": round(provenance.score, 3), "attributed": provenance.attributed,
            "claimants": original.publisher_id in claimants}, original


def verify(session: Session, notice: Notice, *, fetch=None, evidence: Evidence | None = None
           ) -> list[dict]:
    """A verdict for each target URL, with the match that supports it and our own provenance.

    ``fetch(session, url)`` gets a claimed original that is not in the corpus (see
    ``fetch_original``); without it such an original counts as unavailable. ``evidence``
    answers the reads (by default straight from the database).
    """
    evidence = evidence or Evidence(session)
    claimed = _claimed_originals(session, notice, fetch, evidence)
    claimants = claimant_publishers(session, notice, evidence)
    results = []
    for url in notice.target_urls:
        article = evidence.article(url)
        if article is None:
            results.append({"url": url, "article_id": None, "verdict": "article_not_found"})
            continue
        found = _our_provenance(evidence, article, claimants)
        ours = found[0] if found else None
        candidates = list(claimed)
        if not candidates and ours and ours["claimants"]:
            candidates = [found[1]]
        best = None
        for original in candidates:
            result = _comparison(evidence, article, original)
            if best is None or result["score"] > best[1]["score"]:
                best = (original, result)
            if best[1]["score"] >= TOP_SCORE:
                break
        item = {"url": url, "article_id": article.id, "our_provenance": ours}
        if best is None:
            item["verdict"] = "original_unavailable"
        else:
            original, result = best
            item.update(verdict="supported" if result["kind"] != "none" else "not_supported",
                        original_id=original.id, original_url=original.url, **result)
        results.append(item)
    return results


def _comparison(evidence: Evidence, article: Article, original: Original) -> dict:
    """Kind, score and coverage of the article against one original.

    A stored provenance row for the same pair, made by this engine version from the same
    texts, is the same answer the engine would give now, so it is reused: most notices name
    the original our own matching already found. For the same reason an engine result is
    remembered (``evidence.comparisons``) until either text changes.
    """
    stored = evidence.stored(article, original)
    if (stored is not None and stored.engine_version == ENGINE_VERSION
            and stored.created_at >= article.updated_at
            and stored.created_at >= original.updated_at):
        return {"kind": stored.kind, "score": round(stored.score, 3),
                "article_coverage": round(stored.article_coverage, 3),
                "original_coverage": round(stored.original_coverage, 3)}
    key = (article.id, article.updated_at, original.id, original.updated_at)
    if key not in evidence.comparisons:
        match = compare(segments_of(article), original_text(original))
        evidence.comparisons[key] = {
            "kind": match.kind, "score": round(match.score, 3),
            "article_coverage": round(match.article_coverage, 3),
            "original_coverage": round(match.original_coverage, 3)}
    return dict(evidence.comparisons[key])


def summary(verification: list[dict]) -> str:
    """'2/3 supported' for the queue."""
    supported = sum(1 for item in verification if item.get("verdict") == "supported")
    return f"{supported}/{len(verification)}"
