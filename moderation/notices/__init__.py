"""Understanding notices: what a message asks (takedown, counter-notice, retraction), who
asks, about which of our pages and which originals, which statements it makes, and which
legal elements it lacks under US (DMCA 512), EU (DSA Art. 16) or Chinese (信息网络传播权保护条例)
rules. Pure functions over a ``ParsedMessage``; no database.

    fields = extract_notice(parsed, site_domains=["uscntv.com", "www.uscntv.com"])
    fields.kind                 # "takedown" | "counter_notice" | "retraction" | "payment_demand"
                                # | None; fields.asks adds "inquiry" and "other"
    fields.kind_reasons         # why, in plain words, for the reviewer
    fields.target_urls          # canonical URLs on our site, in order, de-duplicated
    fields.missing_elements     # e.g. ["perjury", "signature"]
    to_json(fields)             # the notice part of a ``notices export`` record

Missing-element keys: contact, work, location, explanation, good_faith, accuracy, perjury,
signature. Required for a takedown: US all but explanation; EU contact, location,
explanation, good_faith; CN contact, work, location, explanation; unknown regime contact,
work, location. For a counter-notice "explanation" is the statement of mistake or
misidentification (and, under US rules, the consent to jurisdiction).

May import: mailbox (parsed messages), intake (URLs). Imported by: cases, mailroom, web, commands.
"""

from moderation.notices.claimant import Claimant, Signature
from moderation.notices.completeness import ELEMENTS, missing_elements
from moderation.notices.extract import NoticeFields, extract_notice, stored_columns, to_json
from moderation.notices.kinds import jurisdiction_of, notice_kind
from moderation.notices.locations import Work, is_ours

__all__ = [
    "ELEMENTS",
    "Claimant",
    "NoticeFields",
    "Signature",
    "Work",
    "extract_notice",
    "is_ours",
    "jurisdiction_of",
    "missing_elements",
    "notice_kind",
    "stored_columns",
    "to_json",
]
