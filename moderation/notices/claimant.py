"""Who sends a notice: name, organisation, contact details, agent or rights holder, signature."""

import re
from dataclasses import dataclass
from typing import Literal

Role = Literal["agent", "rights_holder"]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{5,16}\d")
# Unlabelled numbers count only in phone-like shapes, so dates and case numbers do not.
_PHONE_SHAPE = re.compile(
    r"(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,4}\b|\b1[3-9]\d{9}\b"
)
_SEP = r"\s*[:：]\s*"
_LABELS = {
    "name": r"(?:full name|your name|contact name|contact person|name|姓名|联系人|通知人|"
            r"权利人姓名|通知人姓名)",
    "organisation": r"(?:company|company name|organi[sz]ation|organi[sz]ation name|employer|"
                    r"rights ?holder|rights owner|copyright (?:owner|holder)|单位|单位名称|公司|"
                    r"公司名称|权利人|权利人名称|名称)",
    "email": r"(?:e-?mail(?: address)?|邮箱|电子邮件|电子邮箱|联系邮箱)",
    "phone": r"(?:phone(?: number)?|telephone|tel|mobile|电话|联系电话|手机|座机)",
    "address": r"(?:address|mailing address|postal address|street address|地址|通讯地址|"
               r"联系地址|住址)",
}
_LABEL_LINES = {
    key: re.compile(rf"^\s*(?:[-*•]\s*)?{label}(?:\s*[(（][^)）]*[)）])?{_SEP}(?P<value>.*)$",
                    re.IGNORECASE)
    for key, label in _LABELS.items()
}
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
    r"^(?:sincerely|regards|best regards|kind regards|best|respectfully|yours (?:truly|faithfully|"
    r"sincerely)|thank you|thanks|cordially|此致|敬礼|此致敬礼|谨上|顺颂商祺)\b[,，!。]*$",
    re.IGNORECASE,
)
_EN_NAME = re.compile(r"^(?:[A-Z][a-zA-Z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zA-Z'’-]+|[A-Z]\.)){1,3}$")
_ZH_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_ORG_WORDS = re.compile(
    r"\b(?:Inc|LLC|Ltd|Company|Corporation|Corp|Department|Dept|News|Legal|Group|Team|"
    r"Counsel|Media|Press|Limited|Office)\b|公司|集团|部门|法务|报社",
)
_SLASH_S = re.compile(r"/s/\s*(?P<name>[^\n/]{2,80})")
_ZH_SIGN = re.compile(r"(?:签名|签字)[）)]?\s*[:：]\s*(?P<name>[^\n，,。]{1,40})")
_ZH_SEAL = re.compile(r"(?:签章|盖章)[）)]?\s*[:：]\s*(?P<name>[^\n，,。]{1,40})")
_LABEL_SIGN = re.compile(r"^\s*(?:electronic )?signature\s*[:：]\s*(?P<name>.{2,80})$",
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


def _labelled(lines: list[str], key: str) -> str | None:
    pattern = _LABEL_LINES[key]
    for index, line in enumerate(lines):
        match = pattern.match(line)
        if not match:
            continue
        value = match.group("value").strip()
        if key == "address":
            # A postal address often continues on the following unlabelled lines.
            for extra in lines[index + 1:index + 4]:
                if not extra.strip() or _ANY_LABEL.match(extra) or len(extra) > 80:
                    break
                value = f"{value}, {extra.strip()}" if value else extra.strip()
        if value:
            return value[:300]
    return None


def _us_address(lines: list[str]) -> str | None:
    for index, line in enumerate(lines):
        if re.search(r"\b[A-Z][a-zA-Z .]+,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b", line):
            previous = lines[index - 1].strip() if index else ""
            street = previous if re.match(r"^\d+\s+\w", previous) else ""
            return ", ".join(part for part in (street, line.strip()) if part)
    return None


def find_claimant(text: str, sender_name: str | None, sender_email: str | None) -> Claimant:
    """Contact details from labelled lines, then the signature block, then the From header."""
    lines = letter_lines(text)
    claimant = Claimant(**{key: _labelled(lines, key) for key in _LABELS})
    if claimant.email:
        found = EMAIL.search(claimant.email)
        claimant.email = found.group(0).lower() if found else None
    claimant.email = claimant.email or (sender_email.lower() if sender_email else None)
    if claimant.phone:
        found = PHONE.search(claimant.phone)
        claimant.phone = found.group(0).strip() if found else claimant.phone
    else:
        for line in lines[-15:]:
            found = _PHONE_SHAPE.search(line)
            if found and len(re.sub(r"\D", "", found.group(0))) >= 7 and not EMAIL.search(line):
                claimant.phone = found.group(0).strip()
                break
    claimant.address = claimant.address or _us_address(lines)
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
    claimant.name = claimant.name or (signature.name if signature else None) or (sender_name or None)
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
    tail = [line.strip() for line in lines if line.strip()]
    for index, line in enumerate(tail):
        if _CLOSINGS.match(line):
            for candidate in tail[index + 1:index + 3]:
                if _looks_like_name(candidate):
                    return Signature(candidate.strip(","), "typed", candidate)
    for candidate in reversed(tail[-4:]):
        if _looks_like_name(candidate):
            return Signature(candidate.strip(","), "typed", candidate)
    return None
