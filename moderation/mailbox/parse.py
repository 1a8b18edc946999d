"""parse_message: raw e-mail bytes to a ParsedMessage, or MailParseError with a plain reason."""

import email
import email.message
import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesHeaderParser

from moderation.mailbox.headers import (
    Address,
    AuthResults,
    auth_results,
    decode_header_value,
    message_ids,
    normalise_message_id,
    parse_addresses,
    parse_date,
)
from moderation.mailbox.htmlbody import html_links, html_to_text, sanitise_html
from moderation.mailbox.large import elide_runs
from moderation.mailbox.parts import (
    MAX_TEXT_CHARS,
    Attachment,
    Collected,
    content_type,
    param,
    walk,
)

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_RECIPIENTS = 100
MAX_SUBJECT_CHARS = 1000
MAX_HEADER_VALUES = 20
MAX_CONTAINERS = 200
# Clocks of sending servers drift; only a date clearly ahead of ours is worth a note.
FUTURE_TOLERANCE = timedelta(hours=1)
SELECTED_HEADERS = (
    "auto-submitted", "precedence", "x-autoreply", "x-autorespond", "x-auto-response-suppress",
    "x-loop", "list-id", "list-unsubscribe", "return-path", "sender", "x-spam-flag",
    "x-spam-status", "x-spam-score", "x-spam-level", "x-ms-exchange-organization-scl",
    "x-mailer", "user-agent", "content-type", "mime-version", "x-failed-recipients",
    "delivered-to", "received-spf", "authentication-results", "x-original-to", "feedback-id",
    "received",
)
_DEFECT_WORDS = {
    "StartBoundaryNotFoundDefect": "The multipart structure is broken; some parts may be missing.",
    "CloseBoundaryNotFoundDefect": "The message ends before its last part is closed.",
    "MultipartInvariantViolationDefect": "A multipart part has no parts.",
    "NoBoundaryInMultipartDefect": "A multipart part has no boundary; read as plain text.",
    "InvalidBase64PaddingDefect": "Some base64 content is badly padded.",
    "InvalidBase64CharactersDefect": "Some base64 content has invalid characters.",
    "MissingHeaderBodySeparatorDefect": "The headers are not separated from the body.",
}


class _Policy(policy.EmailPolicy):
    """``policy.default``, remembering parsed MIME headers by their exact raw text.

    The standard policy parses a header again each time it is read, and the parser and
    part walker read Content-Type and friends a dozen times per message; their values repeat
    from one message to the next. Parsed headers are immutable, so sharing them is safe.
    """

    def header_fetch_parse(self, name, value):
        if hasattr(value, "name") or name.lower() not in _REMEMBERED:
            return super().header_fetch_parse(name, value)
        key = (name, value)
        header = _PARSED.get(key)
        if header is None:
            header = super().header_fetch_parse(name, value)
            if len(_PARSED) >= _MAX_REMEMBERED:
                _PARSED.clear()
            _PARSED[key] = header
        return header


_REMEMBERED = {"content-type", "content-transfer-encoding", "content-disposition"}
_MAX_REMEMBERED = 4096
_PARSED: dict[tuple[str, str], object] = {}
POLICY = _Policy()


class MailParseError(ValueError):
    """A message that cannot be read at all; ``reason`` says why in plain language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class ParsedMessage:
    """What the desk knows about one received e-mail (``from_`` is the From header)."""

    sha256: str
    size: int
    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    subject: str
    from_: Address | None
    reply_to: list[Address]
    to: list[Address]
    to_count: int
    cc: list[Address]
    cc_count: int
    date: datetime | None
    headers: dict[str, list[str]]
    content_type: str
    report_type: str | None
    text: str
    html: str | None
    text_from_html: bool
    links: list[str]
    attachments: list[Attachment]
    auth: AuthResults
    delivery_status: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """The first value of a selected header, or None."""
        values = self.headers.get(name.lower())
        return values[0] if values else None

    def attachment_texts(self) -> list[str]:
        """Text readable from attachments (text files, forwarded messages, uuencoded text)."""
        return [attachment.text for attachment in self.attachments if attachment.text]

    def as_dict(self) -> dict:
        """A JSON-ready dictionary of every field."""
        data = asdict(self)
        data["from"] = data.pop("from_")
        data["date"] = self.date.isoformat() if self.date else None
        data["auth"]["badge"] = self.auth.badge
        return data


def _headers(message: email.message.Message) -> dict[str, list[str]]:
    selected: dict[str, list[str]] = {}
    for key, value in message.raw_items():
        name = key.lower()
        if name in SELECTED_HEADERS:
            values = selected.setdefault(name, [])
            if len(values) < MAX_HEADER_VALUES:
                values.append(decode_header_value(value))
    return selected


def _raw_values(message: email.message.Message, name: str) -> list[str]:
    return [str(value) for key, value in message.raw_items() if key.lower() == name]


def _first(message: email.message.Message, name: str) -> str | None:
    values = _raw_values(message, name)
    return values[0] if values else None


def _load(raw: bytes, warnings: list[str]) -> email.message.Message:
    lowered = raw.lower()
    containers = lowered.count(b"multipart/") + lowered.count(b"message/rfc822")
    if containers > MAX_CONTAINERS:
        # The parser's cost grows with the square of the nesting; no real mail gets here.
        warnings.append(f"The message has over {MAX_CONTAINERS} nested parts; headers only.")
        return BytesHeaderParser(policy=POLICY).parsebytes(raw)
    try:
        return email.message_from_bytes(elide_runs(raw), policy=POLICY)
    except RecursionError:
        warnings.append("The message is nested too deeply to read its body; headers only.")
        return BytesHeaderParser(policy=POLICY).parsebytes(elide_runs(raw))


def _date(message: email.message.Message, now: datetime, warnings: list[str]) -> datetime | None:
    raw = _first(message, "date")
    date = parse_date(raw)
    if raw is None:
        warnings.append("The message has no Date header.")
    elif date is None:
        warnings.append(f"The Date header could not be read: {decode_header_value(raw)[:80]!r}.")
    elif date > now + FUTURE_TOLERANCE:
        warnings.append(f"The Date header is in the future ({date.isoformat()}).")
    return date


def _bodies(found: Collected, allow_remote_images: bool) -> tuple[str, str | None, bool, list]:
    html_source = "\n".join(found.htmls) if found.htmls else None
    html = sanitise_html(html_source, allow_remote_images=allow_remote_images) if html_source else None
    links = html_links(html_source) if html_source else []
    text = "\n\n".join(part.strip("\r\n") for part in found.texts if part.strip())
    from_html = False
    if not text and html_source:
        text, from_html = html_to_text(html_source), True
    if len(text) > MAX_TEXT_CHARS:
        found.warn(f"The text is longer than {MAX_TEXT_CHARS:,} characters and was cut.")
        text = text[:MAX_TEXT_CHARS]
    return text.replace("\r\n", "\n"), html, from_html, links


def _build(raw: bytes, now: datetime, authserv_id: str | None, images: bool) -> ParsedMessage:
    warnings: list[str] = []
    message = _load(raw, warnings)
    if not message.keys():
        raise MailParseError("No e-mail headers were found: this does not look like an e-mail.")
    found = Collected()
    try:
        walk(message, 0, found)
    except RecursionError:
        found.warn("The message is nested too deeply; its inner parts were not read.")
    for defect in getattr(message, "defects", []):
        words = _DEFECT_WORDS.get(type(defect).__name__)
        if words:
            found.warn(words)
    text, html, from_html, links = _bodies(found, images)
    subject = decode_header_value(_first(message, "subject"))
    if len(subject) > MAX_SUBJECT_CHARS:
        warnings.append(f"The subject is longer than {MAX_SUBJECT_CHARS} characters and was cut.")
        subject = subject[:MAX_SUBJECT_CHARS]
    senders, _count = parse_addresses(_first(message, "from"), 1)
    if not senders:
        warnings.append("The message has no readable From address.")
    message_id = normalise_message_id(_first(message, "message-id"))
    if message_id is None:
        warnings.append("The message has no Message-ID.")
    recipients = {}
    for name in ("to", "cc"):
        listed, total = parse_addresses(", ".join(_raw_values(message, name)), MAX_RECIPIENTS)
        if total > len(listed):
            warnings.append(f"{total:,} {name.title()} recipients; only the first "
                            f"{len(listed)} are kept.")
        recipients[name] = (listed, total)
    reply_to, _count = parse_addresses(_first(message, "reply-to"), MAX_RECIPIENTS)
    ctype = content_type(message)
    report_type = param(message, "content-type", "report-type") if ctype.endswith("/report") else None
    return ParsedMessage(
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        message_id=message_id,
        in_reply_to=normalise_message_id(_first(message, "in-reply-to")),
        references=message_ids(" ".join(_raw_values(message, "references")))[:100],
        subject=subject,
        from_=senders[0] if senders else None,
        reply_to=reply_to,
        to=recipients["to"][0],
        to_count=recipients["to"][1],
        cc=recipients["cc"][0],
        cc_count=recipients["cc"][1],
        date=_date(message, now, warnings),
        headers=_headers(message),
        content_type=ctype,
        report_type=str(report_type).lower() if report_type else None,
        text=text,
        html=html,
        text_from_html=from_html,
        links=links,
        attachments=found.attachments,
        auth=auth_results(_raw_values(message, "authentication-results"), authserv_id),
        delivery_status=found.delivery_status,
        warnings=warnings + found.warnings,
    )


def parse_message(
    raw: bytes,
    *,
    now: datetime | None = None,
    authserv_id: str | None = None,
    allow_remote_images: bool = False,
) -> ParsedMessage:
    """Parse raw e-mail bytes; only MailParseError (with a plain-language reason) escapes.

    ``authserv_id`` names our receiving server in Authentication-Results; ``now`` is the
    reference time for noting dates in the future.
    """
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise MailParseError("The message is not raw bytes.")
    raw = bytes(raw)
    if not raw.strip():
        raise MailParseError("The message is empty.")
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MailParseError(
            f"The message is larger than {MAX_MESSAGE_BYTES // (1024 * 1024)} MB and was not read."
        )
    try:
        return _build(raw, now or datetime.now(UTC), authserv_id, allow_remote_images)
    except MailParseError:
        raise
    except RecursionError:
        raise MailParseError("The message is nested too deeply to be read.") from None
    except Exception as exc:  # any other failure quarantines the mail instead of crashing import
        raise MailParseError(f"The message could not be read ({type(exc).__name__}).") from exc
