"""Reading header values defensively: encoded words, addresses, Message-IDs, dates, auth results."""

import email.header
import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from moderation.mailbox.charsets import decode_text

MAX_HEADER_CHARS = 4000
# Parsing is linear but a megabyte of addresses still costs seconds; the cap bounds it.
_MAX_ADDRESS_SOURCE = 60_000
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_SURROGATES = re.compile("[\udc80-\udcff]")
_MESSAGE_ID = re.compile(r"<\s*([^<>]+?)\s*>|([^\s<>,()]+@[^\s<>,()]+)")
_AUTH_METHOD = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Address:
    """One mailbox from an address header: display name (may be empty) and address."""

    name: str
    address: str


@dataclass(frozen=True)
class AuthResults:
    """SPF, DKIM and DMARC verdicts ("pass", "fail", ...) found in Authentication-Results."""

    spf: str | None = None
    dkim: str | None = None
    dmarc: str | None = None

    @property
    def badge(self) -> str:
        """One word for the sender badge: "verified", "failed" or "unknown"."""
        verdicts = {self.spf, self.dkim, self.dmarc} - {None}
        if verdicts & {"fail", "softfail", "permerror"}:
            return "failed"
        if self.dmarc == "pass" or (self.dkim == "pass" and self.spf == "pass"):
            return "verified"
        return "unknown"


def unfold(value: str) -> str:
    """Join folded header lines into one line."""
    return re.sub(r"\r?\n[ \t]*", " ", value).strip()


def _from_raw_bytes(value: str) -> str:
    """Header bytes sent unencoded (8-bit) arrive as surrogates; decode them like a body."""
    if not _SURROGATES.search(value):
        return value
    data = value.encode("ascii", errors="surrogateescape")
    text, _warning = decode_text(data, None)
    return text


def decode_header_value(raw: str | None) -> str:
    """Readable text of a raw header value (RFC 2047 words decoded, 8-bit bytes guessed)."""
    if raw is None:
        return ""
    value = _from_raw_bytes(unfold(str(raw)))
    if not _ENCODED_WORD.search(value):
        return value[:MAX_HEADER_CHARS] if len(value) > MAX_HEADER_CHARS else value
    try:
        pieces = email.header.decode_header(value)
        text = "".join(
            piece if isinstance(piece, str) else decode_text(piece, charset)[0]
            for piece, charset in pieces
        )
    except Exception:  # a header that cannot be decoded is still shown as it was sent
        text = value
    return text if len(text) <= MAX_HEADER_CHARS else text[:MAX_HEADER_CHARS]


def _clean_address(address: str) -> str:
    address = address.strip().strip("<>").strip()
    if "@" not in address:
        return address
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def parse_addresses(raw: str | None, limit: int) -> tuple[list[Address], int]:
    """Up to ``limit`` addresses from a raw header value, and how many the header names."""
    if not raw:
        return [], 0
    value = _from_raw_bytes(unfold(str(raw)))
    total = value.count("@")
    if len(value) > _MAX_ADDRESS_SOURCE:
        value = value[: value.rfind(",", 0, _MAX_ADDRESS_SOURCE) + 1 or _MAX_ADDRESS_SOURCE]
    try:
        pairs = email.utils.getaddresses([value])
    except Exception:  # malformed lists yield what can be read, not a failure
        pairs = []
    found = []
    for name, address in pairs:
        address = _clean_address(address)
        if not address or address.startswith("@"):
            continue
        found.append(Address(decode_header_value(name).strip(), address))
        if len(found) >= limit:
            break
    return found, max(total, len(found))


def message_ids(raw: str | None) -> list[str]:
    """Normalised Message-IDs ("<local@domain>", domain lower-cased) named in a header value."""
    if not raw:
        return []
    # Some Exchange and webmail versions drop the angle brackets or put spaces around "@".
    value = re.sub(r"\s*@\s*", "@", unfold(str(raw)))
    found = [bracketed or bare for bracketed, bare in _MESSAGE_ID.findall(value)]
    if not found and value and not re.search(r"[\s<>,()]", value):
        found = [value]
    ids: list[str] = []
    for token in found:
        token = re.sub(r"\s+", "", token).strip("<>")
        if not token:
            continue
        local, at, domain = token.rpartition("@")
        normalised = f"<{local}@{domain.lower()}>" if at else f"<{token}>"
        if normalised not in ids:
            ids.append(normalised)
    return ids


def normalise_message_id(raw: str | None) -> str | None:
    """The first Message-ID in ``raw`` in normalised form, or None."""
    ids = message_ids(raw)
    return ids[0] if ids else None


def parse_date(raw: str | None) -> datetime | None:
    """A Date header as an aware UTC datetime, or None when missing or unreadable."""
    if not raw:
        return None
    try:
        value = email.utils.parsedate_to_datetime(unfold(str(raw)))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def auth_results(values: list[str], authserv_id: str | None = None) -> AuthResults:
    """Verdicts from Authentication-Results headers.

    Only the topmost header counts unless ``authserv_id`` names our receiving server:
    headers further down may have been written by the sender and prove nothing.
    """
    chosen = []
    for value in values:
        value = unfold(value)
        # The server id comes before the first ";" and may be missing ("Authentication-Results: ;").
        server = next(iter(value.split(";", 1)[0].split()), "")
        if authserv_id is None or server.lower() == authserv_id.lower():
            chosen.append(value)
            if authserv_id is None:
                break
    verdicts: dict[str, str] = {}
    for value in chosen:
        for method, result in _AUTH_METHOD.findall(value):
            method, result = method.lower(), result.lower()
            # One passing DKIM signature is enough; keep the best verdict per method.
            if verdicts.get(method) != "pass":
                verdicts[method] = result
    return AuthResults(verdicts.get("spf"), verdicts.get("dkim"), verdicts.get("dmarc"))
