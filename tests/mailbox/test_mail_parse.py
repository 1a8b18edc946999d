"""parse_message on the bad-mail corpus and on the oddities real mailboxes contain."""

import base64
import binascii
import functools
import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from moderation.mailbox import (
    MAX_DEPTH,
    MAX_RECIPIENTS,
    MailParseError,
    normalise_message_id,
    parse_message,
)
from moderation.notices import extract_notice
from moderation.notices.classify import classify
from tests.fixtures.mail.make_fixtures import (
    DEMO_ARTICLE,
    large_attachment,
    large_recipients,
    large_zip_bomb,
    message,
    nested,
    zip_bomb,
)

BAD = Path(__file__).parents[1] / "fixtures" / "mail" / "bad"
SITE = ["uscntv.com", "www.uscntv.com"]
NOW = datetime(2022, 1, 5, tzinfo=UTC)
# Built once per session: building the big ones costs more than parsing them.
big_message = functools.cache(large_attachment)
zip_bomb_message = functools.cache(large_zip_bomb)
LARGE = {
    "30 MB attachment": big_message,
    "zip bomb": zip_bomb_message,
    "10,000 recipients": large_recipients,
}


def bad(name: str) -> bytes:
    return (BAD / name).read_bytes()


def parsed(name: str):
    return parse_message(bad(name), now=NOW)


def _texts(result) -> list[str]:
    return [result.subject, result.text, *result.attachment_texts(), *(result.html or "",)]


@pytest.mark.parametrize(
    "source", sorted(p.name for p in BAD.glob("*.eml")) + sorted(LARGE), ids=str
)
def test_bad_mail_is_read_or_refused_with_a_reason_within_two_seconds(source):
    raw = LARGE[source]() if source in LARGE else bad(source)
    started = time.perf_counter()
    try:
        result = parse_message(raw, now=NOW)
    except MailParseError as error:
        assert error.reason and error.reason[0].isupper()
    else:
        classify(result, loop_id="desk@uscntv.com")
        extract_notice(result, site_domains=SITE)
        # Every fixture's bytes are decodable: no replacement character may appear.
        assert not any("\ufffd" in text for text in _texts(result))
        json.dumps(result.as_dict())
    assert time.perf_counter() - started < 2.0


def test_empty_and_non_mail_input_is_refused_in_plain_words():
    with pytest.raises(MailParseError, match="empty"):
        parse_message(bad("empty.eml"))
    with pytest.raises(MailParseError, match="does not look like an e-mail"):
        parse_message(bad("not_an_email.eml"))
    with pytest.raises(MailParseError, match="not raw bytes"):
        parse_message("From: a@b.c\n\nhi")  # type: ignore[arg-type]


def test_missing_sender_date_and_message_id_are_noted_not_fatal():
    assert parsed("no_from.eml").from_ is None
    assert "The message has no readable From address." in parsed("no_from.eml").warnings
    assert parsed("no_date.eml").date is None
    assert "The message has no Date header." in parsed("no_date.eml").warnings
    assert parsed("no_message_id.eml").message_id is None
    assert "The message has no Message-ID." in parsed("no_message_id.eml").warnings


def test_a_date_in_the_future_is_noted_and_dates_are_in_utc():
    future = parsed("future_date.eml")
    assert future.date == datetime(2100, 1, 1, tzinfo=UTC)
    assert any("in the future" in w for w in future.warnings)
    # +0800 local time becomes UTC; a date in the past is not noted.
    ordinary = parsed("no_message_id.eml")
    assert ordinary.date == datetime(2022, 1, 4, 2, 0, tzinfo=UTC)
    assert not any("future" in w for w in ordinary.warnings)


def test_gbk_text_labelled_gb2312_keeps_characters_outside_gb2312():
    result = parsed("gbk_labelled_gb2312.eml")
    assert "朱镕基与张喆、王堃" in result.text
    assert result.warnings == []


def test_big5_text_is_read_as_big5_hkscs():
    assert "請刪除貴網站轉載的文章" in parsed("big5.eml").text
    assert "㗎" in parsed("big5.eml").text


def test_a_wrong_charset_is_detected_and_noted():
    result = parsed("wrong_charset.eml")
    assert "实际上是GBK编码的中文内容" in result.text
    assert any("declared as utf-8" in w for w in result.warnings)


def test_unknown_or_missing_charsets_still_give_clean_text():
    assert "未知字符集，但内容是UTF-8" in parsed("unknown_charset.eml").text
    assert parsed("no_charset.eml").text == "没有声明字符集的中文正文。"


def test_encoded_headers_and_attachment_names_are_decoded():
    assert parsed("rfc2047_gbk_subject.eml").subject == "侵权通知：朱镕基 and more"
    attachment = parsed("rfc2231_filename.eml").attachments[0]
    assert (attachment.filename, attachment.content_type) == ("侵权通知.pdf", "application/pdf")
    assert attachment.size == len(base64.b64decode("JVBERi0xLjQK"))


def test_unencoded_8bit_headers_are_decoded_like_bodies():
    raw = b"From: a@b.example\r\nSubject: " + "删除文章".encode("gbk") + b"\r\n\r\nbody\r\n"
    assert parse_message(raw).subject == "删除文章"


def test_a_very_long_subject_is_cut_with_a_warning():
    result = parsed("long_subject.eml")
    assert len(result.subject) == 1000
    assert any("subject is longer" in w for w in result.warnings)


def test_ten_thousand_recipients_are_counted_but_only_the_first_kept():
    result = parse_message(large_recipients(10_000))
    assert result.to_count == 10_000
    assert len(result.to) == MAX_RECIPIENTS
    assert result.to[0].address == "reader0@example.org"
    assert any("10,000 To recipients" in w for w in result.warnings)


def test_nested_messages_are_followed_only_to_the_depth_limit():
    result = parse_message(nested(50))
    forwarded = [a for a in result.attachments if a.content_type == "message/rfc822"]
    assert len(forwarded) == MAX_DEPTH + 1
    assert forwarded[-1].note == "nested too deeply"
    assert any("nested more than" in w for w in result.warnings)
    # Shallow nesting is followed all the way: the innermost text is available.
    shallow = parse_message(nested(3))
    assert any("The innermost text." in (a.text or "") for a in shallow.attachments)


def test_absurdly_deep_structures_do_not_crash_the_parser():
    raw = b"From: a@b.example\r\nSubject: deep\r\n"
    inner = b"leaf\r\n"
    for level in range(3000):
        boundary = b"b%d" % level
        inner = (b"Content-Type: multipart/mixed; boundary=" + boundary + b"\r\n\r\n--" + boundary
                 + b"\r\n" + inner + b"\r\n--" + boundary + b"--\r\n")
    started = time.perf_counter()
    try:
        result = parse_message(raw + inner)
    except MailParseError as error:
        assert "nested" in error.reason
    else:
        assert any("nested" in w for w in result.warnings)
    assert time.perf_counter() - started < 2.0


def test_a_30_mb_attachment_is_measured_not_read():
    result = parse_message(big_message())
    (attachment,) = result.attachments
    assert attachment.filename == "big.bin"
    assert attachment.size == 30 * 1024 * 1024
    assert attachment.note == "larger than 25 MB; not read"
    assert result.text == "A large file."


def test_a_mid_sized_attachment_gets_its_exact_size():
    (attachment,) = parse_message(large_attachment(2)).attachments
    assert (attachment.size, attachment.note) == (2 * 1024 * 1024, None)


def test_a_zip_bomb_is_listed_as_a_zip_and_never_unpacked():
    result = parse_message(zip_bomb_message())
    (attachment,) = result.attachments
    assert attachment.content_type == "application/zip"
    assert attachment.size == len(zip_bomb())
    assert attachment.size < 1024 * 1024  # the archive, not the 64 MB it would inflate to
    assert attachment.text is None


def test_html_only_mail_is_sanitised_and_gives_text_and_links():
    result = parsed("html_only_script.eml")
    html = result.html.lower()
    for danger in ("<script", "onerror", "onclick", "javascript:", "tracker.example", "alert("):
        assert danger not in html
    assert 'rel="noopener noreferrer nofollow"' in result.html
    assert result.text_from_html
    assert result.text.startswith("Please remove this page.")
    assert "alert" not in result.text
    assert result.links == [DEMO_ARTICLE]


def test_remote_images_are_kept_only_when_allowed():
    raw = message(["From: a@b.example", "Content-Type: text/html"],
                  '<p>x</p><img src="https://img.example/a.png" alt="a">')
    assert "img.example" not in parse_message(raw).html
    assert "img.example" in parse_message(raw, allow_remote_images=True).html


def test_alternative_parts_give_plain_text_and_sanitised_html():
    raw = message(
        ["From: a@b.example", "MIME-Version: 1.0",
         'Content-Type: multipart/alternative; boundary="alt"'],
        "--alt\nContent-Type: text/plain; charset=utf-8\n\nPlain version.\n--alt\n"
        "Content-Type: text/html; charset=utf-8\n\n<p>HTML <b>version</b></p>\n--alt--\n")
    result = parse_message(raw)
    assert result.text == "Plain version."
    assert not result.text_from_html
    assert "<b>version</b>" in result.html


def test_uuencoded_text_in_a_body_becomes_an_attachment():
    result = parsed("uuencoded.eml")
    assert "[uuencoded file: urls.txt]" in result.text
    (attachment,) = result.attachments
    assert attachment.filename == "urls.txt"
    assert attachment.text.strip() == DEMO_ARTICLE


def test_x_uuencode_transfer_encoding_is_decoded():
    encoded = "begin 644 note.txt\n" + binascii.b2a_uu(b"uuencoded hello").decode() + "`\nend\n"
    raw = message(["From: a@b.example", "Content-Type: text/plain",
                   "Content-Transfer-Encoding: x-uuencode"], encoded)
    assert parse_message(raw).text == "uuencoded hello"


def test_text_attachments_are_readable_for_url_extraction():
    raw = message(
        ["From: a@b.example", "MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="m"'],
        "--m\nContent-Type: text/plain\n\nSee list.\n--m\nContent-Type: text/plain; charset=gbk\n"
        "Content-Disposition: attachment; filename=list.txt\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode(f"侵权链接 {DEMO_ARTICLE}".encode("gbk")).decode() + "\n--m--\n")
    result = parse_message(raw)
    assert result.attachment_texts() == [f"侵权链接 {DEMO_ARTICLE}"]


def test_exchange_style_message_ids_are_normalised():
    result = parsed("exchange_message_id.eml")
    assert result.message_id == "<5A3F9C2B1D4E6F70812C@exch01.corp.example.com>"
    assert result.in_reply_to == "<case-12@uscntv.com>"
    assert result.references == ["<a@uscntv.com>", "<b@uscntv.com>", "<c@uscntv.com>"]
    assert normalise_message_id(" <X1@Mail.Example> ") == "<X1@mail.example>"
    assert normalise_message_id("(only a comment)") is None


def test_authentication_results_count_only_from_our_server():
    headers = [
        "Authentication-Results: mx.uscntv.com; spf=pass smtp.mailfrom=a.example;"
        " dkim=fail header.d=a.example; dkim=pass header.d=a.example; dmarc=pass",
        "Authentication-Results: forged.example; spf=fail; dmarc=fail",
        "From: a@a.example",
    ]
    result = parse_message(message(headers, "hi"))
    assert (result.auth.spf, result.auth.dkim, result.auth.dmarc) == ("pass", "pass", "pass")
    assert result.auth.badge == "verified"
    forged = parse_message(message(headers, "hi"), authserv_id="forged.example")
    assert forged.auth.badge == "failed"
    assert parse_message(message(["From: a@a.example"], "hi")).auth.badge == "unknown"
    # A header without the server's name (found by the property tests) is simply unverified.
    empty = parse_message(message(["Authentication-Results: ;", "From: a@a.example"], "hi"))
    assert empty.auth.badge == "unknown"


def test_delivery_reports_keep_their_status_fields():
    result = parsed("bounce_report.eml")
    assert result.report_type == "delivery-status"
    assert result.delivery_status == [{
        "final-recipient": "rfc822; gone@example.org", "action": "failed", "status": "5.1.1",
        "diagnostic-code": "smtp; 550 5.1.1 no such user",
    }]


def test_the_parsed_message_is_json_ready_and_keeps_the_sha256():
    raw = bad("big5.eml")
    data = json.loads(json.dumps(parse_message(raw).as_dict()))
    assert data["sha256"] == hashlib.sha256(raw).hexdigest()
    assert data["from"] == {"name": "Reader", "address": "reader@example.org"}
    assert data["date"] == "2022-01-04T02:00:00+00:00"
