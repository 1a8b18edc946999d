"""extract_notice: what a parsed message asks, who asks it, about which pages, and what it lacks."""

import copy
import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from moderation.notices.asks import NOTICE_KINDS, Decision, decide
from moderation.notices.claimant import Claimant, Signature, find_claimant, find_signature
from moderation.notices.completeness import missing_elements
from moderation.notices.demands import Deadline, Demand
from moderation.notices.kinds import Jurisdiction, Kind, is_chinese, jurisdiction_of
from moderation.notices.locations import Work, find_works, split_urls
from moderation.notices.quoting import split_letter
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
    # What the letter asks in full: a notice kind, or "inquiry" / "other" (``kind`` None).
    asks: str = "other"
    asks_payment: bool = False
    kind_reasons: list[str] = field(default_factory=list)
    demand: Demand | None = None
    deadline: Deadline | None = None
    # Parts a person should look at rather than trust: why, in plain words.
    uncertain: list[str] = field(default_factory=list)


def read_asks(subject: str, text: str, attachment_texts: list[str]) -> tuple[Decision, str, str]:
    """What a message asks, the letter that asks it, and how quoted mail was set apart.

    The letter is the sender's own words (quoted earlier mail left out, a forwarded letter
    taken in), or a letter attached under a cover note that asks nothing itself. Classifying
    and then reading a message both ask this; the answer is remembered for a batch's worth.
    """
    decision, letter, how = _read_asks(subject, text[:MAX_READ_CHARS], tuple(attachment_texts))
    return copy.deepcopy(decision), letter, how


@functools.lru_cache(maxsize=256)
def _read_asks(subject: str, text: str, attachment_texts: tuple[str, ...]
               ) -> tuple[Decision, str, str]:
    split = split_letter(text[:MAX_READ_CHARS])
    decision = decide(split.own, subject)
    if decision.kind in NOTICE_KINDS:
        return decision, split.own, split.how or ""
    for attached in attachment_texts:
        found = decide(attached[:MAX_READ_CHARS])
        if found.kind in NOTICE_KINDS:
            found.reasons.append("It is the letter attached under the cover note.")
            return found, attached[:MAX_READ_CHARS], "an attached letter under a cover note"
    return decision, split.own, split.how or ""


def _explained(kind: Kind | None, jurisdiction: Jurisdiction | None, said: dict[str, str]) -> bool:
    if kind != "counter_notice":
        return "explanation" in said
    if jurisdiction in ("US", None):
        return "mistake" in said and "consent_to_jurisdiction" in said
    return "mistake" in said or "explanation" in said


def extract_notice(parsed: "ParsedMessage", *, site_domains: list[str],
                   home_jurisdiction: Jurisdiction | None = None) -> NoticeFields:
    """Read a notice from ``parsed``; ``site_domains`` are our own domains (targets live there).

    A letter that names no law is checked against ``home_jurisdiction`` (the law our site
    answers to), if given; its ``jurisdiction`` stays None (what the letter itself invokes).

    Text comes from the body, text attachments and forwarded messages; URLs also from the
    HTML links. A message that is no notice still gets its fields, with ``kind`` None.
    """
    attached = parsed.attachment_texts()
    decision, letter, how = read_asks(parsed.subject, parsed.text, attached)
    kind: Kind | None = decision.kind if decision.kind in NOTICE_KINDS else None  # type: ignore[assignment]
    # Wording is read from the start of long mail only; URLs are taken from all of it.
    body = "\n\n".join([letter, *attached])[:MAX_READ_CHARS]
    everything = f"{parsed.subject}\n\n{body}"
    jurisdiction = jurisdiction_of(everything)
    language = "zh" if is_chinese(everything) else "en"
    targets, originals = split_urls([parsed.subject, letter, parsed.links, *attached],
                                    site_domains)
    uncertain = []
    if not targets and not originals and how:
        # The letter's own lines name no page: the quoted mail does ("please remove it").
        targets, originals = split_urls([parsed.text], site_domains)
        if targets:
            uncertain.append("The pages were read from the quoted earlier mail.")
    said = find_statements(body)
    sender = parsed.from_
    claimant = find_claimant(letter, sender.name if sender else None,
                             sender.address if sender else None, language=language,
                             jurisdiction=jurisdiction, own_domains=tuple(site_domains))
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
    unread = [a for a in parsed.attachments if not a.text]
    if not parsed.text.strip() and unread:
        uncertain.append("The message has no text, only attachments ("
                         + ", ".join(a.filename or a.content_type for a in unread[:5])
                         + "): a person must read them.")
    if how:
        uncertain.append(f"Quoted or forwarded mail was set apart: {how}.")
    if len(parsed.text) > MAX_READ_CHARS:
        uncertain.append(f"Only the first {MAX_READ_CHARS:,} characters were read for wording.")
    regime = jurisdiction or home_jurisdiction
    if regime and not jurisdiction and kind in NOTICE_KINDS:
        uncertain.append(f"The letter names no law: it is checked against our own ({regime}).")
    if claimant.sources.get("email", "").startswith("From: ") and kind in NOTICE_KINDS:
        uncertain.append("The letter gives no e-mail address: the sender's is taken.")
    return NoticeFields(
        kind=kind,
        kind_evidence=decision.reasons[0] if decision.reasons else None,
        language=language,
        claimant=claimant,
        works=works,
        target_urls=targets,
        original_urls=originals,
        statements=said,
        signature=signature,
        jurisdiction=jurisdiction,
        missing_elements=missing_elements(kind, regime, present, claimant),
        asks=decision.kind,
        asks_payment=decision.asks_payment,
        kind_reasons=decision.reasons,
        demand=decision.demand,
        deadline=decision.deadline,
        uncertain=uncertain,
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
        "asks": fields.asks,
        "asks_payment": fields.asks_payment,
        "kind_reasons": list(fields.kind_reasons),
        "amount": fields.demand.amount if fields.demand else None,
        "currency": fields.demand.currency if fields.demand else None,
        "deadline_days": fields.deadline.days if fields.deadline else None,
        "deadline_business_days": bool(fields.deadline and fields.deadline.business),
        "sources": dict(claimant.sources)
        | ({"amount": fields.demand.source} if fields.demand else {})
        | ({"deadline": fields.deadline.source} if fields.deadline else {}),
        "uncertain": list(fields.uncertain),
    }


def stored_columns(fields: NoticeFields, letter_date: datetime | None,
                   received_at: datetime) -> dict[str, Any]:
    """The columns of a Notice row added for what a letter asks (see migration 0009).

    A deadline runs from the letter's date when it has a plausible one (not after it arrived),
    else from its arrival.
    """
    start = letter_date if letter_date is not None and letter_date <= received_at else received_at
    sources = dict(fields.claimant.sources)
    if fields.demand:
        sources["amount"] = fields.demand.source
    if fields.deadline:
        sources["deadline"] = fields.deadline.source
    return {
        "asks_payment": fields.asks_payment,
        "amount": fields.demand.amount if fields.demand else None,
        "currency": fields.demand.currency if fields.demand else None,
        "deadline_at": fields.deadline.due(start) if fields.deadline else None,
        "kind_reasons": list(fields.kind_reasons),
        "field_sources": sources,
        "uncertain": list(fields.uncertain),
    }
