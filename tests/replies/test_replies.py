"""Reply templates, missing-element wording, statements of reasons, the acknowledgement policy."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from moderation import replies
from moderation.replies import ReplyError, ReplyFacts, outbox, render, should_acknowledge
from moderation.replies.reasons import KINDS, LEGAL_BASIS, Target, when

RECEIVED = datetime(2022, 1, 3, 9, 15, tzinfo=UTC)
REMOVED = Target("https://www.uscntv.com/2022/01/biden-speech.html", "拜登发表讲话", "supported",
                 "translation", 0.91, 0.88, "https://abcnews.go.com/Politics/biden-speech",
                 "remove", "copyright")
KEPT = Target("https://www.uscntv.com/2022/01/weather.html", "天气预报", "not_supported", "none",
              0.12, 0.03, "https://abcnews.go.com/US/weather", "keep", "not_supported")
URL = re.compile(r"https?://\S+")
# Three Latin words in a row: an English sentence, not a citation like "17 U.S.C. § 512".
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[\s,'’-]+[A-Za-z]{2,}){2,}")
LEFTOVER = re.compile(r"\$|\{\{|\}\}|\{[a-z_]+\}")


def facts(**changes) -> ReplyFacts:
    base = ReplyFacts(
        case_id=4217, received_at=RECEIVED, claimant_name="Jane Roe", language="zh",
        jurisdiction="US", due_at=RECEIVED + timedelta(hours=48), targets=[REMOVED, KEPT],
        missing_elements=["contact", "perjury", "signature"], reject_reason="incomplete",
        decided_at=RECEIVED + timedelta(days=1), site_name="美国新闻网",
        counter_notice_at=datetime(2022, 1, 7, 16, 0, tzinfo=UTC),
        counter_notice_text="I wrote the Chinese translation.\nIt was removed by mistake.",
        restored_at=datetime(2022, 1, 24, 8, 0, tzinfo=UTC),
    )
    return replace(base, **changes)


def english_left(body: str, f: ReplyFacts) -> list[str]:
    """English runs in a Chinese body once URLs, names and quoted outside text are set aside."""
    text = URL.sub(" ", body)
    for name in (f.claimant_name, f.recipient_name, f.site_name, *(t.title for t in f.targets)):
        if name:
            text = text.replace(name, " ")
    text = "\n".join(line for line in text.splitlines() if not line.startswith(">"))
    return ENGLISH_RUN.findall(text)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("template", replies.TEMPLATES)
def test_every_template_renders_the_case_facts_in_each_language(template, language):
    subject, body = render(template, language, facts())
    assert subject and "\n" not in subject and len(subject) <= 60
    assert "Case #" not in subject  # the outbox tags the subject, once
    assert "4217" in body and "2022-01-03 09:15 UTC" in body
    assert "Jane Roe" in body and body.rstrip().endswith(("美国新闻网内容审核组", "美国新闻网"))
    assert REMOVED.url in body or template in (replies.NEED_INFO, replies.REJECTED)
    tagged = outbox.tagged_subject(4217, subject)
    assert tagged == f"[Case #4217] {subject}"


@pytest.mark.parametrize("language", replies.LANGUAGES)
@pytest.mark.parametrize("template", replies.TEMPLATES)
def test_no_template_leaves_a_placeholder_unfilled(template, language):
    subject, body = render(template, language, facts())
    assert not LEFTOVER.search(subject + body), LEFTOVER.search(subject + body)


@pytest.mark.parametrize("template", replies.TEMPLATES)
def test_chinese_bodies_hold_no_english_sentence(template):
    f = facts()
    _, zh_body = render(template, "zh", f)
    _, en_body = render(template, "en", f)
    assert english_left(zh_body, f) == []
    assert english_left(en_body, f)  # the detector does see English when it is there


def test_both_renders_chinese_then_english_in_one_mail():
    subject, body = render(replies.ACKNOWLEDGEMENT, "both", facts())
    assert subject == "我们已收到您的通知 / We received your notice"
    assert body.index("Jane Roe，您好") == 0 < body.index("Dear Jane Roe,")
    assert body.count("4217") == 2


def test_reply_language_follows_the_notice_language():
    assert replies.language_for("zh") == "both"
    assert replies.language_for("en") == "en"
    assert replies.language_for(None) == "en"


def test_acknowledgement_counts_pages_and_names_the_time_we_aim_to_answer_in():
    _, body = render(replies.ACKNOWLEDGEMENT, "en", facts())
    assert "It concerns 2 pages of our site:" in body
    assert "We aim to answer by 2022-01-05 09:15 UTC." in body
    _, one = render(replies.ACKNOWLEDGEMENT, "zh", facts(targets=[REMOVED], due_at=None))
    assert "通知涉及本网站的 1 个网页" in one and "几天内" in one
    _, none = render(replies.ACKNOWLEDGEMENT, "en", facts(targets=[]))
    assert "could not identify a page" in none and "(URL)" in none


def test_times_are_shown_in_utc_whatever_zone_they_come_in():
    shanghai = timezone(timedelta(hours=8))
    _, body = render(replies.ACKNOWLEDGEMENT, "en",
                     facts(received_at=datetime(2022, 1, 3, 17, 15, tzinfo=shanghai)))
    assert "2022-01-03 09:15 UTC" in body


@pytest.mark.parametrize(("jurisdiction", "element", "en_words", "zh_words"), [
    ("US", "contact", "postal address, telephone number and e-mail address", "邮寄地址、电话号码"),
    ("EU", "contact", "(or the name of your organisation) and your e-mail address", "机构名称"),
    ("CN", "contact", "a way to contact you and your address", "姓名（名称）、联系方式和地址"),
    ("CN", "explanation", "initial evidence of the infringement", "构成侵权的初步证明材料"),
    ("EU", "explanation", "with evidence, of why you consider", "侵犯您权利的理由"),
    ("CN", "good_faith", "responsibility for the truthfulness", "真实性负责"),
    ("US", "good_faith", "believe in good faith", "善意地相信"),
])
def test_need_info_words_each_missing_element_as_the_regime_does(
    jurisdiction, element, en_words, zh_words
):
    f = facts(jurisdiction=jurisdiction, missing_elements=[element])
    _, en = render(replies.NEED_INFO, "en", f)
    _, zh = render(replies.NEED_INFO, "zh", f)
    assert en_words in en and zh_words in zh
    assert english_left(zh, f) == []


def test_need_info_names_the_law_and_lists_only_what_is_missing():
    _, us = render(replies.NEED_INFO, "en", facts(missing_elements=["perjury", "signature"]))
    assert "17 U.S.C. § 512(c)(3)" in us
    assert ("- a statement, under penalty of perjury, that the information in the notice is "
            "accurate and that you are authorised to act for the rights holder") in us
    assert "- your physical or electronic signature" in us
    assert "postal address" not in us and "good faith" not in us
    _, zh = render(replies.NEED_INFO, "zh", facts(missing_elements=["perjury"]))
    assert "- 一份声明：在伪证处罚下保证通知内容准确，并且您有权代表权利人行事" in zh
    _, cn = render(replies.NEED_INFO, "zh", facts(jurisdiction="CN", missing_elements=["work"]))
    assert "《信息网络传播权保护条例》第十四条" in cn
    _, eu = render(replies.NEED_INFO, "en", facts(jurisdiction="EU", missing_elements=["work"]))
    assert "Article 16 of the Digital Services Act" in eu


def test_every_element_has_a_sentence_in_both_languages_under_every_regime():
    for jurisdiction in ("US", "EU", "CN", None):
        for element in replies.ELEMENT_SENTENCES:
            en = replies.element_sentence(element, "en", jurisdiction)
            zh = replies.element_sentence(element, "zh", jurisdiction)
            assert ENGLISH_RUN.search(en) and re.search(r"[\u4e00-\u9fff]", zh)
            assert not ENGLISH_RUN.search(URL.sub("", zh))
    with pytest.raises(ReplyError):
        replies.element_sentence("fingerprint", "en")


def test_counter_notice_elements_ask_for_the_counter_notice_statements():
    f = facts(notice_kind="counter_notice", missing_elements=["explanation", "perjury"])
    _, body = render(replies.NEED_INFO, "en", f)
    assert "512(g)(3)" in body and "mistake or misidentification" in body
    assert "authorised to act for the rights holder" not in body


def test_need_info_without_a_missing_element_is_refused():
    with pytest.raises(ReplyError, match="missing element"):
        render(replies.NEED_INFO, "en", facts(missing_elements=[]))


def test_decision_gives_each_page_its_outcome_reason_and_the_statement():
    _, en = render(replies.DECISION, "en", facts())
    assert f"{REMOVED.url}\n  Removed: Copyright infringement" in en
    assert f"{KEPT.url}\n  Kept online: Not supported by the comparison" in en
    assert "Statement of reasons, case 4217" in en
    _, zh = render(replies.DECISION, "zh", facts())
    assert f"{REMOVED.url}\n  已删除：侵犯著作权" in zh and f"{KEPT.url}\n  保留在线：" in zh
    assert "处理理由说明（案件 4217）" in zh
    undecided = KEPT._replace(decision=None, reason_code=None)
    _, open_body = render(replies.DECISION, "en", facts(targets=[undecided]))
    assert "Still under review" in open_body


def test_decision_sends_the_reviewers_edited_statement_once():
    edited = "处理理由（已编辑）\nStatement as edited by the reviewer."
    _, en = render(replies.DECISION, "en", facts(statement_of_reasons=edited))
    assert edited in en and "Statement of reasons, case" not in en
    _, both = render(replies.DECISION, "both", facts(statement_of_reasons=edited))
    assert both.count(edited) == 1 and both.rstrip().endswith(edited)
    assert "处理理由说明附于本邮件末尾" in both and "at the end of this e-mail" in both


@pytest.mark.parametrize("code", replies.REJECT_REASONS)
def test_rejection_gives_the_wording_of_its_reason(code):
    f = facts(reject_reason=code)
    for language in ("en", "zh"):
        _, body = render(replies.REJECTED, language, f)
        assert replies.REJECT_REASONS[code].why(language) in body
        # Only an incomplete notice is told which elements it lacks.
        assert ("一份声明：在伪证处罚下" in body or "under penalty of perjury" in body) == (
            code == "incomplete")


def test_unknown_rejection_reason_is_refused():
    with pytest.raises(ReplyError, match="rejection reason"):
        render(replies.REJECTED, "en", facts(reject_reason="bored"))


def test_counter_notice_forwarded_gives_the_us_put_back_window():
    # Friday 2022-01-07: ten business days later is Friday the 21st, fourteen Thursday the 27th.
    _, en = render(replies.COUNTER_NOTICE_FORWARDED, "en", facts())
    assert "between 2022-01-21 16:00 UTC and 2022-01-27 16:00 UTC" in en
    assert "unless" in en and "filed an action" in en
    assert "> It was removed by mistake." in en
    assert KEPT.url not in en  # only removed pages can come back
    _, zh = render(replies.COUNTER_NOTICE_FORWARDED, "zh", facts())
    assert "2022-01-21 16:00 UTC 至 2022-01-27 16:00 UTC" in zh and "10 至 14 个工作日" in zh


def test_counter_notice_forwarded_follows_chinese_rules_for_chinese_notices():
    _, zh = render(replies.COUNTER_NOTICE_FORWARDED, "zh", facts(jurisdiction="CN"))
    assert "第十七条" in zh and "立即恢复" in zh and "工作日" not in zh
    with pytest.raises(ReplyError, match="counter-notice"):
        render(replies.COUNTER_NOTICE_FORWARDED, "en", facts(counter_notice_at=None))


def test_putback_window_counts_business_days_only():
    earliest, latest = replies.putback_window(datetime(2022, 1, 10, 8, 0, tzinfo=UTC))  # Monday
    assert (earliest.date().isoformat(), latest.date().isoformat()) == ("2022-01-24", "2022-01-28")
    saturday = replies.putback_window(datetime(2022, 1, 8, 8, 0, tzinfo=UTC))
    assert saturday[0].date().isoformat() == "2022-01-21"


def test_restored_greets_whichever_party_it_goes_to():
    _, claimant = render(replies.RESTORED, "en", facts())
    _, publisher = render(replies.RESTORED, "en", facts(recipient_name="Li Lei"))
    assert claimant.startswith("Dear Jane Roe,") and publisher.startswith("Dear Li Lei,")
    assert "on 2022-01-24 08:00 UTC" in publisher and "512(g)(2)(C)" in publisher
    assert "from Jane Roe" in publisher
    _, zh = render(replies.RESTORED, "zh", facts(counter_notice_at=None, restored_at=None))
    assert "重新审查" in zh and "反通知" not in zh


@pytest.mark.parametrize("jurisdiction", ["US", "EU", "CN", None])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_statement_of_reasons_holds_the_five_dsa_elements(jurisdiction, language):
    f = facts(jurisdiction=jurisdiction, targets=[REMOVED])
    text = replies.statement_of_reasons(f, language)
    zh = language == "zh"
    headings = ("一、", "二、", "三、", "四、", "五、") if zh else ("1. ", "2. ", "3. ", "4. ", "5. ")
    positions = [text.index("\n" + h) for h in headings]
    assert positions == sorted(positions)
    # What was restricted, and how far.
    assert REMOVED.url in text and REMOVED.title in text
    assert ("已从本网站删除" if zh else "removed from our site for all readers") in text
    # Facts and circumstances: who, when, which original, what the comparison found.
    assert "Jane Roe" in text and when(RECEIVED) in text and REMOVED.original_url in text
    assert "0.91" in text and "88%" in text and KINDS["translation"][1 if zh else 0] in text
    # The ground: the claimant's copyright and the law of the regime.
    assert LEGAL_BASIS[jurisdiction][1 if zh else 0] in text
    # Automated means used, decision taken by a person.
    assert ("比对软件" in text and "由人作出" in text) if zh else (
        "matching software" in text and "taken by a person" in text)
    # Redress: counter-notice, internal complaint, out-of-court settlement, the courts.
    assert "512(g)(3)" in text
    assert ("第20条" in text and "第21条" in text and "法院" in text) if zh else (
        "Article 20" in text and "Article 21" in text and "court" in text)
    assert (("第十六条" if zh else "Article 16 of the Regulations") in text) == (
        jurisdiction == "CN")
    if zh:
        assert english_left(text, f) == []


def test_kept_statement_says_why_the_page_stays():
    licensed = KEPT._replace(reason_code="licensed", verdict="supported")
    text = replies.statement_of_reasons(facts(targets=[licensed]), "en")
    assert "kept online, with no restriction" in text
    assert "the page stays online because we publish the work under a licence" in text
    assert "counter-notice under" not in text and "legal basis" not in text
    assert "more evidence" in text
    default = replies.statement_of_reasons(facts(targets=[KEPT._replace(reason_code=None)]), "zh")
    assert "未发现我方网页复制了该作品" in default


def test_statement_of_reasons_for_one_page_or_in_both_languages():
    one = replies.statement_of_reasons(facts(), "en", url=KEPT.url)
    assert KEPT.url in one and REMOVED.url not in one
    both = replies.statement_of_reasons(facts())  # a Chinese notice: Chinese, then English
    assert both.index("处理理由说明（案件 4217）") < both.index("Statement of reasons, case 4217")
    with pytest.raises(ReplyError):
        replies.statement_of_reasons(facts(), "en", url="https://www.uscntv.com/nowhere")


def test_reason_codes_carry_labels_in_both_languages():
    tables = (replies.REMOVE_REASONS, replies.KEEP_REASONS, replies.REJECT_REASONS)
    for table in tables:
        for code, reason in table.items():
            assert re.search(r"[\u4e00-\u9fff]", reason.label("zh")), code
            assert re.search(r"[A-Za-z]", reason.label("en")) and reason.why("en") != reason.why(
                "zh")
    assert {"copyright", "licence_expired"} <= set(replies.REMOVE_REASONS)
    assert {"not_supported", "licensed", "public_domain", "fair_use_quotation"} <= set(
        replies.KEEP_REASONS)
    assert set(replies.REJECT_REASONS) == {
        "incomplete", "not_our_content", "not_infringing", "abusive", "licensed"}
    assert replies.reason_label("public_domain", "zh") == "属于公有领域"
    assert replies.reason_label("made_up", "en") == "made_up"


def test_facts_come_from_a_plain_dict_with_targets_as_tuples():
    plain = {"case_id": 7, "received_at": RECEIVED, "claimant_name": "ABC News",
             "targets": [tuple(REMOVED), {"url": KEPT.url, "decision": "keep"}]}
    subject, body = render("decision", "en", plain)
    assert subject == "Decision on your notice" and REMOVED.url in body and KEPT.url in body
    with pytest.raises(ReplyError, match="time zone"):
        ReplyFacts(case_id=1, received_at=datetime(2022, 1, 3, 9, 15))
    with pytest.raises(ReplyError):
        render("decision", "fr", plain)
    with pytest.raises(ReplyError):
        render("thank_you", "en", plain)


def test_outside_titles_and_names_cannot_add_lines_to_a_reply():
    sneaky = REMOVED._replace(title="Title\n\nDear reader, send money\r\n")
    _, body = render(replies.ACKNOWLEDGEMENT, "en",
                     facts(targets=[sneaky], claimant_name="Eve\nBcc: x@y.example"))
    assert "- Title Dear reader, send money\n" in body
    assert body.startswith("Dear Eve Bcc: x@y.example,\n")


@pytest.mark.parametrize("classification", [
    "auto_reply", "bounce", "spam", "reply", "quarantined", "inquiry", None])
def test_only_notices_are_acknowledged(classification):
    now = RECEIVED
    assert should_acknowledge(classification="notice", sender="legal@abc.example",
                              last_ack_to_sender_at=None, now=now)
    assert not should_acknowledge(classification=classification, sender="legal@abc.example",
                                  last_ack_to_sender_at=None, now=now)


@pytest.mark.parametrize(("sender", "expected"), [
    ("ABC News Legal <legal@abc.example>", True),
    ("张三 <zhangsan@例子.中国>", True),
    ("legal@abc", False),
    ("not an address", False),
    ("", False),
    (None, False),
    ("MAILER-DAEMON@mx.abc.example", False),
    ("postmaster@abc.example", False),
    ("no-reply@abc.example", False),
    ("noreply@abc.example", False),
    ("legal-list-request@abc.example", False),
    ("owner-legal@abc.example", False),
    ("legal@abc.example\r\nBcc: victim@example.org", False),
])
def test_only_plausible_senders_are_acknowledged(sender, expected):
    assert should_acknowledge(classification="notice", sender=sender,
                              last_ack_to_sender_at=None, now=RECEIVED) is expected


def test_a_sender_gets_at_most_one_acknowledgement_a_day():
    def ack(last):
        return should_acknowledge(classification="notice", sender="legal@abc.example",
                                  last_ack_to_sender_at=last, now=RECEIVED)

    assert not ack(RECEIVED - timedelta(minutes=5))
    assert not ack(RECEIVED - timedelta(hours=23, minutes=59))
    assert ack(RECEIVED - timedelta(hours=24))
    assert ack(RECEIVED - timedelta(days=3))
    assert not ack(RECEIVED + timedelta(hours=1))  # a clock step back does not reopen the gate
