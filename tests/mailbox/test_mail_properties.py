"""Property: whatever bytes arrive, parse_message returns or raises MailParseError, nothing else."""

import base64

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.mailbox import MailParseError, parse_message
from moderation.notices.classify import classify

CHARSETS = ["utf-8", "gb2312", "gbk", "big5", "iso-8859-1", "us-ascii", "x-bogus", "utf-16", ""]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "binary", "bogus"]
TYPES = ["text/plain", "text/html", "application/octet-stream", "message/rfc822",
         "message/delivery-status", "text/rfc822-headers", "image/png", "no-slash"]
HEADERS = ["From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To",
           "References", "Authentication-Results", "X-Loop", "Auto-Submitted", "Content-Type",
           "Content-Disposition", "Content-Transfer-Encoding", "X-Spam-Flag"]
header_value = st.one_of(
    st.text(max_size=80),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
    st.builds(lambda cs, t: f"=?{cs}?B?{base64.b64encode(t.encode('utf-8')).decode()}?=",
              st.sampled_from(CHARSETS), st.text(max_size=20)),
    st.sampled_from(["<a@b>", "<<x@y>>", "undisclosed-recipients:;", '"a, b" <c@d>', "@@",
                     "Mon, 32 Foo 99999 25:61:00 +9999", "attachment; filename*=x''%ZZ",
                     'multipart/mixed; boundary="b"', "text/plain; charset=\"x\"; format=flowed"]),
)


def _leaf(content_type: str, charset: str, encoding: str, body: bytes) -> bytes:
    head = f"Content-Type: {content_type}; charset={charset}\r\n"
    head += f"Content-Transfer-Encoding: {encoding}\r\n"
    return head.encode() + b"\r\n" + body


@st.composite
def messages(draw) -> bytes:
    headers = draw(st.lists(st.tuples(st.sampled_from(HEADERS), header_value), max_size=8))
    head = b"".join(
        f"{name}: {value}".encode("utf-8", "surrogatepass") + b"\r\n" for name, value in headers
    )
    parts = draw(st.lists(
        st.builds(_leaf, st.sampled_from(TYPES), st.sampled_from(CHARSETS),
                  st.sampled_from(ENCODINGS), st.binary(max_size=300)),
        min_size=1, max_size=4,
    ))
    if len(parts) == 1 and draw(st.booleans()):
        return head + parts[0]
    boundary = draw(st.sampled_from(["b", "==x==", "a b", ""]))
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    closing = b"--" + boundary.encode() + b"--\r\n" if draw(st.booleans()) else b""
    content_type = f'Content-Type: multipart/{draw(st.sampled_from(["mixed", "report"]))}; '
    return head + f'{content_type}boundary="{boundary}"\r\n\r\n'.encode() + body + closing


def _only_parse_errors(raw: bytes) -> None:
    try:
        parsed = parse_message(raw)
    except MailParseError as error:
        # The catch-all reason would mean a bug was hidden, not a message refused.
        assert error.reason and "could not be read (" not in error.reason
        return
    classify(parsed, loop_id="desk@uscntv.com")
    parsed.as_dict()


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_only_ever_raise_mail_parse_error(raw):
    _only_parse_errors(raw)


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(messages())
def test_malformed_mime_only_ever_raises_mail_parse_error(raw):
    _only_parse_errors(raw)
