"""What we write to rights holders, and the outbox that sends it: wording in Chinese and English,
the reasons for a decision, statements of reasons, queued replies over SMTP.

Replies to rights holders in Chinese and English, rendered from a case's facts without Flask.

May import: plumbing, models. Imported by: cases, mailroom, reports, web, commands.
"""

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import parseaddr
from string import Template

from .reasons import (
    KEEP_REASONS,
    LANGUAGES,
    REJECT_REASONS,
    REMOVE_REASONS,
    SEPARATOR,
    ReplyError,
    ReplyFacts,
    Target,
    decision_reason,
    language_for,
    one_line,
    pick,
    reason_label,
    when,
)
from .statement import statement_of_reasons
from .texts import (
    ACKNOWLEDGEMENT,
    COUNTER_NOTICE_FORWARDED,
    DECIDED,
    DECISION,
    NEED_INFO,
    OUR_WORDS,
    PAYMENT_PROOF,
    PUTBACK,
    REJECTED,
    RESTORED,
    RESTORED_WHY,
    RESTRICTING,
    TEMPLATES,
    TEXTS,
)

__all__ = [
    "ACKNOWLEDGEMENT", "COUNTER_NOTICE_FORWARDED", "DECISION", "KEEP_REASONS", "LANGUAGES",
    "NEED_INFO", "PAYMENT_PROOF", "REJECTED", "REJECT_REASONS", "REMOVE_REASONS", "RESTORED", "TEMPLATES",
    "ReplyError", "ReplyFacts", "Target", "element_sentence", "language_for", "putback_window",
    "reason_label", "render", "should_acknowledge", "statement_of_reasons",
]


# What each legal element asks of the sender (keys as in notices.completeness.ELEMENTS).
ELEMENT_SENTENCES: dict[str, tuple[str, str]] = {
    "contact": ("your name and how we can reach you: your e-mail address, and a postal address "
                "or telephone number", "您的姓名及联系方式：电子邮件地址，以及邮寄地址或电话号码"),
    "work": ("the title of the copyrighted work you say we copied, or the address where it was "
             "published", "您认为被我们复制的作品名称，或该作品的发表网址"),
    "location": ("the exact address (URL) of each page on our site that you want removed",
                 "您要求删除的本网站每个网页的确切网址（URL）"),
    "explanation": ("an explanation, with evidence, of why you consider that the page infringes "
                    "your rights", "说明您认为该网页侵犯您权利的理由，并附上证据"),
    "good_faith": ("a statement that you believe in good faith that the use of the material is not "
                   "authorised by the rights holder, its agent or the law",
                   "一份声明：您善意地相信该内容的使用未经权利人、其代理人或法律的许可"),
    "accuracy": ("a statement that the information in the notice is accurate",
                 "一份声明：保证通知内容准确"),
    "perjury": ("a statement, under penalty of perjury, that the information in the notice is "
                "accurate and that you are authorised to act for the rights holder",
                "一份声明：在伪证处罚下保证通知内容准确，并且您有权代表权利人行事"),
    "signature": ("your physical or electronic signature (for example your full name typed at the "
                  "end of the notice)", "您的亲笔签名或电子签名（例如在通知末尾写上您的全名）"),
}
# Where a regime words an element differently from the default above.
JURISDICTION_SENTENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("US", "contact"): ("your name, postal address, telephone number and e-mail address",
                        "您的姓名、邮寄地址、电话号码和电子邮件地址"),
    ("EU", "contact"): ("your name (or the name of your organisation) and your e-mail address",
                        "您的姓名（或机构名称）及电子邮件地址"),
    ("CN", "contact"): ("your name (or the name of your organisation), a way to contact you and "
                        "your address", "您的姓名（名称）、联系方式和地址"),
    ("CN", "explanation"): ("initial evidence of the infringement, such as proof that you hold "
                            "the copyright and a copy of the original",
                            "构成侵权的初步证明材料，例如您享有著作权的证明及原作副本"),
    ("CN", "good_faith"): ("a statement that you take responsibility for the truthfulness of the "
                           "notice", "一份声明：您对通知书的真实性负责"),
}
COUNTER_NOTICE_SENTENCES: dict[str, tuple[str, str]] = {
    "location": ("the exact address (URL) at which the removed material appeared on our site",
                 "被删除内容在本网站原来所在的确切网址（URL）"),
    "explanation": ("a statement that the material was removed by mistake or misidentification, "
                    "and your consent to the jurisdiction of the court for your address",
                    "一份声明：说明该内容因错误或误认而被删除，并同意接受您所在地法院的管辖"),
    "perjury": ("a statement, under penalty of perjury, that you believe in good faith that the "
                "material was removed as a result of mistake or misidentification",
                "一份声明：在伪证处罚下保证，您善意地相信该内容是因错误或误认而被删除的"),
}
_LAW = {
    ("takedown", "US"): ("the Digital Millennium Copyright Act (17 U.S.C. § 512(c)(3))",
                         "美国《数字千年版权法》（17 U.S.C. § 512(c)(3)）"),
    ("takedown", "EU"): ("Article 16 of the Digital Services Act", "欧盟《数字服务法》第16条"),
    ("takedown", "CN"): ("Article 14 of the Regulations (信息网络传播权保护条例)",
                         "《信息网络传播权保护条例》第十四条"),
    ("counter_notice", "US"): ("17 U.S.C. § 512(g)(3)", "17 U.S.C. § 512(g)(3)"),
    ("counter_notice", "CN"): ("Article 16 of the Regulations (信息网络传播权保护条例)",
                               "《信息网络传播权保护条例》第十六条"),
}
_NO_LAW = ("the law", "法律")


def element_sentence(
    element: str, language: str, jurisdiction: str | None = None, notice_kind: str = "takedown"
) -> str:
    """What a missing legal element asks of the sender, in the regime's words."""
    if element not in ELEMENT_SENTENCES:
        raise ReplyError(f"unknown legal element {element!r}")
    pair = ELEMENT_SENTENCES[element]
    if notice_kind == "counter_notice" and element in COUNTER_NOTICE_SENTENCES:
        pair = COUNTER_NOTICE_SENTENCES[element]
    else:
        pair = JURISDICTION_SENTENCES.get((jurisdiction or "", element), pair)
    return pick(pair, language)


def putback_window(counter_notice_at: datetime) -> tuple[datetime, datetime]:
    """10 and 14 business days (Monday to Friday) after a counter-notice: 17 U.S.C. 512(g)(2)."""
    found, day, window = 0, counter_notice_at, []
    while found < 14:
        day += timedelta(days=1)
        if day.weekday() < 5:
            found += 1
            if found in (10, 14):
                window.append(day)
    return window[0], window[1]


def _page_list(targets: list[Target]) -> str:
    return "\n".join(f"- {one_line(t.title)}\n  {t.url}" if one_line(t.title) else f"- {t.url}"
                     for t in targets)


def _missing(facts: ReplyFacts, language: str) -> str:
    return "\n".join(
        f"- {element_sentence(e, language, facts.jurisdiction, facts.notice_kind)}"
        for e in facts.missing_elements)


def _values(template: str, language: str, facts: ReplyFacts, statement_below: bool) -> dict:
    words = OUR_WORDS[language]
    values = {"case_id": str(facts.case_id), "received": when(facts.received_at),
              "claimant": one_line(facts.claimant_name) or words["claimant"]}
    n = len(facts.targets)
    count = words["page"] if n == 1 else words["n_pages"].format(n=n)
    if template == PAYMENT_PROOF:
        values["pages"] = (words["pages"].format(n=count) + "\n" + _page_list(facts.targets)
                           if n else "")
    elif template == ACKNOWLEDGEMENT:
        values["pages"] = (words["pages"].format(n=count) + "\n" + _page_list(facts.targets)
                           if n else words["no_pages"])
        values["due"] = (words["due"].format(due=when(facts.due_at)) if facts.due_at
                         else words["no_due"])
    elif template == NEED_INFO:
        if not facts.missing_elements:
            raise ReplyError("a request for information needs at least one missing element")
        law = _LAW.get((facts.notice_kind, facts.jurisdiction or ""), _NO_LAW)
        values.update(law=pick(law, language), missing=_missing(facts, language))
    elif template == DECISION:
        if not facts.targets:
            raise ReplyError("a decision needs at least one page")
        lines = []
        for t in facts.targets:
            reason = decision_reason(t)
            said = words[t.decision if t.decision in DECIDED else "open"]
            lines.append(_page_list([t]) + f"\n  {said}"
                         + (pick((": ", "："), language) + reason.label(language) if reason else ""))
        values["decisions"] = "\n".join(lines)
        if facts.statement_of_reasons.strip():
            values["statement"] = words["sor_below"] if statement_below else \
                words["sor"] + "\n\n" + facts.statement_of_reasons.strip()
        else:
            values["statement"] = words["sor"] + "\n\n" + statement_of_reasons(facts, language)
    elif template == REJECTED:
        if facts.reject_reason not in REJECT_REASONS:
            raise ReplyError(f"unknown rejection reason {facts.reject_reason!r}; "
                             f"one of {', '.join(REJECT_REASONS)}")
        values["reason"] = REJECT_REASONS[facts.reject_reason].why(language)
        values["missing"] = _missing(facts, language) if facts.reject_reason == "incomplete" \
            else ""
    elif template in (COUNTER_NOTICE_FORWARDED, RESTORED):
        removed = [t for t in facts.targets if t.decision in RESTRICTING]
        values["pages"] = _page_list(removed or facts.targets)
        rule = facts.jurisdiction if facts.jurisdiction in ("CN", "EU") else "US"
        if template == COUNTER_NOTICE_FORWARDED:
            if facts.counter_notice_at is None:
                raise ReplyError("forwarding a counter-notice needs the time it was received")
            earliest, latest = putback_window(facts.counter_notice_at)
            values["counter_at"] = when(facts.counter_notice_at)
            values["putback"] = Template(pick(PUTBACK[rule], language)).substitute(
                earliest=when(earliest), latest=when(latest))
            quoted = "\n".join("> " + line for line in facts.counter_notice_text.strip()
                               .splitlines())
            values["copy"] = words["copy"] + "\n\n" + quoted if quoted else ""
        else:
            at = facts.counter_notice_at
            values["counter"] = "" if at is None else pick(
                (f", and the counter-notice we received on {when(at)}",
                 f"，随后于 {when(at)} 收到反通知"), language)
            at = facts.restored_at
            values["restored_at"] = "" if at is None else pick(
                (f" on {when(at)}", f"于 {when(at)} "), language)
            # Only the US and Chinese rules put material back on a counter-notice alone.
            why = rule if facts.counter_notice_at and rule != "EU" else "review"
            values["why"] = pick(RESTORED_WHY[why], language)
    return values


def template_text(template: str, language: str) -> tuple[str, str]:
    """The built-in subject and body of a template, as staff edit it: paragraphs, $names."""
    subject, paragraphs = TEXTS[template][language]
    return subject, "\n\n".join(paragraphs)


def placeholders(template: str, language: str) -> set[str]:
    """The $names a template's body may use."""
    return set(Template(template_text(template, language)[1]).get_identifiers())


def _render_one(template: str, language: str, facts: ReplyFacts,
                statement_below: bool = False, overrides: Mapping | None = None) -> tuple[str, str]:
    words = OUR_WORDS[language]
    subject, paragraphs = TEXTS[template][language]
    custom = (overrides or {}).get(f"{template}.{language}")
    if custom:  # staff's own wording from the admin page, checked when it was saved
        subject, paragraphs = custom["subject"], tuple(custom["body"].split("\n\n"))
    values = _values(template, language, facts, statement_below)
    name = one_line(facts.recipient_name or facts.claimant_name)
    greeting = words["dear"].format(name=name) if name else words["nobody"]
    body = [Template(p).safe_substitute(values).strip() for p in paragraphs]
    signature = words["sign"].format(site=one_line(facts.site_name))
    return subject, "\n\n".join([greeting, *(p for p in body if p), signature])


def render(template: str, language: str, facts: ReplyFacts | Mapping,
           overrides: Mapping | None = None) -> tuple[str, str]:
    """Subject and plain-text body of a reply in "en", "zh" or "both" (Chinese, then English)."""
    # Subjects carry no case tag: outbox.tagged_subject adds it.
    if template not in TEMPLATES:
        raise ReplyError(f"unknown template {template!r}; one of {', '.join(TEMPLATES)}")
    if language not in LANGUAGES:
        raise ReplyError(f"unknown language {language!r}; one of {', '.join(LANGUAGES)}")
    facts = ReplyFacts.coerce(facts)
    if language != "both":
        return _render_one(template, language, facts, overrides=overrides)
    below = template == DECISION and bool(facts.statement_of_reasons.strip())
    zh_subject, zh_body = _render_one(template, "zh", facts, below, overrides)
    en_subject, en_body = _render_one(template, "en", facts, below, overrides)
    body = zh_body + SEPARATOR + en_body
    if below:
        # The reviewer's statement is one text, however many languages it holds.
        body += SEPARATOR + facts.statement_of_reasons.strip()
    return f"{zh_subject} / {en_subject}", body


_ADDRESS = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}$")
# Mail systems and lists that must never get an automatic answer (RFC 3834, section 2).
_MACHINE = re.compile(r"^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|"
                      r"owner-.*|.*-request|.*-bounces?)$", re.IGNORECASE)
ACK_INTERVAL = timedelta(days=1)


def should_acknowledge(
    *, classification: str | None, sender: str | None, last_ack_to_sender_at: datetime | None,
    now: datetime,
) -> bool:
    """Whether to acknowledge automatically: a notice, a person's address, one a day per sender."""
    if classification != "notice" or not sender or re.search(r"[\r\n\x00]", sender):
        return False
    address = parseaddr(sender)[1].strip()
    if not _ADDRESS.match(address) or address.count("@") != 1:
        return False
    if _MACHINE.match(address.rpartition("@")[0]):
        return False
    if last_ack_to_sender_at is None:
        return True
    # A last acknowledgement stamped in the future (a clock step) still counts as recent.
    return now - last_ack_to_sender_at >= ACK_INTERVAL
