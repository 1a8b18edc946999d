"""Checking a text before it is published: its likely originals, the licences covering them,
their publishers' complaints, a risk level and the credit line to add.

No Flask here, and nothing is written: ``POST /api/check`` (web/api_check.py) and
``moderation check FILE`` (commands/check.py) both call ``check`` and so answer alike. The
text is read by the same extractors as imports (intake), so a site page, a clean text and an
HTML page (scripts and styles dropped, never run) all give the paragraphs matching sees.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from sqlmodel import Session, select

from .. import intake, provenance
from ..intake import URLError, canonical_url, extract_text_page
from ..library import complaints, licences
from ..matching import ENGINE_VERSION, NONE, Index, Match, Matcher
from ..models import Article, Licence, Original, Publisher, utcnow
from .credits import credited_names, is_attributed

RISKS = ("ok", "credit_needed", "licence_needed", "do_not_publish")  # mildest first
# A copy or translation of at least this share of the original needs a licence, credit or not.
SUBSTANTIAL = 0.5
SUBSTANTIAL_KINDS = ("verbatim", "edited", "rewritten", "translation")
COPY_WORDS = {"verbatim": "a verbatim copy", "edited": "an edited copy",
              "rewritten": "a rewrite", "translation": "a translation"}
MAX_URL, MAX_TITLE = 2000, 1000
MAX_ORIGINALS = 5


class CheckError(ValueError):
    """Input that cannot be checked; the message says what to send instead."""


@dataclass(frozen=True)
class Draft:
    """The text to check, as matching reads it."""

    segments: list[tuple[str, str]]
    claimed_source: str | None
    # Lines extraction dropped as site chrome: not matched, but a credit line may be there.
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """What the risk rule needs to know about one matched original."""

    kind: str
    original_coverage: float
    licensed: bool = False
    credit_required: bool = False  # the covering licence prescribes a credit wording
    credited: bool = False  # the text credits the publisher (or uses the licence's wording)
    complained: bool = False
    # A rewrite on too little evidence to be sure of (Match.possible).
    possible: bool = False


def read_draft(*, text: str | None = None, html: str | None = None, url: str | None = None,
               title: str | None = None) -> Draft:
    """Validate the input and extract its paragraphs; CheckError says what is wrong."""
    if (text is None) == (html is None):
        raise CheckError("send exactly one of 'text' or 'html'")
    for name, value, longest in (("text", text, None), ("html", html, None),
                                 ("url", url, MAX_URL), ("title", title, MAX_TITLE)):
        if value is not None and not isinstance(value, str):
            raise CheckError(f"'{name}' must be a string")
        if longest and value and len(value) > longest:
            raise CheckError(f"'{name}' may have at most {longest} characters")
    content = text if text is not None else html
    if not content.strip():
        raise CheckError(f"'{'text' if text is not None else 'html'}' is empty: "
                         "send the article's text")
    if "\x00" in content:
        raise CheckError("the text holds NUL characters: send text, not binary data")
    if url:
        try:
            canonical_url(url)
        except URLError as exc:
            raise CheckError(f"'url' cannot be used: {exc}") from None
    if html is not None:
        page = intake.extract_html_page(html, url=url or None)  # imported on use
    else:
        page = extract_text_page(text, title=title)
    segments = [(s.language, s.text) for s in page.segments if s.text.strip()]
    if not segments:
        raise CheckError("no article text was found in the input (only markup, scripts or "
                         "site chrome?)")
    return Draft(segments, page.claimed_source, tuple(line for _, line in page.removed))


def rule(finding: Finding) -> tuple[str, str]:
    """The risk of one matched original and the reason code: the desk's single risk rule."""
    if finding.kind == NONE:
        return "ok", "no_match"
    if finding.possible:
        # Too little evidence to hold against the text: said, for a person to compare.
        return "ok", "possible_rewrite"
    if finding.licensed:
        if finding.credit_required and not finding.credited:
            return "credit_needed", "licence_credit_missing"
        return "ok", "licensed"
    if finding.complained:
        return "do_not_publish", "complained_publisher"
    if finding.kind in SUBSTANTIAL_KINDS and finding.original_coverage >= SUBSTANTIAL:
        return "licence_needed", "substantial_copy"
    if not finding.credited:
        return "credit_needed", "uncredited"
    return "ok", "credited"


def overall(risks: list[str]) -> str:
    """The text's risk: the worst of its originals' ("ok" when nothing matched)."""
    return max(risks, key=RISKS.index, default="ok")


def _words(code: str, name: str, match: Match, licence: Licence | None, strikes: int,
           open_cases: int) -> str:
    share = f"{round(100 * match.original_coverage)}%"
    return {
        "licensed": f"{name}: licence #{licence.id if licence else ''} covers this use.",
        "licence_credit_missing": f"{name}: licence #{licence.id if licence else ''} covers "
                                  "this use but requires its credit wording, which the text "
                                  "lacks.",
        "complained_publisher": f"{name} has complained about copies before ({strikes} "
                                f"removed, {open_cases} open) and no licence covers this use.",
        "substantial_copy": f"{name}: {COPY_WORDS.get(match.kind, match.kind)} of {share} of "
                            "the original; no licence covers it, so a credit is not enough.",
        "uncredited": f"{name}: the text takes {share} of this original ({match.kind}) "
                      "without crediting it.",
        "credited": f"{name}: a credited {match.kind} of {share} of the original.",
        "possible_rewrite": f"{name}: the text may be a rewrite of this original ({share} of "
                            "it told in other words); too little to be sure: compare them "
                            "before publishing.",
    }[code]


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _copied_chars(match: Match) -> int:
    return sum(max(0, s.article_end - s.article_start) for s in match.spans)


def check(session: Session, index: Index, *, text: str | None = None, html: str | None = None,
          url: str | None = None, title: str | None = None, on: date | None = None,
          limit: int = MAX_ORIGINALS) -> dict:
    """Check a text before publishing; see the OpenAPI description for the fields."""
    draft = read_draft(text=text, html=html, url=url, title=title)
    return check_draft(session, index, draft, on=on, limit=limit)


def check_draft(session: Session, index: Index, draft: Draft, *, on: date | None = None,
                limit: int = MAX_ORIGINALS) -> dict:
    """The check itself, for a draft already read (reads the database, writes nothing)."""
    on = on or utcnow().date()
    matcher = Matcher(index, provenance.OriginalTexts(session))
    matches = [m for m in matcher.match(draft.segments, published_at=on, limit=limit)
               if m.kind != NONE][:limit]
    found = {o.id: o for o in session.exec(
        select(Original).where(Original.id.in_([m.original_id for m in matches])))} \
        if matches else {}
    matches = [m for m in matches if m.original_id in found]
    publisher_ids = {o.publisher_id for o in found.values() if o.publisher_id is not None}
    publishers = {p.id: p for p in session.exec(
        select(Publisher).where(Publisher.id.in_(publisher_ids)))} if publisher_ids else {}
    on_file = licences.for_publishers(session, publisher_ids)
    history = complaints.history(session, publisher_ids)
    # A stand-in for the page, only to ask is_attributed; never added to the session.
    credits = [*(t for _, t in draft.segments), "\n".join(draft.dropped)]
    page = Article(claimed_source=draft.claimed_source,
                   segments=[{"language": "other", "text": t} for t in credits])
    body = _normal("\n".join([*credits, draft.claimed_source or ""]))
    names: dict[int | None, list[str]] = {}
    originals, reasons, risks, lines = [], [], [], []
    for match in matches:
        original = found[match.original_id]
        pid = original.publisher_id
        publisher = publishers.get(pid)
        name = publisher.name if publisher else (_host(original.url) or original.url)
        if pid not in names:
            names[pid] = credited_names(session, pid)
        licence = licences.covering(on_file.get(pid, []),
                                    licences.Use(match.kind, _copied_chars(match)), on)
        wording = licence.credit_wording.strip() if licence else ""
        credited = is_attributed(page, names[pid] or [name])
        past = history.get(pid, complaints.History())
        finding = Finding(
            kind=match.kind, original_coverage=match.original_coverage,
            licensed=licence is not None, credit_required=bool(wording),
            credited=(_normal(wording) in body) if wording else credited,
            complained=past.complained, possible=match.possible)
        risk, code = rule(finding)
        risks.append(risk)
        if risk in ("credit_needed", "licence_needed") and not finding.credited:
            lines.append(licences.credit_line(name, licence))
        reasons.append({"code": code, "original_url": original.url,
                        "message": _words(code, name, match, licence, past.strikes,
                                          past.open_cases)})
        originals.append({
            "url": original.url, "title": original.title or "", "publisher": name,
            "kind": match.kind, "possible": match.possible, "score": round(match.score, 4),
            "article_coverage": round(match.article_coverage, 4),
            "original_coverage": round(match.original_coverage, 4),
            "credited": finding.credited, "risk": risk,
            "licence": _licence(licence), "complaints": past.as_dict(),
        })
    risk = overall(risks)
    if not matches:
        reasons.append({"code": "no_match", "original_url": None,
                        "message": "No original known to the desk matches this text."})
    credit_line = None
    if lines and risk != "do_not_publish":
        credit_line = "\n".join(dict.fromkeys(lines))  # each line once, in match order
    return {"risk": risk, "credit_line": credit_line, "originals": originals,
            "reasons": reasons, "checked_on": on.isoformat(), "engine_version": ENGINE_VERSION}


def _licence(licence: Licence | None) -> dict | None:
    if licence is None:
        return None
    return {"id": licence.id, "kind": licence.kind,
            "valid_to": licence.valid_to.isoformat() if licence.valid_to else None,
            "credit_wording": licence.credit_wording or None}


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""
