"""classify: notice, reply, inquiry, auto_reply, bounce and spam, each with its reasons."""

from pathlib import Path

import pytest

from moderation.mailbox import parse_message
from moderation.notices.classify import case_number_from, classify
from tests.fixtures.mail.make_fixtures import LOOP_ID, message

MAIL = Path(__file__).parents[1] / "fixtures" / "mail"


def fixture(name: str):
    folder = "notices" if (MAIL / "notices" / name).exists() else "bad"
    return parse_message((MAIL / folder / name).read_bytes())


def label(parsed, **options) -> str:
    return classify(parsed, loop_id=LOOP_ID, **options).label


def simple(headers: list[str], body: str = "Hello.\n"):
    return parse_message(message(["From: Someone <someone@example.org>", *headers], body))


@pytest.mark.parametrize("name", [
    "dmca_abc_news.eml", "cn_qinquan_tongzhi.eml", "incomplete_dmca.eml", "eu_dsa.eml",
    "counter_notice.eml", "retraction.eml",
])
def test_notices_in_english_and_chinese_are_labelled_notice(name):
    result = classify(fixture(name), loop_id=LOOP_ID)
    assert result.label == "notice"
    assert result.reasons[0].startswith("It reads as a")


def test_a_question_without_notice_words_is_an_inquiry():
    assert label(fixture("inquiry.eml")) == "inquiry"


def test_a_delivery_report_is_a_bounce():
    result = classify(fixture("bounce_report.eml"), loop_id=LOOP_ID)
    assert result.label == "bounce"
    assert any("delivery status report" in reason for reason in result.reasons)
    assert label(simple(["Subject: x", "X-Failed-Recipients: gone@example.org"])) == "bounce"
    daemon = parse_message(message(["From: MAILER-DAEMON@mx.example", "Subject: failure"], "x"))
    assert label(daemon) == "bounce"


@pytest.mark.parametrize("headers", [
    ["Subject: Re: notice", "Auto-Submitted: auto-replied"],
    ["Subject: Re: notice", "Precedence: bulk"],
    ["Subject: Re: notice", "X-Autoreply: yes"],
    ["Subject: Re: notice", "X-Autorespond: on"],
    ["Subject: Out of Office: Re: your notice"],
    ["Subject: =?utf-8?b?6Ieq5Yqo5Zue5aSN77ya5L2g5aW9?="],
])
def test_automatic_replies_are_recognised(headers):
    assert label(simple(headers)) == "auto_reply"


def test_auto_submitted_no_is_a_person_writing():
    assert label(simple(["Subject: question", "Auto-Submitted: no"])) == "inquiry"


def test_chinese_auto_reply_fixture_names_rfc_3834():
    result = classify(fixture("auto_reply.eml"), loop_id=LOOP_ID)
    assert result.label == "auto_reply"
    assert "Auto-Submitted: auto-replied (RFC 3834)." in result.reasons


def test_our_own_x_loop_stops_a_loop_and_another_x_loop_does_not():
    result = classify(fixture("own_x_loop.eml"), loop_id=LOOP_ID)
    assert result.label == "auto_reply"
    assert "X-Loop" in result.reasons[0]
    other = simple(["Subject: [Case #7] thanks", "X-Loop: someone-else@example.org"])
    assert label(other) == "reply"


def test_spam_headers_mark_spam():
    assert label(simple(["Subject: Win", "X-Spam-Flag: YES"])) == "spam"
    assert label(simple(["Subject: Win", "X-Spam-Status: Yes, score=9.1"])) == "spam"
    assert label(simple(["Subject: Win", "X-MS-Exchange-Organization-SCL: 7"])) == "spam"
    assert label(simple(["Subject: Win", "X-Spam-Flag: NO"])) == "inquiry"


def test_a_case_tag_in_the_subject_makes_a_reply_with_its_number():
    parsed = fixture("reply_case_12.eml")
    assert case_number_from(parsed) == 12
    result = classify(parsed, loop_id=LOOP_ID)
    assert (result.label, result.reasons) == ("reply", ["The subject names case #12."])
    chinese = simple(["Subject: 回复：[案件 #34] 通知"])
    assert case_number_from(chinese) is None
    assert case_number_from(chinese, r"\[案件\s*#(\d+)\]") == 34
    assert label(chinese, case_tag_pattern=r"\[案件\s*#(\d+)\]") == "reply"


def test_in_reply_to_or_references_naming_our_message_make_a_reply():
    ours = {"<ack-5@uscntv.com>"}
    answer = simple(["Subject: more details", "In-Reply-To: <ack-5@USCNTV.com>"])
    assert label(answer, is_our_message_id=ours.__contains__) == "reply"
    threaded = simple(["Subject: more", "References: <x@example.org> <ack-5@uscntv.com>"])
    assert label(threaded, is_our_message_id=ours.__contains__) == "reply"
    assert label(answer, is_our_message_id=lambda _id: False) == "inquiry"
    assert label(answer) == "inquiry"


def test_a_reply_that_is_also_a_counter_notice_says_so():
    raw = (MAIL / "notices" / "counter_notice.eml").read_bytes()
    raw = raw.replace(b"Subject: DMCA", b"Subject: Re: [Case #3] DMCA")
    result = classify(parse_message(raw), loop_id=LOOP_ID)
    assert result.label == "reply"
    assert "also reads as a counter-notice" in result.reasons[1]
