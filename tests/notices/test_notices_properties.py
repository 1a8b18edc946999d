"""Property: extract_notice never raises, and its answers stay within their contract."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.mailbox import MailParseError, parse_message
from moderation.notices import ELEMENTS, extract_notice, is_ours, to_json
from tests.fixtures.mail.make_fixtures import message

SITE = ["uscntv.com", "www.uscntv.com"]
WORDS = [
    "DMCA", "takedown", "counter-notice", "withdraw our notice", "撤回", "侵权通知", "删除文章",
    "17 U.S.C. 512(c)", "Digital Services Act", "Article 16", "信息网络传播权保护条例",
    "good faith belief", "under penalty of perjury", "accurate", "真实、准确", "未经授权",
    "/s/", "签名：", "签字：", "Name:", "Email:", "Phone:", "Address:", "地址：", "电话：",
    "联系人：", "作品名称：", "Original work:", "Company:", "on behalf of", "Sincerely,", "此致",
    "https://www.uscntv.com/a/1.html", "uscntv.com/b/2.html", "https://abcnews.go.com/x?id=1",
    "http://", "https://", "www.", "《", "》", "(", ")", ":", "：", "\n", "\n\n", " ", ".", "。",
    "mistake or misidentification", "consent to the jurisdiction", "Jane Morgan", "李明",
    "+1 (818) 555-0142", "010-5555-0199", "Burbank, CA 91521", "> quoted", "-- ", "begin 644 x",
]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=60).map(
    "".join
)


def _body(text: str, links: list[str]) -> bytes:
    if not links:
        return message(["From: Someone <a@example.org>", "Subject: notice"], text)
    anchors = "".join(f'<a href="{link}">x</a>' for link in links)
    return message(
        ["From: a@example.org", "Subject: notice", 'Content-Type: multipart/alternative; boundary="q"'],
        f"--q\nContent-Type: text/plain; charset=utf-8\n\n{text}\n--q\n"
        f"Content-Type: text/html; charset=utf-8\n\n<p>{anchors}</p>\n--q--\n")


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.lists(st.sampled_from(WORDS + ["javascript:x", "https://uscntv.com/c/3"]),
                       max_size=4))
def test_extract_notice_never_raises_and_keeps_its_contract(text, links):
    try:
        parsed = parse_message(_body(text, links))
    except MailParseError:
        return
    fields = extract_notice(parsed, site_domains=SITE)
    assert fields.kind in (None, "takedown", "counter_notice", "retraction")
    assert fields.jurisdiction in (None, "US", "EU", "CN")
    assert set(fields.missing_elements) <= set(ELEMENTS)
    assert all(is_ours(url, SITE) for url in fields.target_urls)
    assert not any(is_ours(url, SITE) for url in fields.original_urls)
    assert len(set(fields.target_urls)) == len(fields.target_urls)
    json.dumps(to_json(fields))
