"""Exports with personal data taken out (moderation/redaction.py has the rules).

Applied by default to `notices export`, to the transparency report's files (JSON, CSV, HTML)
and to its downloads from the reports page; `--no-redact` on the command line keeps everything
for internal use. The reports page itself, shown to signed-in staff, is not redacted.

Organisation domains, whose addresses are kept: our own SITE_DOMAINS, every known publisher's
domains, and the mail domain of any claimant whose notice says they act for an organisation.
"""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import Notice, PublisherDomain
from .redaction import (
    ADDRESS,
    PHONE,
    organisation_domains,
    redact_claimant,
    redact_email,
    redact_text,
)


def known_domains(session: Session, config: dict) -> set[str]:
    """Organisation domains the desk knows: our own site's and every known publisher's."""
    site = config.get("SITE_DOMAINS") or []
    site = site.split(",") if isinstance(site, str) else site
    publishers = session.exec(select(PublisherDomain.domain)).all()
    return {d.strip().lower() for d in [*site, *publishers] if d and d.strip()}


def claimed_domains(claimants: Iterable[tuple[dict | None, str | None]]) -> set[str]:
    """Domains of claimants who said they act for an organisation: (claimant, e-mail) pairs."""
    found: set[str] = set()
    for claimant, email in claimants:
        found |= organisation_domains(claimant, email)
    return found


def notices_domains(session: Session, config: dict) -> set[str]:
    """Every organisation domain known to the desk and its notices."""
    rows = session.exec(select(Notice.claimant, Notice.claimant_email)).all()
    return known_domains(session, config) | claimed_domains(rows)


def notice_record(record: dict, keep: set[str]) -> dict:
    """One `notices export` record with phones, addresses and private e-mail replaced."""
    result = dict(record)
    result["claimant"] = redact_claimant(record.get("claimant") or {}, keep)
    result["from"] = redact_email(record.get("from"), keep)
    result["subject"] = redact_text(record.get("subject"), keep)
    if result.get("reason"):
        result["reason"] = redact_text(result["reason"], keep)
    if result.get("sources"):
        # The lines a phone or an address were read from are that phone or address.
        whole = {"phone": PHONE, "address": ADDRESS}
        result["sources"] = {key: whole.get(key) or redact_text(line, keep)
                             for key, line in result["sources"].items()}
    return result


def transparency(session: Session, report: dict, config: dict) -> dict:
    """The report with private claimants' addresses replaced; their notices counted together."""
    listed = {row["claimant"].rpartition("@")[2].lower()
              for row in report["notices"]["by_claimant"] if "@" in row["claimant"]}
    keep = known_domains(session, config)
    if listed:
        # Only the notices at the listed claimants' domains can show those are organisations'.
        at = [Notice.claimant_email.endswith(f"@{domain}", autoescape=True) for domain in listed]
        keep |= claimed_domains(session.exec(
            select(Notice.claimant, Notice.claimant_email).where(sa.or_(*at))).all())
    merged: dict[str, int] = {}
    for row in report["notices"]["by_claimant"]:
        name = row["claimant"]
        name = redact_email(name, keep) if "@" in name else redact_text(name, keep)
        merged[name] = merged.get(name, 0) + row["notices"]
    by_claimant = [{"claimant": name, "notices": n}
                   for name, n in sorted(merged.items(), key=lambda item: (-item[1], item[0]))]
    return {**report, "notices": {**report["notices"], "by_claimant": by_claimant}}
