"""Which legal elements a notice lacks, by regime (see the legal table in the design notes)."""

from moderation.notices.claimant import Claimant
from moderation.notices.kinds import Jurisdiction, Kind

ELEMENTS = (
    "contact", "work", "location", "explanation", "good_faith", "accuracy", "perjury", "signature",
)
TAKEDOWN_REQUIREMENTS: dict[Jurisdiction | None, tuple[str, ...]] = {
    "US": ("contact", "work", "location", "good_faith", "accuracy", "perjury", "signature"),
    "EU": ("contact", "location", "explanation", "good_faith"),
    "CN": ("contact", "work", "location", "explanation"),
    None: ("contact", "work", "location"),
}
# For a counter-notice, "explanation" is the statement of mistake or misidentification
# (and, under 512(g)(3)(D), the consent to jurisdiction).
COUNTER_NOTICE_REQUIREMENTS: dict[Jurisdiction | None, tuple[str, ...]] = {
    "US": ("contact", "location", "explanation", "perjury", "signature"),
    "EU": ("contact", "location", "explanation"),
    "CN": ("contact", "work", "location", "explanation"),
    None: ("contact", "location", "explanation", "perjury", "signature"),
}


def has_contact(claimant: Claimant, jurisdiction: Jurisdiction | None) -> bool:
    """Whether the notifier can be identified and reached as the regime asks.

    US 512(c)(3)(A)(iv): name, e-mail and a postal address or phone; EU Art. 16(2)(c):
    name and e-mail; China Art. 14: name, a way to contact and an address.
    """
    name = claimant.name or claimant.organisation
    if not name:
        return False
    if jurisdiction == "US":
        return bool(claimant.email and (claimant.address or claimant.phone))
    if jurisdiction == "CN":
        return bool(claimant.address and (claimant.phone or claimant.email))
    return bool(claimant.email)


def missing_elements(
    kind: Kind | None,
    jurisdiction: Jurisdiction | None,
    present: dict[str, bool],
    claimant: Claimant,
) -> list[str]:
    """Required elements absent from the notice, in the order of ``ELEMENTS``.

    ``present`` maps the other element keys to whether the notice supplies them.
    Retractions and messages that are no notice require nothing.
    """
    if kind == "takedown":
        required = TAKEDOWN_REQUIREMENTS[jurisdiction]
    elif kind == "counter_notice":
        required = COUNTER_NOTICE_REQUIREMENTS[jurisdiction]
    else:
        return []
    supplied = dict(present, contact=has_contact(claimant, jurisdiction))
    return [element for element in ELEMENTS if element in required and not supplied.get(element)]
