"""Personal data taken out of exported text: phone numbers, postal addresses, private e-mail.

Pure functions, no database. The rules (docs/OPERATIONS.md, "Retention and redaction"):

- every phone number and postal address is replaced, whoever it belongs to;
- an e-mail address is kept only when it is at an organisation's domain, that is a domain the
  caller names in ``keep_domains`` (our own site, known publishers, the domain of a claimant
  whose notice says they act for an organisation) and not a free webmail provider. Every other
  address, and every address at gmail.com, qq.com, 163.com and the like, is replaced;
- web addresses (http://, https://, www.) are left alone, so digits in a page's path stay.

Redacting is idempotent: redacting redacted text changes nothing.
"""

import re
from collections.abc import Iterable

PHONE = "[redacted phone]"
ADDRESS = "[redacted address]"
EMAIL = "[redacted email]"

# Free mail providers: an address there belongs to a person, not to an organisation.
WEBMAIL = frozenset({
    "gmail.com", "googlemail.com", "qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com",
    "yeah.net", "vip.163.com", "vip.126.com", "188.com", "sina.com", "sina.cn", "vip.sina.com",
    "sohu.com", "aliyun.com", "139.com", "189.cn", "wo.cn", "tom.com", "21cn.com",
    "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me",
    "gmx.com", "gmx.net", "gmx.de", "mail.com", "yandex.com", "yandex.ru", "zoho.com",
    "tutanota.com", "fastmail.com", "hey.com", "naver.com", "daum.net",
})
# The big providers under any country domain: hotmail.co.uk, yahoo.com.hk, outlook.jp, ...
WEBMAIL_NAMES = frozenset({"gmail", "hotmail", "outlook", "live", "yahoo", "msn", "aol",
                           "icloud", "yandex", "gmx"})

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\[\]]+", re.IGNORECASE)
# Spans left as they are (web addresses) or judged as a whole (e-mail addresses).
_PROTECTED = re.compile(f"{_URL.pattern}|{_EMAIL.pattern}", re.IGNORECASE)

_NOT_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_AFTER = r"(?![0-9])"
_PHONES = [
    # International: +86 138 0013 8000, +1 (212) 555-0100, +44 20 7946 0958.
    re.compile(r"\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,5}" + _NOT_AFTER),
    # North American: (212) 555-0100, 212-555-0100, 1-212-555-0100.
    re.compile(_NOT_BEFORE + r"(?:1[ .\-])?(?:\(\d{3}\) ?|\d{3}[ .\-])\d{3}[ .\-]\d{4}"
               + _NOT_AFTER),
    # Chinese mobile numbers: 13800138000, 138-0013-8000, 138 0013 8000.
    re.compile(r"(?<!\d)1[3-9]\d(?:[ \-]?\d{4}){2}" + _NOT_AFTER),
    # Landlines with an area code: 010-12345678, (0755)12345678, 010-5555-0199, ext. -123.
    re.compile(r"(?<!\d)(?:\(0\d{2,3}\) ?|0\d{2,3}[ \-])(?:\d{7,8}|\d{3,4}[ \-]\d{4})"
               r"(?:-\d{1,6})?" + _NOT_AFTER),
]
_STREET_TYPES = (r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|"
                 r"Place|Pl|Way|Terrace|Parkway|Pkwy|Square|Sq|Highway|Hwy")
_ADDRESSES = [
    # 123 Main Street, Suite 400, New York, NY 10001
    re.compile(_NOT_BEFORE + r"\d{1,6}[A-Za-z]? (?:[A-Z][A-Za-z]*\.? ){1,4}"
               rf"(?:{_STREET_TYPES})\b\.?"
               r"(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|#)\.? ?[0-9A-Za-z\-]+)?"
               r"(?:, ?[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*,? [A-Z]{2} \d{5}(?:-\d{4})?)?"),
    re.compile(r"(?<![A-Za-z])P\.? ?O\.? Box \d+", re.IGNORECASE),
    # 北京市朝阳区建国路88号3号楼1201室; 广东省深圳市南山区科技园路1号
    # (At most four divisions, taken atomically: no backtracking blow-up on long Chinese text.)
    re.compile(r"(?>(?:[\u4e00-\u9fff]{2,6}(?:省|自治区|市|区|县|旗|镇|乡|街道)){0,4})"
               r"[\u4e00-\u9fff0-9]{1,8}(?:大道|路|街|道|巷|弄|胡同|里)"
               r" ?\d+(?:-\d+)? ?号(?:院|楼)?"
               r"(?: ?\d+(?:-\d+)? ?(?:号楼|栋|座|幢|单元|层|楼|室|号))*"),
]


def is_webmail(domain: str) -> bool:
    """Whether the domain (or a parent of it) is a free mail provider."""
    labels = domain.lower().strip(".").split(".")
    parents = {".".join(labels[i:]) for i in range(len(labels) - 1)}
    return bool(parents & WEBMAIL) or (len(labels) <= 3 and labels[0] in WEBMAIL_NAMES)


def _at(domain: str, domains: set[str]) -> bool:
    labels = domain.lower().strip(".").split(".")
    return any(".".join(labels[i:]) in domains for i in range(len(labels)))


def keeps_email(address: str, keep_domains: Iterable[str] = ()) -> bool:
    """Whether an address stays: at a named organisation domain, and not at a webmail one."""
    domain = address.rpartition("@")[2].lower()
    domains = {d.lower().strip(".") for d in keep_domains if d}
    return bool(domain) and not is_webmail(domain) and _at(domain, domains)


def organisation_domains(claimant: dict | None, email: str | None = None) -> set[str]:
    """The claimant's own mail domain when the notice says they act for an organisation."""
    claimant = claimant or {}
    if not (claimant.get("organisation") or claimant.get("on_behalf_of")):
        return set()
    address = email or claimant.get("email") or ""
    domain = address.rpartition("@")[2].lower() if "@" in address else ""
    return {domain} if domain and not is_webmail(domain) else set()


def _plain(text: str) -> str:
    for pattern in _PHONES:
        text = pattern.sub(_phone, text)
    for pattern in _ADDRESSES:
        text = pattern.sub(ADDRESS, text)
    return text


def _phone(match: re.Match) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return PHONE if 7 <= digits <= 15 else match.group(0)


def _once(text: str, domains: set[str]) -> str:
    out, last = [], 0
    for match in _PROTECTED.finditer(text):
        out.append(_plain(text[last:match.start()]))
        span = match.group(0)
        if _URL.match(span) or keeps_email(span, domains):
            out.append(span)
        else:
            out.append(EMAIL)
        last = match.end()
    out.append(_plain(text[last:]))
    return "".join(out)


def redact_text(text: str | None, keep_domains: Iterable[str] = ()) -> str | None:
    """The text with phone numbers, postal addresses and private e-mail addresses replaced."""
    if not text:
        return text
    domains = {d.lower().strip(".") for d in keep_domains if d}
    # A replacement can join what was around it into a new match; go on until nothing changes.
    for _ in range(8):
        redacted = _once(text, domains)
        if redacted == text:
            break
        text = redacted
    return text


def redact_email(address: str | None, keep_domains: Iterable[str] = ()) -> str | None:
    """One address field: kept at an organisation domain, otherwise replaced."""
    if not address:
        return address
    return address if keeps_email(address, keep_domains) else EMAIL


def redact_claimant(claimant: dict, keep_domains: Iterable[str] = ()) -> dict:
    """A notice's claimant: phone and address always replaced, e-mail by the rule above."""
    result = dict(claimant)
    if result.get("phone"):
        result["phone"] = PHONE
    if result.get("address"):
        result["address"] = ADDRESS
    result["email"] = redact_email(result.get("email"), keep_domains)
    return result
