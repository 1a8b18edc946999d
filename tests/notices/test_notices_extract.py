"""extract_notice on realistic notices: kind, claimant, works, URLs, statements, completeness."""

import base64
from pathlib import Path

import pytest

from moderation.intake.urls import canonical_url
from moderation.mailbox import parse_message
from moderation.notices import extract_notice, jurisdiction_of, missing_elements, to_json
from moderation.notices.claimant import Claimant
from tests.fixtures.mail.make_fixtures import DEMO_ARTICLE, DEMO_ORIGINAL, message

NOTICES = Path(__file__).parents[1] / "fixtures" / "mail" / "notices"
SITE = ["uscntv.com", "www.uscntv.com"]


def raw(name: str) -> bytes:
    return (NOTICES / name).read_bytes()


def extract(data: bytes):
    return extract_notice(parse_message(data), site_domains=SITE)


def test_the_abc_news_dmca_notice_is_complete_and_names_the_demo_pages():
    fields = extract(raw("dmca_abc_news.eml"))
    assert (fields.kind, fields.jurisdiction, fields.language) == ("takedown", "US", "en")
    assert fields.target_urls == [canonical_url(DEMO_ARTICLE)]
    assert fields.original_urls == [canonical_url(DEMO_ORIGINAL)]
    (work,) = fields.works
    assert work.url == canonical_url(DEMO_ORIGINAL)
    assert "Biden, Putin hold call amid heightened tensions over Ukraine" in work.description
    claimant = fields.claimant
    assert (claimant.name, claimant.organisation) == ("Jane Morgan", "ABC News, Inc.")
    assert (claimant.email, claimant.phone) == ("copyright@disney.example", "+1 (818) 555-0142")
    assert claimant.address == "500 South Buena Vista Street, Burbank, CA 91521, USA"
    assert (claimant.role, claimant.on_behalf_of) == ("agent", "ABC News, Inc.")
    assert fields.statements["good_faith"].startswith("I have a good faith belief")
    assert "under penalty of perjury" in fields.statements["perjury"]
    assert "notification is accurate" in fields.statements["accuracy"]
    assert "authorized to act on behalf" in fields.statements["authority"]
    assert (fields.signature.name, fields.signature.kind) == ("Jane Morgan", "s_slash")
    assert fields.missing_elements == []


def test_to_json_gives_the_export_shape():
    data = to_json(extract(raw("dmca_abc_news.eml")))
    assert data["claimant"] == {
        "name": "Jane Morgan", "email": "copyright@disney.example",
        "organisation": "ABC News, Inc.", "phone": "+1 (818) 555-0142",
        "address": "500 South Buena Vista Street, Burbank, CA 91521, USA",
        "role": "agent", "on_behalf_of": "ABC News, Inc.",
    }
    assert data["statements"] == {
        "good_faith": True, "accuracy": True, "perjury": True, "signature": True}
    assert data["evidence"]["signature"] == "/s/ Jane Morgan"
    assert (data["kind"], data["jurisdiction"], data["missing_elements"]) == ("takedown", "US", [])
    assert data["target_urls"] == [canonical_url(DEMO_ARTICLE)]
    assert data["original_urls"] == [canonical_url(DEMO_ORIGINAL)]


def test_a_complete_chinese_infringement_notice_is_understood():
    fields = extract(raw("cn_qinquan_tongzhi.eml"))
    assert (fields.kind, fields.jurisdiction, fields.language) == ("takedown", "CN", "zh")
    claimant = fields.claimant
    assert (claimant.name, claimant.organisation) == ("李明", "星河文化传媒有限公司")
    assert (claimant.phone, claimant.email) == ("010-5555-0199", "legal@xinghe-media.example")
    assert claimant.address == "北京市朝阳区建国路88号星河大厦12层"
    assert claimant.role == "rights_holder"
    assert fields.target_urls == [
        "https://uscntv.com/toutiao/2022/0106/23456.html",
        "https://uscntv.com/caijing/2022/0107/23501.html",
    ]
    (work,) = fields.works
    assert work.description == "冬奥会筹备工作进入冲刺阶段"
    assert work.url == "https://xinghe-media.example/news/2022/0105/998.html"
    assert "未经本公司授权" in fields.statements["explanation"]
    assert "真实性负责" in fields.statements["good_faith"]
    assert (fields.signature.name, fields.signature.kind) == ("李明", "chinese")
    assert fields.missing_elements == []


def test_an_incomplete_notice_lists_what_the_dmca_requires_and_it_lacks():
    fields = extract(raw("incomplete_dmca.eml"))
    assert (fields.kind, fields.jurisdiction) == ("takedown", "US")
    assert fields.target_urls == ["https://uscntv.com/shehui/2022/0110/30001.html"]
    assert fields.claimant.name is None
    assert fields.claimant.email == "webmaster@smallnews.example"
    assert fields.missing_elements == [
        "contact", "work", "good_faith", "accuracy", "perjury", "signature"]


def test_an_eu_dsa_notice_is_checked_against_article_16():
    fields = extract(raw("eu_dsa.eml"))
    assert (fields.kind, fields.jurisdiction) == ("takedown", "EU")
    assert fields.target_urls == ["https://uscntv.com/guoji/2022/0201/40001.html"]
    assert fields.works[0].description == "Inside the port of Rotterdam"
    assert "bona fide belief" in fields.statements["good_faith"]
    assert "without our\npermission" not in fields.statements["explanation"]
    assert fields.missing_elements == []
    without_belief = raw("eu_dsa.eml").replace(b"I confirm my bona fide belief that", b"Note:")
    assert extract(without_belief).missing_elements == ["good_faith"]


def test_a_counter_notice_needs_the_mistake_statement_and_consent():
    fields = extract(raw("counter_notice.eml"))
    assert (fields.kind, fields.jurisdiction) == ("counter_notice", "US")
    assert "mistake or misidentification" in fields.statements["mistake"]
    assert "consent to the jurisdiction" in fields.statements["consent_to_jurisdiction"]
    assert fields.target_urls == ["https://uscntv.com/wenhua/2022/0115/35555.html"]
    assert fields.missing_elements == []
    no_consent = raw("counter_notice.eml").replace(b"I consent to the jurisdiction", b"I note")
    no_consent = no_consent.replace(b"accept service of process", b"reply")
    assert extract(no_consent).missing_elements == ["explanation"]


def test_retractions_in_english_and_chinese():
    fields = extract(raw("retraction.eml"))
    assert fields.kind == "retraction"
    assert fields.target_urls == [canonical_url(DEMO_ARTICLE)]
    assert fields.missing_elements == []
    chinese = message(["From: legal@xinghe-media.example", "Subject: 撤回侵权通知"],
                      "我公司决定撤回2022年1月8日发出的侵权通知。\n")
    assert extract(chinese).kind == "retraction"


def test_an_inquiry_has_no_kind_and_no_missing_elements():
    fields = extract(raw("inquiry.eml"))
    assert fields.kind is None
    assert fields.missing_elements == []
    assert fields.target_urls == ["https://uscntv.com/keji/2022/0120/37777.html"]


def test_hundreds_of_urls_from_text_html_and_attachments_keep_order_without_duplicates():
    pages = [f"https://www.uscntv.com/toutiao/2022/01{n % 28 + 1:02d}/{n}.html" for n in range(300)]
    listing = "\n".join(pages[100:] + pages[:10]).encode()
    html = "".join(f'<a href="{url}">page {n}</a>' for n, url in enumerate(pages[:100]))
    data = message(
        ["From: Agent <agent@example.org>", "Subject: DMCA takedown", "MIME-Version: 1.0",
         'Content-Type: multipart/mixed; boundary="m"'],
        "--m\nContent-Type: text/html; charset=utf-8\n\n<p>Remove these infringing pages:</p>"
        + html + "\n--m\nContent-Type: text/plain\nContent-Disposition: attachment; "
        "filename=urls.txt\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(listing).decode() + "--m--\n")
    fields = extract(data)
    assert fields.target_urls == [canonical_url(url) for url in pages]


def test_addresses_without_scheme_homepages_and_law_references_are_sorted_out():
    data = message(
        ["From: Agent <agent@example.org>", "Subject: takedown"],
        "Please remove www.uscntv.com/yule/2022/0301/5.html and uscntv.com/yule/2022/0301/6.html,\n"
        "copied from https://www.example-news.test/story/77 (see https://www.copyright.gov/512/\n"
        "and our homepage https://www.example-news.test/). Your site: https://www.uscntv.com/\n")
    fields = extract(data)
    assert fields.target_urls == ["https://uscntv.com/yule/2022/0301/5.html",
                                  "https://uscntv.com/yule/2022/0301/6.html"]
    assert fields.original_urls == ["https://example-news.test/story/77"]


def test_a_notice_forwarded_as_an_attachment_is_read_from_the_attachment():
    inner = raw("dmca_abc_news.eml")
    data = message(
        ["From: Desk colleague <colleague@uscntv.com>", "Subject: Fwd: notice", "MIME-Version: 1.0",
         'Content-Type: multipart/mixed; boundary="f"'],
        b"--f\nContent-Type: text/plain\n\nForwarding this.\n--f\nContent-Type: message/rfc822\n\n"
        + inner.replace(b"\r\n", b"\n") + b"\n--f--\n")
    fields = extract(data)
    assert fields.kind == "takedown"
    assert fields.target_urls == [canonical_url(DEMO_ARTICLE)]
    assert fields.claimant.name == "Jane Morgan"
    assert fields.signature.name == "Jane Morgan"


def test_typed_names_after_a_closing_count_as_signatures():
    english = extract(message(["From: x@example.org", "Subject: takedown"],
                              "Please take down https://uscntv.com/a/1.html\n\n"
                              "Kind regards,\nMaria Gonzalez\nLegal Department\n"))
    assert (english.signature.name, english.signature.kind) == ("Maria Gonzalez", "typed")
    chinese = extract(message(["From: x@example.org", "Subject: 侵权"],
                              "请删除 https://uscntv.com/a/1.html\n\n此致\n敬礼\n王小红\n"))
    assert chinese.signature.name == "王小红"
    unsigned = extract(message(["From: x@example.org", "Subject: takedown"],
                               "Please take down https://uscntv.com/a/1.html\n"))
    assert unsigned.signature is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Notice under 17 U.S.C. § 512(c)", "US"),
    ("pursuant to the Digital Millennium Copyright Act", "US"),
    ("under Article 16 of the Digital Services Act", "EU"),
    ("根据《信息网络传播权保护条例》", "CN"),
    ("侵权通知", "CN"),
    ("Please remove my article", None),
])
def test_jurisdiction_follows_the_law_the_notice_invokes(text, expected):
    assert jurisdiction_of(text) == expected


def test_required_elements_depend_on_the_regime():
    nothing = {key: False for key in ("work", "location", "explanation", "good_faith",
                                      "accuracy", "perjury", "signature")}
    nobody = Claimant()
    assert missing_elements("takedown", "US", nothing, nobody) == [
        "contact", "work", "location", "good_faith", "accuracy", "perjury", "signature"]
    assert missing_elements("takedown", "EU", nothing, nobody) == [
        "contact", "location", "explanation", "good_faith"]
    assert missing_elements("takedown", "CN", nothing, nobody) == [
        "contact", "work", "location", "explanation"]
    assert missing_elements("takedown", None, nothing, nobody) == ["contact", "work", "location"]
    assert missing_elements(None, "US", nothing, nobody) == []
    reachable = Claimant(name="A", email="a@example.org")
    assert "contact" not in missing_elements("takedown", "EU", nothing, reachable)
    assert "contact" in missing_elements("takedown", "US", nothing, reachable)
    assert "contact" in missing_elements("takedown", "CN", nothing, reachable)
    with_address = Claimant(name="A", email="a@example.org", address="1 Main St")
    assert "contact" not in missing_elements("takedown", "CN", nothing, with_address)
    assert "contact" not in missing_elements("takedown", "US", nothing, with_address)
