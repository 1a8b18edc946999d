"""Setting quoted earlier mail apart from what the sender writes now.

A reply quoting our acknowledgement mentions counter-notices and retractions; a forwarded
notice puts the real letter under a one-line cover note. What a letter asks is read from the
sender's own words (or the forwarded letter), never from the mail it quotes. Separators
("-----Original Message-----", "---------- Forwarded message ---------", the Chinese clients'
"原始邮件" lines, Outlook's "From:/Sent:" blocks) are found here; ``quotequail`` finds the
"On … wrote:" reply headers in their many wrappings. (Its forward unwrapping is not used: it
takes the first paragraph under the forwarded headers for a header.)
"""

import re
from dataclasses import dataclass

import quotequail

# quotequail's patterns backtrack on very long texts; the start of a letter is enough to find
# where its own words end, and the rest is kept as quoted.
MAX_SPLIT_CHARS = 50_000
# A cover note this short over a forwarded letter says only "please handle".
COVER_NOTE_CHARS = 400
_SEPARATOR = re.compile(
    r"^[ \t]*(?:-{2,}\s*(?:原始邮件|原始郵件|转发邮件|轉寄郵件|Original Message|Forwarded message)\s*-{2,}"
    r"|_{10,}|(?:发件人|發件人|寄件者)[ \t]*[:：].*)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# An Outlook-style header block ("From: … / Sent: … / To: … / Subject: …") without separator.
_HEADER_BLOCK = re.compile(
    r"^[ \t]*From:[ \t]*.+\n[ \t]*(?:Sent|Date):[ \t]*.+\n(?:[ \t]*(?:To|Cc|Subject):.*\n){1,3}",
    re.IGNORECASE | re.MULTILINE,
)
# The words of the reply headers quotequail knows ("On … wrote:", "Le … a écrit :", …).
_REPLY_HEADER_WORDS = re.compile(r"\bwrote\b|\bwrites\b|schrieb|escribió|a écrit|scritto|写道|寫道",
                                 re.IGNORECASE | re.MULTILINE)
_FORWARD = re.compile(r"forward|转发|轉寄", re.IGNORECASE)
# The header lines a forwarded letter starts with.
_FORWARDED_HEADER = re.compile(
    r"^[ \t]*(?:From|Date|Sent|To|Cc|Subject|发件人|發件人|收件人|日期|时间|主题|主旨)[ \t]*[:：].*$",
    re.IGNORECASE)


@dataclass
class Letter:
    """The sender's own words, the earlier mail quoted under them, and how they were told apart."""

    own: str
    quoted: str = ""
    forwarded: bool = False
    how: str | None = None


def _own_splitter(text: str) -> Letter | None:
    cuts = [m.start() for m in (_SEPARATOR.search(text), _HEADER_BLOCK.search(text)) if m]
    if not cuts:
        return None
    cut = min(cuts)
    separator = text[cut:cut + 80].split("\n", 1)[0].strip()
    if _FORWARD.search(separator):
        return _forwarded(text[:cut], text[cut:], f"a forwarding line ({separator[:40]!r})")
    return Letter(text[:cut].rstrip(), text[cut:], how=f"quoted mail below {separator[:40]!r}")


def _forwarded(top: str, rest: str, how: str) -> Letter:
    top = top.strip()
    lines = rest.strip().splitlines()[1:]  # the separator line itself
    while lines and (not lines[0].strip() or _FORWARDED_HEADER.match(lines[0])):
        lines.pop(0)
    rest = "\n".join(lines)
    if len(top) <= COVER_NOTE_CHARS:
        # The cover note asks to handle the letter below: the letter is what is read.
        return Letter(rest.strip(), top, forwarded=True, how=f"a forwarded letter under {how}")
    return Letter(f"{top}\n\n{rest.strip()}", "", forwarded=True, how=f"a forwarded letter ({how})")


def _without_quote_marks(text: str) -> tuple[str, str]:
    own, quoted = [], []
    for line in text.splitlines():
        (quoted if line.lstrip().startswith(">") else own).append(line)
    return "\n".join(own).rstrip(), "\n".join(quoted)


def split_letter(text: str) -> Letter:
    """``text`` split into the sender's own words and what they quote or forward."""
    head, tail = text[:MAX_SPLIT_CHARS], text[MAX_SPLIT_CHARS:]
    found = _own_splitter(head)
    if found is not None:
        found.quoted += tail
        return found
    parts = [(True, head)]
    if _REPLY_HEADER_WORDS.search(head):  # quotequail is slow: ask it only where it can help
        try:
            parts = quotequail.quote(head)
        except Exception:  # a third-party parser must not stop the reading: use our own
            parts = [(True, head)]
    if len(parts) > 1 and parts[0][0] and parts[0][1].strip():
        own = parts[0][1].rstrip()
        return Letter(own, "".join(part for _shown, part in parts[1:]) + tail,
                      how="a reply header (\"… wrote:\")")
    own, quoted = _without_quote_marks(head)
    if quoted.strip() and own.strip():
        return Letter(own, quoted + tail, how="lines quoted with \">\"")
    return Letter(head, tail)
