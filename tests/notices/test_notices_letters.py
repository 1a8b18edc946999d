"""Letters as people write them: what they ask, who asks, which pages, what money and time.

The development set (tests/fixtures/mail/letters, see make_letters.py) is read letter by letter
against expected.json; the issue's own examples and bad input are checked one by one.
"""

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from moderation.intake.urls import canonical_url
from moderation.mailbox import parse_message
from moderation.notices import extract_notice, to_json
from moderation.notices.asks import decide
from moderation.notices.classify import classify
from moderation.notices.contacts import chinese_address_in, fields_on_line, phones_in
from moderation.notices.demands import find_deadline, find_demand
from moderation.notices.quoting import split_letter
from tests.benchmarks.letters import same_phone
from tests.fixtures.mail.make_fixtures import message

LETTERS = Path(__file__).parents[1] / "fixtures" / "mail" / "letters"
EXPECTED = json.loads((LETTERS / "expected.json").read_text(encoding="utf-8"))
SITE = ["uscntv.com", "www.uscntv.com"]
OURS = "https://www.uscntv.com"


def read(data: bytes):
    return extract_notice(parse_message(data), site_domains=SITE)


def letter(body: str, subject: str = "Hello", sender: str = "Sender <s@example.org>",
           charset: str = "utf-8") -> bytes:
    return message([f"From: {sender}", f"Subject: {subject}", "MIME-Version: 1.0",
                    f"Content-Type: text/plain; charset={charset}"], body, charset)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_letter_of_the_development_set_reads_as_expected(name):
    want = EXPECTED[name]
    parsed = parse_message((LETTERS / name).read_bytes())
    fields = extract_notice(parsed, site_domains=SITE)
    label = classify(parsed, loop_id="desk@uscntv.com").label
    assert fields.asks == want["kind"]
    assert label == ("notice" if want["kind"] not in ("inquiry", "other") else "inquiry")
    assert fields.asks_payment == want["asks_payment"]
    assert fields.claimant.email == want["email"]
    assert same_phone(want["phone"], fields.claimant.phone)
    if any(want["name"]):
        assert fields.claimant.name in want["name"]
    if want["kind"] not in ("inquiry", "other"):
        assert set(fields.target_urls) == {canonical_url(u) for u in want["targets"]}
    assert not {canonical_url(u) for u in want["originals"]} & set(fields.target_urls)
    assert (fields.demand.amount if fields.demand else None) == want["amount"]
    assert (fields.demand.currency if fields.demand else None) == want["currency"]
    assert (fields.deadline.days if fields.deadline else None) == want["deadline_days"]
    assert fields.kind_reasons  # a reviewer sees why


def test_an_informal_take_it_down_is_a_takedown_with_the_sender_as_contact():
    fields = read(letter(
        f"Hi, your site copied our story https://abcnews.example/story/1 here: "
        f"{OURS}/news/1.html . Take it down now. -- Mike, ABC News",
        sender="Mike Lee <mike@abcnews.example>"))
    assert fields.kind == "takedown"
    assert fields.claimant.email == "mike@abcnews.example"
    assert fields.claimant.sources["email"] == "From: mike@abcnews.example"
    assert fields.claimant.name == "Mike"
    assert fields.target_urls == ["https://uscntv.com/news/1.html"]
    assert fields.original_urls == ["https://abcnews.example/story/1"]
    # Named by address and reachable: under no named law that is what a takedown needs.
    assert fields.missing_elements == []
    assert fields.kind_reasons[0].startswith("It asks for removal")


def test_several_labelled_fields_on_one_chinese_line_are_split():
    line = "联系人:王晓明  联系方式:电话 010-6512 3456,邮箱 legal@chenguang.example"
    assert [(f.key, f.value) for f in fields_on_line(line)] == [
        ("name", "王晓明"), ("contact", "电话 010-6512 3456,邮箱 legal@chenguang.example")]
    fields = read(letter(f"请删除 {OURS}/a/1.html ，未经授权转载。\n{line}\n", "侵权通知"))
    claimant = fields.claimant
    assert (claimant.name, claimant.phone, claimant.email) == (
        "王晓明", "010-6512 3456", "legal@chenguang.example")
    assert claimant.sources["phone"] == line


def test_a_mobile_number_after_an_address_on_the_contact_line_is_found():
    fields = read(letter(f"请删除 {OURS}/a/2.html\n联系方式:zhezhekun@example.cn 电话 13800138000\n",
                         "侵权"))
    assert fields.claimant.phone == "13800138000"
    assert fields.claimant.email == "zhezhekun@example.cn"


def test_a_counter_notice_signature_line_is_split_into_name_address_and_phone():
    body = (f"I swear under penalty of perjury that {OURS}/z/1.html was removed as a result of "
            "mistake or misidentification. I consent to the jurisdiction of the federal court.\n\n"
            "Li Wei, 1 Market Street, San Francisco, CA 94105, +1 415 555 0100\n")
    fields = read(letter(body, "Counter-notice"))
    claimant = fields.claimant
    assert fields.kind == "counter_notice"
    assert claimant.name == "Li Wei"
    assert claimant.address == "1 Market Street, San Francisco, CA 94105"
    assert claimant.phone == "+1 415 555 0100"


def test_phones_are_read_in_the_letters_region_and_not_from_web_addresses():
    assert [p.e164 for p in phones_in("电话 13800138000", "CN")] == ["+8613800138000"]
    assert [p.e164 for p in phones_in("Telephone: 020 7946 0958", "GB")] == ["+442079460958"]
    assert phones_in(f"{OURS}/2024/0312/4155550187.html", "US") == []
    assert phones_in("Case 2024-77812, dated 2024-03-12", "US") == []


def test_a_takedown_that_tells_where_to_file_a_counter_notice_stays_a_takedown():
    decision = decide(
        "Please remove the infringing article. The user may file a counter-notice under 512(g) "
        "if the material was removed as a result of mistake or misidentification.")
    assert decision.kind == "takedown"
    assert any("only as information" in reason for reason in decision.reasons)


@pytest.mark.parametrize(("text", "kind", "pays"), [
    ("Please pay the licence fee of USD 450 for the photograph.", "payment_demand", True),
    ("Pay EUR 650 within 10 days or our lawyers will take legal action.", "takedown", True),
    ("Remove the photo and pay $3,500 in settlement.", "takedown", True),
    ("请于10日内支付图片使用费人民币5000元。", "payment_demand", True),
    ("We hereby withdraw our DMCA notice of March 5.", "retraction", False),
    ("我司现撤回该侵权通知，无需删除。", "retraction", False),
    ("You removed my post by mistake. I want it restored.", "counter_notice", False),
    ("Can I republish your article on my blog?", "inquiry", False),
    ("Thanks for crediting our reporter!", "other", False),
])
def test_the_kind_follows_what_the_sender_asks(text, kind, pays):
    decision = decide(text)
    assert (decision.kind, decision.asks_payment) == (kind, pays)


def test_amounts_and_deadlines_in_english_and_chinese():
    demand = find_demand(["To resolve this, please pay USD 1,200.00 within 14 days."])
    assert (demand.amount, demand.currency) == (1200.0, "USD")
    assert find_demand(["支付赔偿金人民币8000元"]).currency == "CNY"
    assert find_demand(["The article was read 5,000 times."]) is None
    assert find_deadline(["请于收到本函之日起7日内删除"]).days == 7
    assert find_deadline(["I want them off your site within 48 hours."]).days == 2
    business = find_deadline(["Remove it within 5 business days."])
    assert business.business
    friday = datetime(2024, 8, 2, 9, tzinfo=UTC)  # a Friday: five working days end on Friday
    assert business.due(friday) == datetime(2024, 8, 9, 9, tzinfo=UTC)


def test_a_reply_quoting_our_acknowledgement_asks_only_what_its_own_lines_ask():
    text = ("Thanks, please also remove https://www.uscntv.com/b/2.html\n\n"
            "On Tue, Mar 12, 2024, Desk <desk@uscntv.com> wrote:\n"
            "> We received your takedown request about https://www.uscntv.com/b/1.html.\n"
            "> You may withdraw it, or send a counter-notice if a removal was a mistake.\n")
    split = split_letter(text)
    assert split.own.startswith("Thanks") and "counter-notice" in split.quoted
    fields = read(letter(text, "Re: We received your request"))
    assert fields.kind == "takedown"
    assert fields.target_urls == ["https://uscntv.com/b/2.html"]
    assert any("set apart" in note for note in fields.uncertain)


def test_a_forwarded_letter_under_a_cover_note_is_read_as_the_letter():
    text = ("FYI, please handle.\n\n---------- Forwarded message ---------\n"
            "From: Legal <legal@press.example>\nSubject: DMCA\n\n"
            f"Please remove {OURS}/c/1.html, it copies our article.\n\n"
            "Laura Fields\nEmail: legal@press.example\nPhone: (303) 555-0122\n")
    fields = read(letter(text, "Fwd: DMCA", sender="Kevin <kevin@partner.example>"))
    assert (fields.kind, fields.claimant.name) == ("takedown", "Laura Fields")
    assert fields.claimant.email == "legal@press.example"


def test_to_json_carries_payment_deadline_and_the_source_of_each_field():
    data = to_json(read((LETTERS / sorted(n for n in EXPECTED if "vcg" in n)[0]).read_bytes()))
    assert (data["asks_payment"], data["amount"], data["currency"]) == (True, 5000.0, "CNY")
    assert data["deadline_days"] == 10
    assert "5000" in data["sources"]["amount"]
    assert data["sources"]["phone"].startswith("联系人：吴婷")
    assert data["kind_reasons"][0].startswith("It asks for removal")


# --- bad input ---------------------------------------------------------------------------------


def test_a_one_megabyte_letter_with_five_hundred_urls_is_read_without_losing_pages():
    pages = [f"{OURS}/big/{n}.html" for n in range(500)]
    filler = ("lorem ipsum dolor sit amet " * 40 + "\n") * 1000
    body = "Please remove these copies:\n" + "\n".join(pages) + "\n" + filler
    assert len(body) > 1_000_000
    fields = read(letter(body, "DMCA"))
    assert fields.kind == "takedown"
    assert len(fields.target_urls) == 500
    assert any("first" in note for note in fields.uncertain)


def test_an_attachment_without_text_is_kept_and_flagged_for_a_person():
    pdf = base64.b64encode(b"%PDF-1.4 binary letter \x00\x01").decode()
    data = message(
        ["From: Agency <claims@agency.example>", "Subject: Notice", "MIME-Version: 1.0",
         'Content-Type: multipart/mixed; boundary="b"'],
        "--b\nContent-Type: text/plain\n\n\n--b\nContent-Type: application/pdf; name=letter.pdf\n"
        "Content-Disposition: attachment; filename=letter.pdf\nContent-Transfer-Encoding: base64\n\n"
        f"{pdf}\n--b--\n")
    parsed = parse_message(data)
    assert parsed.attachments[0].filename == "letter.pdf"
    fields = extract_notice(parsed, site_domains=SITE)
    assert any("letter.pdf" in note and "person" in note for note in fields.uncertain)


def test_mixed_encodings_in_one_letter_are_read():
    data = message(
        ["From: =?gb2312?B?1cW9qA==?= <zhang@example.cn>", "Subject: =?utf-8?B?5L615p2D?=",
         "MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="b"'],
        b"--b\nContent-Type: text/plain; charset=gb2312\n\n"
        + f"请删除 {OURS}/m/1.html ，未经授权转载。\n".encode("gb2312")
        + b"--b\nContent-Type: text/plain; charset=big5\n\n"
        + "聯絡人：張建 電話：13912345678\n".encode("big5")
        + b"--b--\n")
    fields = read(data)
    assert fields.kind == "takedown"
    assert fields.target_urls == ["https://uscntv.com/m/1.html"]
    assert fields.claimant.phone == "13912345678"


@pytest.mark.parametrize("line, address", [
    ("地址:北京市朝阳区建国路88号SOHO现代城5号楼1203室", "北京市朝阳区建国路88号SOHO现代城5号楼1203室"),
    ("广东省深圳市南山区深南大道9988号", "广东省深圳市南山区深南大道9988号"),
    ("本公司位于杭州市西湖区文三路478号华星时代广场A座", "杭州市西湖区文三路478号华星时代广场A座"),
    ("我们在朝阳区的文章被转载了", None),
    ("请删除贵站文章", None),
])
def test_chinese_addresses_are_recognised_by_their_shape(line, address):
    assert chinese_address_in(line) == address


def test_an_unlabelled_chinese_address_in_the_signature_is_the_claimant_address():
    fields = read(letter(f"请删除 {OURS}/a/1.html ，未经授权转载。\n\n晨光日报社法务部\n"
                         "上海市浦东新区世纪大道100号\n电话 021-5888 1234\n", "侵权通知"))
    assert fields.claimant.address == "上海市浦东新区世纪大道100号"
    assert fields.claimant.sources["address"] == "上海市浦东新区世纪大道100号"
