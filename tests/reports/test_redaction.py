"""Redaction of personal data in exports: examples in English and Chinese, and properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.reports.redaction import (
    ADDRESS,
    EMAIL,
    PHONE,
    is_webmail,
    keeps_email,
    organisation_domains,
    redact_claimant,
    redact_email,
    redact_text,
)


@pytest.mark.parametrize("number", [
    "+86 138 0013 8000", "+1 (212) 555-0100", "+44 20 7946 0958", "+86-10-12345678",
    "(212) 555-0100", "212-555-0100", "212.555.0100", "1-212-555-0100",
    "13800138000", "138-0013-8000", "138 0013 8000", "19912345678",
    "010-12345678", "(0755)12345678", "0755 1234567", "021-87654321-123", "010-5555-0199",
])
def test_phone_numbers_are_replaced(number):
    assert redact_text(f"Tel: {number}.") == f"Tel: {PHONE}."
    assert redact_text(f"电话{number}。") == f"电话{PHONE}。"


@pytest.mark.parametrize("text", [
    "Published 2024-05-01 at 13:55", "Case 123456 has 42 targets", "ISBN 978-3-16-148410-0",
    "id 1380013800012 is not a phone", "12013800138000", "version 3.10.12",
    "https://www.uscntv.com/news/2024/0512/13800138000.html",
    "see www.example.com/p/010-12345678",
])
def test_other_numbers_and_web_addresses_are_left_alone(text):
    assert redact_text(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("Write to 123 Main Street, Suite 400, New York, NY 10001 today",
     f"Write to {ADDRESS} today"),
    ("We are at 1600 Pennsylvania Avenue.", f"We are at {ADDRESS}"),
    ("Send it to P.O. Box 1234", f"Send it to {ADDRESS}"),
    ("地址：北京市朝阳区建国路88号3号楼1201室，邮编100022",
     f"地址：{ADDRESS}，邮编100022"),
    ("广东省深圳市南山区科技园路1号", ADDRESS),
    ("上海市浦东新区世纪大道100号", ADDRESS),
    ("联系地址：杭州市西湖区文三路 90 号", f"联系地址：{ADDRESS}"),
])
def test_street_addresses_are_replaced(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize("text", ["一路走来，我们坚持原创", "Main Street is busy", "道路交通"])
def test_words_that_look_like_streets_are_left_alone(text):
    assert redact_text(text) == text


def test_email_addresses_of_private_persons_are_replaced_and_organisations_kept():
    text = "From zhang.wei@qq.com, cc legal@nytimes.com and li@unknown-shop.cn, 王芳 <wf@163.com>"
    assert redact_text(text, keep_domains={"nytimes.com"}) == (
        f"From {EMAIL}, cc legal@nytimes.com and {EMAIL}, 王芳 <{EMAIL}>")
    # A subdomain of an organisation's domain counts as the organisation's.
    assert redact_text("news@mail.nytimes.com", {"nytimes.com"}) == "news@mail.nytimes.com"
    # Webmail is personal even if someone names it as an organisation domain.
    assert redact_text("a@gmail.com", {"gmail.com"}) == EMAIL


@pytest.mark.parametrize("domain", ["gmail.com", "qq.com", "163.com", "126.com", "sina.com",
                                    "outlook.com", "hotmail.co.uk", "yahoo.com.hk", "vip.qq.com",
                                    "foxmail.com"])
def test_webmail_domains(domain):
    assert is_webmail(domain)
    assert not keeps_email(f"someone@{domain}", {domain})


def test_claimant_email_is_kept_only_when_acting_for_an_organisation():
    agent = {"name": "Jane Doe", "organisation": "ABC News", "email": "jane@abcnews.com",
             "phone": "+1 212 555 0100", "address": "77 W 66th Street, New York, NY 10023"}
    domains = organisation_domains(agent)
    assert domains == {"abcnews.com"}
    assert redact_claimant(agent, domains) == {**agent, "phone": PHONE, "address": ADDRESS}
    person = {"name": "张伟", "organisation": None, "email": "zhangwei@example.cn"}
    assert organisation_domains(person) == set()
    assert redact_claimant(person, organisation_domains(person))["email"] == EMAIL
    on_behalf = {"name": "Lee", "on_behalf_of": "Xinhua", "email": "lee@gmail.com"}
    assert organisation_domains(on_behalf) == set()  # a webmail address stays personal
    assert redact_email("lee@gmail.com", organisation_domains(on_behalf)) == EMAIL
    assert redact_claimant({}, set()) == {"email": None}


def test_empty_values_pass_through():
    assert redact_text(None) is None
    assert redact_text("") == ""
    assert redact_email(None) is None


PIECES = st.sampled_from([
    "13800138000", "138-0013-8000", "+86 ", "+1 (212) 555-0100", "010-", "12345678", "(0755)",
    "123 ", "Main ", "Street", "Suite 4", ", New York, NY 10001", "P.O. Box 9", "北京市", "朝阳区",
    "建国", "路", "88", "号", "楼", "室", "@", "a@qq.com", "x@corp.example", "https://",
    "www.", "example.com/", "[redacted phone]", " ", "-", ".", "(", ")", "\n", "电话：", "1",
])
MIXED = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(MIXED, st.sets(st.sampled_from(["corp.example", "example.com", "qq.com"])))
def test_redaction_is_idempotent(text, domains):
    once = redact_text(text, domains)
    assert redact_text(once, domains) == once


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sets(st.text(max_size=12), max_size=3))
def test_redaction_never_raises_and_returns_text(text, domains):
    result = redact_text(text, domains)
    assert isinstance(result, str)
    assert redact_text(result, domains) == result


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "email", "phone", "address", "organisation"]),
                       st.one_of(st.none(), st.text(max_size=30))))
def test_claimant_redaction_never_raises_and_is_idempotent(claimant):
    domains = organisation_domains(claimant)
    once = redact_claimant(claimant, domains)
    assert redact_claimant(once, domains) == once
