"""Walking a MIME tree: body text and HTML, attachment metadata, nested messages, DSN fields."""

import email.message
import email.utils
import mimetypes
import re
from dataclasses import dataclass, field

from moderation.mailbox.charsets import decode_text
from moderation.mailbox.headers import decode_header_value, unfold
from moderation.mailbox.htmlbody import html_to_text
from moderation.mailbox.large import elided_size
from moderation.mailbox.uuencode import uudecode_blocks

MAX_DEPTH = 12
MAX_ATTACHMENTS = 100
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
MAX_TEXT_CHARS = 500_000
MAX_ATTACHMENT_TEXT_CHARS = 200_000
# Text attachments above this size are listed but not read for URLs.
MAX_READ_TEXT_BYTES = 2 * 1024 * 1024
MEASURED_ONLY = "too large to read quickly; measured only"
_TEXT_LIKE = ("text/plain", "text/csv", "text/x-log", "text/enriched", "text/rfc822-headers")


@dataclass
class Attachment:
    """What is known about an attached file without opening it (never executed or unpacked)."""

    filename: str
    content_type: str
    size: int
    depth: int = 0
    text: str | None = None
    note: str | None = None


@dataclass
class Collected:
    """Everything gathered from one message's parts."""

    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    delivery_status: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    omitted_attachments: int = 0

    def warn(self, message: str) -> None:
        """Record a warning once."""
        if message not in self.warnings:
            self.warnings.append(message)


def raw_header(part: email.message.Message, name: str) -> str | None:
    """The raw (undecoded) value of the first header ``name`` of ``part``."""
    wanted = name.lower()
    for key, value in part.raw_items():
        if key.lower() == wanted:
            return str(value)
    return None


def _params(raw: str | None) -> email.message.Message:
    # A compat32 message parses parameters from the raw text, keeping RFC 2231 charsets.
    holder = email.message.Message()
    if raw:
        holder["X-Params"] = unfold(raw)
    return holder


def param(part: email.message.Message, header: str, name: str) -> str | None:
    """A header parameter with RFC 2231 and (non-standard) RFC 2047 encodings decoded."""
    try:
        value = _params(raw_header(part, header)).get_param(name, header="x-params")
    except Exception:  # broken parameter syntax reads as absent
        return None
    if value is None:
        return None
    if isinstance(value, tuple):
        charset, _language, text = value
        value = decode_text(text.encode("latin-1", errors="replace"), charset or "utf-8")[0]
    return decode_header_value(email.utils.unquote(str(value)))


def content_type(part: email.message.Message) -> str:
    """The part's media type, lower-case; text/plain when missing or unreadable."""
    raw = raw_header(part, "content-type")
    if raw:
        value = unfold(raw).split(";", 1)[0].strip().lower()
        if re.fullmatch(r"[\w.+-]+/[\w.+-]+", value):
            return value
    try:
        return part.get_content_type()
    except Exception:  # policy parsing failed: treat as the RFC default
        return "text/plain"


def _encoded_size(part: email.message.Message, payload: str) -> int:
    """Decoded size estimated from the encoded text, without decoding it."""
    encoding = (raw_header(part, "content-transfer-encoding") or "").strip().lower()
    if encoding == "base64":
        spaces = payload.count("\n") + payload.count("\r") + payload.count(" ")
        return (len(payload) - spaces - payload.count("=")) * 3 // 4
    return len(payload)


def _payload_bytes(part: email.message.Message) -> tuple[bytes | None, int, str | None]:
    """Decoded bytes (None when too large to read), size, and a note for the staff."""
    try:
        payload = part.get_payload()
    except Exception:
        return None, 0, "could not be read"
    if not isinstance(payload, str):
        return None, 0, "could not be read"
    estimate = elided_size(payload)
    if estimate is not None and estimate <= MAX_ATTACHMENT_BYTES:
        return None, estimate, MEASURED_ONLY
    estimate = estimate or _encoded_size(part, payload)
    if estimate > MAX_ATTACHMENT_BYTES:
        return None, estimate, f"larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB; not read"
    try:
        data = part.get_payload(decode=True) or b""
    except Exception:
        return None, estimate, "could not be decoded"
    return data, len(data), None


def _message_size(message: email.message.Message, depth: int = 0) -> int:
    size = sum(len(key) + len(str(value)) + 4 for key, value in message.raw_items())
    payload = message.get_payload()
    if isinstance(payload, str):
        return size + len(payload)
    if depth > MAX_DEPTH:
        return size
    return size + sum(_message_size(child, depth + 1) for child in payload if
                      isinstance(child, email.message.Message))


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit]


def _add(found: Collected, attachment: Attachment) -> None:
    if len(found.attachments) >= MAX_ATTACHMENTS:
        found.omitted_attachments += 1
        found.warn(f"More than {MAX_ATTACHMENTS} attachments; the rest are not listed.")
        return
    found.attachments.append(attachment)


def _text_of(data: bytes, charset: str | None, ctype: str, found: Collected) -> str:
    text, warning = decode_text(data, charset)
    if warning:
        found.warn(warning)
    return html_to_text(text) if ctype == "text/html" else text


def _leaf(part: email.message.Message, depth: int, found: Collected) -> None:
    ctype = content_type(part)
    try:
        disposition = part.get_content_disposition()
    except Exception:
        disposition = None
    filename = param(part, "content-disposition", "filename") or param(part, "content-type", "name")
    charset = param(part, "content-type", "charset")
    is_body = ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename
    data, size, note = _payload_bytes(part)
    if is_body:
        if data is None:
            found.warn(f"A {ctype} part {note}.")
            return
        text, warning = decode_text(data, charset)
        if warning:
            found.warn(warning)
        if ctype == "text/html":
            found.htmls.append(text)
            return
        text, files = uudecode_blocks(text)
        found.texts.append(text)
        for name, content in files:
            guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
            readable = guessed in _TEXT_LIKE and len(content) <= MAX_READ_TEXT_BYTES
            body = _text_of(content, None, guessed, found) if readable else None
            _add(found, Attachment(name, guessed, len(content), depth,
                                   _cap(body, MAX_ATTACHMENT_TEXT_CHARS) if body else None,
                                   "decoded from uuencoded text"))
        return
    text = None
    if data is not None and (ctype in _TEXT_LIKE or ctype == "text/html"):
        if len(data) <= MAX_READ_TEXT_BYTES:
            text = _cap(_text_of(data, charset, ctype, found), MAX_ATTACHMENT_TEXT_CHARS)
    if note and note != MEASURED_ONLY:
        found.warn(f"Attachment {filename or ctype} is {note}.")
    _add(found, Attachment(filename or "(unnamed)", ctype, size, depth, text, note))


def _delivery_status(part: email.message.Message, found: Collected) -> None:
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else []
    for block in blocks[1:]:
        if not isinstance(block, email.message.Message):
            continue
        fields = {
            key.lower(): decode_header_value(value)
            for key, value in block.raw_items()
            if key.lower() in ("final-recipient", "action", "status", "diagnostic-code")
        }
        if fields:
            found.delivery_status.append(fields)


def walk(part: email.message.Message, depth: int, found: Collected) -> None:
    """Collect bodies and attachments of ``part`` and its children up to ``MAX_DEPTH``."""
    ctype = content_type(part)
    if ctype == "message/delivery-status":
        _delivery_status(part, found)
        return
    payload = part.get_payload()
    if ctype == "message/rfc822" or (isinstance(payload, list) and ctype.startswith("message/")):
        _nested(part, depth, found)
        return
    if isinstance(payload, list):
        if depth >= MAX_DEPTH:
            found.warn(f"Parts nested more than {MAX_DEPTH} levels deep were not read.")
            return
        for child in payload:
            if isinstance(child, email.message.Message):
                walk(child, depth + 1, found)
        return
    _leaf(part, depth, found)


def _nested(part: email.message.Message, depth: int, found: Collected) -> None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, email.message.Message):
        _leaf(part, depth, found)
        return
    subject = decode_header_value(raw_header(inner, "subject")) or "forwarded message"
    name = param(part, "content-disposition", "filename") or f"{subject[:80]}.eml"
    size = _message_size(inner)
    if depth >= MAX_DEPTH:
        found.warn(f"Messages nested more than {MAX_DEPTH} levels deep were not read.")
        _add(found, Attachment(name, "message/rfc822", size, depth, None, "nested too deeply"))
        return
    sub = Collected()
    walk(inner, depth + 1, sub)
    text = "\n\n".join(sub.texts) or "\n\n".join(html_to_text(h) for h in sub.htmls)
    _add(found, Attachment(name, "message/rfc822", size, depth,
                           _cap(text, MAX_ATTACHMENT_TEXT_CHARS) or None, None))
    for attachment in sub.attachments:
        _add(found, attachment)
    found.omitted_attachments += sub.omitted_attachments
    found.delivery_status.extend(sub.delivery_status)
    for warning in sub.warnings:
        found.warn(warning)
