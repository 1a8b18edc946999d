"""extract_notice: what a parsed message asks, who asks it, about which pages, and what it lacks."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from moderation.notices.claimant import Claimant, Signature, find_claimant, find_signature
from moderation.notices.completeness import missing_elements
from moderation.notices.kinds import Jurisdiction, Kind, is_chinese, jurisdiction_of, notice_kind
from moderation.notices.locations import Work, find_works, split_urls
from moderation.notices.statements import find_statements

MAX_READ_CHARS = 100_000

if TYPE_CHECKING:  # the notices package reads messages but must not import the mail package
    from moderation.mailbox.parse import ParsedMessage


@dataclass
class NoticeFields:
    """Everything understood from one message; ``statements`` maps keys to proving sentences."""

    kind: Kind | None
    kind_evidence: str | None
    language: str
    claimant: Claimant
    works: list[Work] = field(default_factory=list)
    target_urls: list[str] = field(default_factory=list)
    original_urls: list[str] = field(default_factory=list)
    statements: dict[str, str] = field(default_factory=dict)
    signature: Signature | None = None
    jurisdiction: Jurisdiction | None = None
    missing_elements: list[str] = field(default_factory=list)


def _letter(text: str, attachment_texts: list[str]) -> str:
    """The text holding the notice itself: the body, or an attached letter under a cover note."""
    if not attachment_texts or notice_kind(text)[0] is not None:
        return text
    for attached in attachment_texts:
        if notice_kind(attached)[0] is not None:
            return attached
    return text


def _explained(kind: Kind | None, jurisdiction: Jurisdiction | None, said: dict[str, str]) -> bool:
    if kind != "counter_notice":
        return "explanation" in said
    if jurisdiction in ("US", None):
        return "mistake" in said and "consent_to_jurisdiction" in said
    return "mistake" in said or "explanation" in said


def extract_notice(parsed: "ParsedMessage", *, site_domains: list[str]) -> NoticeFields:
    """Read a notice from ``parsed``; ``site_domains`` are our own domains (targets live there).

    Text comes from the body, text attachments and forwarded messages; URLs also from the
    HTML links. A message that is no notice still gets its fields, with ``kind`` None.
    """
    attached = parsed.attachment_texts()
    # Wording is read from the start of long mail only; URLs are taken from all of it.
    body = "\n\n".join([parsed.text, *attached])[:MAX_READ_CHARS]
    everything = f"{parsed.subject}\n\n{body}"
    kind, evidence = notice_kind(everything)
    jurisdiction = jurisdiction_of(everything)
    targets, originals = split_urls([parsed.subject, parsed.text, parsed.links, *attached],
                                    site_domains)
    said = find_statements(body)
    letter = _letter(parsed.text[:MAX_READ_CHARS], [a[:MAX_READ_CHARS] for a in attached])
    sender = parsed.from_
    claimant = find_claimant(letter, sender.name if sender else None,
                             sender.address if sender else None)
    signature = find_signature(letter)
    works = find_works(body, originals)
    present = {
        "work": bool(works),
        "location": bool(targets),
        "explanation": _explained(kind, jurisdiction, said),
        "good_faith": "good_faith" in said,
        "accuracy": "accuracy" in said,
        "perjury": "perjury" in said,
        "signature": signature is not None,
    }
    return NoticeFields(
        kind=kind,
        kind_evidence=evidence,
        language="zh" if is_chinese(everything) else "en",
        claimant=claimant,
        works=works,
        target_urls=targets,
        original_urls=originals,
        statements=said,
        signature=signature,
        jurisdiction=jurisdiction,
        missing_elements=missing_elements(kind, jurisdiction, present, claimant),
    )


def to_json(fields: NoticeFields) -> dict[str, Any]:
    """The notice part of the ``notices export`` record (see the design notes), JSON-ready."""
    claimant = fields.claimant
    evidence = dict(fields.statements)
    if fields.signature:
        evidence["signature"] = fields.signature.line
    return {
        "kind": fields.kind,
        "claimant": {
            "name": claimant.name,
            "email": claimant.email,
            "organisation": claimant.organisation,
            "phone": claimant.phone,
            "address": claimant.address,
            "role": claimant.role,
            "on_behalf_of": claimant.on_behalf_of,
        },
        "works": [{"description": w.description, "url": w.url} for w in fields.works],
        "target_urls": list(fields.target_urls),
        "original_urls": list(fields.original_urls),
        "statements": {
            "good_faith": "good_faith" in fields.statements,
            "accuracy": "accuracy" in fields.statements,
            "perjury": "perjury" in fields.statements,
            "signature": fields.signature is not None,
        },
        "signature": fields.signature.name if fields.signature else None,
        "evidence": evidence,
        "jurisdiction": fields.jurisdiction,
        "missing_elements": list(fields.missing_elements),
        "language": fields.language,
    }
