"""Who sends a notice: name, organisation, contact details, agent or rights holder, signature."""

import re
from dataclasses import dataclass, field
from typing import Literal

from moderation.notices import contacts

Role = Literal["agent", "rights_holder"]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Any "Label:" at the start of a line (ends an address continuing over several lines).
_ANY_LABEL = re.compile(r"^\s*[\w\u4e00-\u9fff][\w \u4e00-\u9fff()（）/-]{0,30}[:：]")
_AGENT = re.compile(
    r"\b(?:we|I) (?:represent|act for|are counsel for|am counsel for)\b|\bagent for\b|"
    r"\bon behalf of (?:our|my) client|\battorneys? for\b|\blaw firm\b|\bauthori[sz]ed agent\b|"
    r"代理|受[^。\n]{1,30}委托|代表[^。\n]{0,20}(?:公司|权利人)",
    re.IGNORECASE,
)
_OWNER = re.compile(
    r"\b(?:I|we) (?:am|are) the (?:copyright )?(?:owner|author|rights? ?holder)\b|"
    r"\bour (?:article|work|content|story|reporting|original)\b|"
    r"我(?:方|司|公司)?(?:是|为)?[^。\n]{0,6}(?:权利人|著作权人|作者)|本(?:公司|单位)(?:享有|拥有)",
    re.IGNORECASE,
)
_BEHALF = re.compile(
    r"\bon behalf of\s+(?!the (?:copyright )?owner|an? |our client|my client|the rights)"
    r"(?P<org>[A-Z][\w&.'’-]*(?:[ ,]+(?:[A-Z][\w&.'’-]*|Inc\.?|LLC|Ltd\.?|of|and|&))*)"
)
_CLOSINGS = re.compile(
    r"^(?:sincerely|regards|best regards|kind regards|warm regards|best|respectfully|"
    r"(?:very )?(?:truly )?yours(?: (?:truly|faithfully|sincerely))?|thank you|thanks|cordially|"
    r"此致|敬礼|此致敬礼|谨上|顺颂商祺)\b[,，!。]*$",
    re.IGNORECASE,
)
# Where an organisation's name ends in a value: a comma not before "Inc.", "LLC" and the like.
_ORG_PIECE = re.compile(r"\s*[，;；]\s*|\s*,(?!\s*(?:Inc|LLC|LLP|Ltd|Co|Corp|GmbH|S\.A)\b)\s*")
_DASHED = re.compile(r"(?:^|\s)--\s*(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?=[,\s]|$)")
_CLOSING_AND_NAME = re.compile(
    r"^(?:thanks|thank you|regards|best|cheers|sincerely)\s*[,，]\s*(?P<name>[A-Z][\w'’ -]{1,40})$",
    re.IGNORECASE)
_US_STREET_CITY = re.compile(
    r"\b\d+\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,4},\s*(?:(?:Suite|Ste\.?|Apt\.?|Floor) [\w-]+,\s*)?"
    r"[A-Z][a-zA-Z .]+,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_EN_NAME = re.compile(r"^(?:[A-Z][a-zA-Z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zA-Z'’-]+|[A-Z]\.)){1,3}$")
_ZH_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_ORG_WORDS = re.compile(
    r"\b(?:Inc|LLC|Ltd|Company|Corporation|Corp|Department|Dept|News|Legal|Group|Team|"
    r"Counsel|Media|Press|Limited|Office)\b|公司|集团|部门|法务|报社",
)
_SLASH_S = re.compile(r"(?<!\S)/s/\s*(?P<name>[^\n/]{2,80})")
_ZH_SIGN = re.compile(r"(?:签名|签字)[）)]?\s*[:：]\s*(?P<name>[^\n，,。]{1,40})")
_ZH_SEAL = re.compile(r"(?:签章|盖章)[）)]?\s*[:：]\s*(?P<name>[^\n，,。]{1,40})")
_LABEL_SIGN = re.compile(r"^\s*(?:(?:electronic )?signature|signed)\s*[:：]\s*(?P<name>.{2,80})$",
                         re.IGNORECASE | re.MULTILINE)
_END_OF_LETTER = re.compile(r"^(?:>|-{2,}\s*(?:Original Message|原始邮件)?|On .{5,80} wrote:$)")


@dataclass
class Claimant:
    """The notifier as far as the message tells; ``role`` says agent or rights holder."""

    name: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    role: Role | None = None
    on_behalf_of: str | None = None
    # Field name -> the line of the letter (or header) the value was read from.
    sources: dict[str, str] = field(default_factory=dict)


@dataclass
class Signature:
    """A signature: the signed name, how it was given, and the line carrying it."""

    name: str
    kind: Literal["s_slash", "label", "chinese", "typed"]
    line: str


def letter_lines(text: str) -> list[str]:
    """Lines of the letter itself, stopping where a quoted earlier message starts."""
    lines = []
    for line in text.splitlines():
        if _END_OF_LETTER.match(line.strip()):
            break
        lines.append(line.rstrip())
    return lines


def _signature_block(lines: list[str]) -> list[str]:
    """The closing lines of a letter: after a closing word, else its last paragraph."""
    tail = [line.strip() for line in lines[-20:]]
    for index, line in enumerate(tail):
        if _CLOSINGS.match(line):
            return [x for x in tail[index + 1:] if x][:6]
    block: list[str] = []
    for line in reversed(tail):
        if not line:
            if block:
                break
            continue
        block.insert(0, line)
    return block[-6:]


def _typed_name(lines: list[str]) -> tuple[str, str] | None:
    """A name signing the letter: "-- Mike, ABC News", "Thanks, Ann Miller", or the first
    name-like piece of the closing lines ("Li Wei, 1 Market Street, …", "法务部 李明")."""
    letter = "\n".join(lines)
    dashed = _DASHED.search(letter)
    if dashed:
        return dashed.group("name"), dashed.group(0).strip()
    for line in lines[-3:]:
        closing = _CLOSING_AND_NAME.match(line.strip())
        if closing and contacts.looks_like_name(closing.group("name")):
            return closing.group("name").strip(), line.strip()
    for line in _signature_block(lines):
        if _CLOSINGS.match(line):
            continue
        name = contacts.name_in(line)
        if name:
            return name, line
    return None


def _chinese_address(lines: list[str]) -> tuple[str, str] | None:
    for line in lines:
        found = contacts.chinese_address_in(line)
        if found:
            return found, line.strip()
    return None


def _us_address(lines: list[str]) -> tuple[str, str] | None:
    for index, line in enumerate(lines):
        tagged = contacts.us_address_in(line)
        if tagged:
            return tagged, line.strip()
        inline = _US_STREET_CITY.search(line)
        if inline:
            return inline.group(0).strip(" ,"), line.strip()
        if re.search(r"\b[A-Z][a-zA-Z .]+,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b", line):
            previous = lines[index - 1].strip() if index else ""
            street = previous if re.match(r"^\d+\s+\w", previous) else ""
            return ", ".join(part for part in (street, line.strip()) if part), line.strip()
    return None


def find_claimant(text: str, sender_name: str | None, sender_email: str | None, *,
                  language: str | None = None, jurisdiction: str | None = None,
                  own_domains: tuple[str, ...] = ()) -> Claimant:
    """Contact details from labelled fields (several to a line), then the signature block,
    then the From header. ``claimant.sources`` keeps the line each field came from."""
    lines = letter_lines(text)
    fields = contacts.labelled_fields(lines)
    claimant = Claimant()
    sources = claimant.sources

    def keep(key: str, value: str | None, line: str) -> None:
        if value and getattr(claimant, key) is None:
            setattr(claimant, key, value[:300])
            sources[key] = line[:300]

    def ours(address: str) -> bool:
        domain = address.rsplit("@", 1)[-1]
        return any(domain == d or domain.endswith("." + d) for d in own_domains)

    for item in fields:
        if item.key in ("email", "contact"):
            found = [e for e in contacts.EMAIL.findall(item.value) if not ours(e)]
            keep("email", found[0].lower() if found else None, item.line)
    signature_lines = _signature_block(lines)
    if claimant.email is None:
        for line in signature_lines:
            found = [e for e in contacts.EMAIL.findall(line) if not ours(e)]
            keep("email", found[0].lower() if found else None, line)
    if claimant.email is None and sender_email:
        keep("email", sender_email.lower(), "From: " + sender_email)
    region = contacts.region_for(language, claimant.email or sender_email, jurisdiction)
    for item in fields:
        if item.key in ("phone", "contact"):
            phones = contacts.phones_in(item.value, region)
            keep("phone", phones[0].raw if phones else None, item.line)
    if claimant.phone is None:
        tail = "\n".join(lines[-15:])
        phones = contacts.phones_in(tail, region)  # once over the closing lines, not per line
        if phones:
            at = tail.find(phones[0].raw)
            line = tail[tail.rfind("\n", 0, at) + 1:].split("\n", 1)[0]
            keep("phone", phones[0].raw, line)
    for item in fields:
        if item.key == "name":
            name = contacts.name_in(item.value)
            if name is None and contacts.ORG_WORDS.search(item.value):
                keep("organisation", item.value.split(",")[0], item.line)
            keep("name", name, item.line)
        elif item.key == "organisation":
            keep("organisation", _ORG_PIECE.split(item.value)[0], item.line)
        elif item.key == "address":
            value = item.value
            index = lines.index(item.line) if item.line in lines else -1
            # A postal address often continues on the following unlabelled lines.
            for extra in lines[index + 1:index + 4] if index >= 0 else []:
                if not extra.strip() or _ANY_LABEL.match(extra) or len(extra) > 80:
                    break
                value = f"{value}, {extra.strip()}"
            keep("address", value, item.line)
        elif item.key == "contact":
            keep("name", contacts.name_in(item.value, first_only=True), item.line)
    if claimant.address is None:
        found_address = _us_address(lines) or _chinese_address(lines)
        if found_address:
            keep("address", *found_address)
    letter = "\n".join(lines)
    behalf = _BEHALF.search(letter)
    if behalf:
        organisation = behalf.group("org").strip(" ,")
        if not re.search(r"\b(?:Inc|Ltd|Co|Corp|S\.A|L\.L\.C)\.$", organisation):
            organisation = organisation.rstrip(".")
        claimant.on_behalf_of = organisation
    if _AGENT.search(letter):
        claimant.role = "agent"
    elif _OWNER.search(letter):
        claimant.role = "rights_holder"
    elif claimant.on_behalf_of:
        claimant.role = "agent"
    signature = find_signature(text)
    if signature is not None:
        keep("name", contacts.name_in(signature.name) or signature.name, signature.line)
    if sender_name:
        keep("name", sender_name, "From: " + sender_name)
    return claimant


def _looks_like_name(line: str) -> bool:
    line = line.strip().strip(",")
    if not line or _ORG_WORDS.search(line) or EMAIL.search(line) or re.search(r"\d", line):
        return False
    if _CLOSINGS.match(line):
        return False
    return bool(_EN_NAME.match(line) or _ZH_NAME.match(line))


def find_signature(text: str) -> Signature | None:
    """A "/s/ Name", a "Signature:" or 签名/签字 line, or a typed name closing the letter."""
    lines = letter_lines(text)
    letter = "\n".join(lines)
    for pattern, kind in ((_SLASH_S, "s_slash"), (_LABEL_SIGN, "label"), (_ZH_SIGN, "chinese"),
                          (_ZH_SEAL, "chinese")):
        match = pattern.search(letter)
        if match and match.group("name").strip(" _"):
            name = match.group("name").strip(" _")
            line = letter[letter.rfind("\n", 0, match.start()) + 1:].split("\n", 1)[0]
            return Signature(name, kind, line.strip())  # type: ignore[arg-type]
    typed = _typed_name(lines)
    if typed is not None:
        return Signature(typed[0], "typed", typed[1])
    return None
