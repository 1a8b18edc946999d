"""Sorting a parsed message into notice, reply, inquiry, auto_reply, bounce or spam, with reasons."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from moderation.mailbox.parse import ParsedMessage
from moderation.notices.asks import NOTICE_KINDS
from moderation.notices.extract import read_asks

Label = Literal["notice", "reply", "inquiry", "auto_reply", "bounce", "spam"]
CASE_TAG_PATTERN = r"\[\s*Case\s*#\s*(\d+)\s*\]"
_OUT_OF_OFFICE = re.compile(
    r"out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|"
    r"on (?:annual )?leave|on vacation|away from (?:my|the) (?:desk|office)|"
    r"自动回复|自動回覆|休假|不在办公室",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery status notification|delivery (?:has )?failed|returned mail|"
    r"mail delivery (?:failed|failure|subsystem)|failure notice|退信|投递失败|未能送达",
    re.IGNORECASE,
)
_DAEMON_SENDER = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon)@", re.IGNORECASE)
_AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
# Notice wording is looked for at the start of long mail only, as in extract_notice.
MAX_READ_CHARS = 100_000


@dataclass
class Classification:
    """A label and the plain-language reasons that led to it."""

    label: Label
    reasons: list[str] = field(default_factory=list)


def case_number_from(parsed: ParsedMessage, pattern: str = CASE_TAG_PATTERN) -> int | None:
    """The case number named by a tag such as "[Case #123]" in the subject, or None."""
    match = re.search(pattern, parsed.subject or "", re.IGNORECASE)
    if not match:
        return None
    try:
        return int(match.group(1))
    except (IndexError, ValueError):
        return None


def _loop(parsed: ParsedMessage, loop_id: str) -> list[str]:
    values = [v.strip().lower() for v in parsed.headers.get("x-loop", [])]
    if loop_id and loop_id.strip().lower() in values:
        return [f"It carries our own X-Loop header ({loop_id}): answering it would loop."]
    return []


def _bounce(parsed: ParsedMessage) -> list[str]:
    reasons = []
    if parsed.content_type == "multipart/report" and parsed.report_type == "delivery-status":
        reasons.append("It is a delivery status report (multipart/report; delivery-status).")
    elif parsed.delivery_status:
        reasons.append("It carries delivery status fields (DSN).")
    sender = parsed.from_.address if parsed.from_ else ""
    if _DAEMON_SENDER.match(sender):
        reasons.append(f"It comes from a mail system ({sender}).")
    return_path = (parsed.header("return-path") or "").strip()
    if reasons and return_path in ("<>", ""):
        reasons.append("It has an empty return path, as delivery reports do.")
    if not reasons and parsed.header("x-failed-recipients"):
        reasons.append("It names failed recipients (X-Failed-Recipients).")
    if not reasons and _BOUNCE_SUBJECT.search(parsed.subject) and not parsed.from_:
        reasons.append("Its subject reports a failed delivery and it has no sender.")
    return reasons


def _auto_reply(parsed: ParsedMessage) -> list[str]:
    reasons = []
    submitted = (parsed.header("auto-submitted") or "").strip().lower()
    if submitted and not submitted.startswith("no"):
        reasons.append(f"Auto-Submitted: {submitted} (RFC 3834).")
    precedence = (parsed.header("precedence") or "").strip().lower()
    if precedence in _AUTO_PRECEDENCE:
        reasons.append(f"Precedence: {precedence}.")
    for name in ("x-autoreply", "x-autorespond"):
        if parsed.header(name) is not None:
            reasons.append(f"It has an {name.title()} header.")
    if _OUT_OF_OFFICE.search(parsed.subject):
        reasons.append(f"The subject reads as an automatic reply: {parsed.subject[:80]!r}.")
    return reasons


def _spam(parsed: ParsedMessage) -> list[str]:
    reasons = []
    if (parsed.header("x-spam-flag") or "").strip().upper().startswith("YES"):
        reasons.append("The spam filter flagged it (X-Spam-Flag: YES).")
    status = (parsed.header("x-spam-status") or "").strip()
    if status.lower().startswith("yes"):
        reasons.append(f"X-Spam-Status: {status[:60]}.")
    scl = (parsed.header("x-ms-exchange-organization-scl") or "").strip()
    if scl.lstrip("-").isdigit() and int(scl) >= 5:
        reasons.append(f"Exchange spam confidence level {scl}.")
    if parsed.auth.dmarc == "fail" and reasons:
        reasons.append("DMARC failed for the sender's domain.")
    return reasons


def classify(
    parsed: ParsedMessage,
    *,
    loop_id: str,
    case_tag_pattern: str = CASE_TAG_PATTERN,
    is_our_message_id: Callable[[str], bool] | None = None,
) -> Classification:
    """Label ``parsed``; ``is_our_message_id`` says whether a Message-ID is one we sent.

    Order matters: loop and delivery machinery first (never answer a machine), then
    spam, then replies to our cases, then notices; anything else is an inquiry.
    """
    reasons = _loop(parsed, loop_id)
    if reasons:
        return Classification("auto_reply", reasons)
    for label, check in (("bounce", _bounce), ("auto_reply", _auto_reply), ("spam", _spam)):
        reasons = check(parsed)
        if reasons:
            return Classification(label, reasons)
    decision, _letter, how = read_asks(parsed.subject, parsed.text[:MAX_READ_CHARS],
                                       parsed.attachment_texts())
    kind = decision.kind if decision.kind in NOTICE_KINDS else None
    said = " ".join(decision.reasons)
    quoted = [f"Quoted or forwarded mail was set apart ({how})."] if how else []
    also = [f"It also reads as a {kind.replace('_', '-')}: {said}"] if kind else []
    case = case_number_from(parsed, case_tag_pattern)
    if case is not None:
        return Classification("reply", [f"The subject names case #{case}.", *also])
    if is_our_message_id is not None:
        named = [i for i in [parsed.in_reply_to, *parsed.references] if i]
        ours = next((i for i in named if is_our_message_id(i)), None)
        if ours:
            return Classification("reply", [f"It answers our message {ours}.", *also])
    if kind:
        return Classification("notice", [f"It reads as a {kind.replace('_', '-')}: {said}",
                                         *quoted])
    unread = [a.filename or a.content_type for a in parsed.attachments if not a.text]
    if not parsed.text.strip() and unread:
        # A letter sent as a PDF or a scan: kept as a notice so that it is seen in the queue,
        # with nothing guessed about it.
        return Classification("notice", [
            f"It has no text, only attachments ({', '.join(unread[:5])}): a person must read "
            "them to know what it asks."])
    return Classification("inquiry", ["No notice, reply or automatic-mail signals were found.",
                                      *decision.reasons, *quoted])
