"""A case's facts as replies see them, reason codes, and the statement of reasons (DSA Art. 17)."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

LANGUAGES = ("en", "zh", "both")
JURISDICTIONS = ("US", "EU", "CN", None)
# Between the Chinese and the English part of a bilingual text.
SEPARATOR = "\n\n" + "-" * 40 + "\n\n"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


class ReplyError(ValueError):
    """Facts that cannot make the asked-for text; the message says what is missing."""


class Target(NamedTuple):
    """One page of ours named in a case, what the comparison found and what we decided."""

    url: str
    title: str = ""
    verdict: str = ""  # supported, not_supported, original_unavailable, article_not_found
    kind: str | None = None  # verbatim, excerpt, edited, translation, none
    score: float | None = None
    coverage: float | None = None  # share of our page's text found in the original
    original_url: str | None = None
    decision: str | None = None  # remove, partial, keep; None while undecided
    reason_code: str | None = None


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ReplyError(f"{name} has no time zone; attach one (times are shown in UTC)")
    return value


@dataclass(kw_only=True)
class ReplyFacts:
    """Everything a reply or a statement of reasons says about a case, as plain values."""

    case_id: int
    received_at: datetime
    claimant_name: str = ""
    language: str = "en"  # the notice's language, "zh" or "en"
    jurisdiction: str | None = None
    due_at: datetime | None = None
    targets: list[Target] = field(default_factory=list)
    missing_elements: list[str] = field(default_factory=list)
    statement_of_reasons: str = ""  # the reviewer's edited text; generated when empty
    site_name: str = "美国新闻网"
    notice_kind: str = "takedown"  # or "counter_notice": changes the missing-element wording
    reject_reason: str | None = None
    recipient_name: str = ""  # whom the mail greets when not the claimant (a counter-notifier)
    decided_at: datetime | None = None
    counter_notice_at: datetime | None = None
    counter_notice_text: str = ""
    restored_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.language not in ("zh", "en"):
            raise ReplyError(f"the notice language must be 'zh' or 'en', not {self.language!r}")
        if self.jurisdiction not in JURISDICTIONS:
            raise ReplyError(f"unknown jurisdiction {self.jurisdiction!r}")
        for name in ("received_at", "due_at", "decided_at", "counter_notice_at", "restored_at"):
            _aware(getattr(self, name), name)
        targets = [
            t if isinstance(t, Target) else Target(**t) if isinstance(t, Mapping) else Target(*t)
            for t in self.targets
        ]
        # Addresses are printed on lines of their own: a line break must not split one.
        self.targets = [t._replace(url=one_line(t.url, 2000),
                                   original_url=one_line(t.original_url, 2000) or None)
                        for t in targets]

    @classmethod
    def coerce(cls, facts: "ReplyFacts | Mapping") -> "ReplyFacts":
        """The facts themselves, or built from a plain dict with the same keys."""
        return facts if isinstance(facts, cls) else cls(**facts)


def language_for(notice_language: str | None) -> str:
    """Our default reply language: Chinese then English for Chinese notices, else English."""
    return "both" if notice_language == "zh" else "en"


def when(value: datetime) -> str:
    """A moment as outsiders read it in our mail: "2022-01-03 09:15 UTC"."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def one_line(text: str | None, limit: int = 300) -> str:
    """Outside text on one line, so that a title cannot add lines of its own to our mail."""
    text = " ".join(_CONTROL.sub(" ", text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Reason:
    """A reason code's short label and the clause that explains it, in both languages."""

    en: str
    zh: str
    why_en: str
    why_zh: str

    def label(self, language: str) -> str:
        return self.zh if language == "zh" else self.en

    def why(self, language: str) -> str:
        return self.why_zh if language == "zh" else self.why_en


REMOVE_REASONS: dict[str, Reason] = {
    "copyright": Reason(
        "Copyright infringement", "侵犯著作权",
        "the page reproduces the claimant's copyrighted work without a licence",
        "该网页未经许可复制了权利人享有著作权的作品"),
    "licence_expired": Reason(
        "Licence expired", "授权已到期",
        "our licence to republish the claimant's work has ended",
        "我们转载权利人作品的授权已经到期"),
}
KEEP_REASONS: dict[str, Reason] = {
    "not_supported": Reason(
        "Not supported by the comparison", "比对结果不支持该主张",
        "comparing our page with the claimed original did not show that our page copies it",
        "将我方网页与所称原作比对后，未发现我方网页复制了该作品"),
    "licensed": Reason(
        "Published under a licence", "已获授权发布",
        "we publish the work under a licence or permission from its rights holder",
        "我们依据权利人的许可或授权发布该作品"),
    "public_domain": Reason(
        "Public domain", "属于公有领域",
        "the work is in the public domain or not protected by copyright",
        "该作品属于公有领域或不受著作权保护"),
    "fair_use_quotation": Reason(
        "Fair use or quotation", "合理使用或适当引用",
        "our page quotes the work to a limited extent, with credit, for reporting or comment, "
        "which the law allows",
        "我方网页为报道或评论目的，在注明出处的前提下适当引用了该作品，属于法律允许的合理使用"),
    "original_unavailable": Reason(
        "Original not available", "无法获取原作",
        "we could not obtain the claimed original to compare it with our page",
        "我们无法获取所称原作以与我方网页进行比对"),
}
REJECT_REASONS: dict[str, Reason] = {
    "incomplete": Reason(
        "Incomplete notice", "通知不完整",
        "your notice lacks elements that the law requires, so we cannot act on it yet",
        "您的通知缺少法律要求的要素，我们暂时无法处理"),
    "not_our_content": Reason(
        "Not our content", "非本网站内容",
        "the addresses in your notice are not pages published on our site",
        "您通知中的网址不是本网站发布的网页"),
    "not_infringing": Reason(
        "No infringement found", "未发现侵权",
        "we compared our pages with the work you named and found no copying of it",
        "我们将我方网页与您指出的作品进行了比对，未发现复制行为"),
    "abusive": Reason(
        "Manifestly unfounded or abusive", "明显缺乏依据或滥用通知",
        "the notice is manifestly unfounded or repeats notices we have already decided "
        "(Digital Services Act, Art. 23)",
        "该通知明显缺乏依据，或重复了我们已作出决定的通知（《数字服务法》第23条）"),
    "licensed": Reason(
        "Published under a licence", "已获授权发布",
        "we publish the content under a licence or permission from its rights holder, "
        "so there is nothing to remove",
        "我们依据权利人的许可或授权发布该内容，因此无需删除"),
}
KINDS = {
    "verbatim": ("a verbatim copy", "逐字复制"),
    "excerpt": ("an excerpt", "节选"),
    "edited": ("an edited copy", "改编复制"),
    "translation": ("a translation", "翻译"),
    "none": ("no match", "无匹配"),
}
VERDICTS = {
    "supported": ("the comparison supports the claim", "比对结果支持该主张"),
    "not_supported": ("the comparison does not support the claim", "比对结果不支持该主张"),
    "original_unavailable": ("we could not obtain the claimed original", "我们无法获取所称原作"),
    "article_not_found": ("the address is not a page of our site", "该网址不是本网站的网页"),
}
LEGAL_BASIS = {
    "US": ("17 U.S.C. § 512(c) (Digital Millennium Copyright Act)",
           "美国《数字千年版权法》（17 U.S.C. § 512(c)）"),
    "EU": ("Article 16 of Regulation (EU) 2022/2065 (Digital Services Act) and the copyright law "
           "of the Member State concerned", "欧盟《数字服务法》第16条及相关成员国的著作权法"),
    "CN": ("Articles 14 and 15 of the Regulations on the Protection of the Right to Network "
           "Dissemination of Information (信息网络传播权保护条例)",
           "《信息网络传播权保护条例》第十四条、第十五条"),
    None: ("the copyright law that applies to the work", "适用于该作品的著作权法律"),
}


def reason_label(code: str | None, language: str) -> str:
    """The human label of a decision or rejection code; an unknown code is shown as it is."""
    for table in (REMOVE_REASONS, KEEP_REASONS, REJECT_REASONS):
        if code in table:
            return table[code].label(language)
    return code or ""


def pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "zh" else pair[0]


def decision_reason(target: Target) -> Reason | None:
    """The reason behind a page's decision; a sensible default when the reviewer gave none."""
    if target.decision in ("remove", "partial"):
        return REMOVE_REASONS.get(target.reason_code or "copyright", REMOVE_REASONS["copyright"])
    if target.decision == "keep":
        default = "original_unavailable" if target.verdict == "original_unavailable" else \
            "not_supported"
        return KEEP_REASONS.get(target.reason_code or default, KEEP_REASONS[default])
    return None


_S = {
    "en": {
        "title": "Statement of reasons, case {case}", "decided": "Decided on {when}.",
        "h1": "1. What we restricted", "h2": "2. Facts and circumstances",
        "h3": "3. Ground for the decision", "h4": "4. Use of automated means",
        "h5": "5. How to seek redress",
        "remove": "removed from our site for all readers in all countries{since}, until the "
                  "removal is reversed (for example after a counter-notice)",
        "since": " from {when}",
        "partial": "the copied passages removed for all readers in all countries{since}; "
                   "the rest of the page stays online",
        "keep": "kept online, with no restriction", "open": "not yet decided",
        "notice": "We acted on a notice from {claimant}, received on {received}.",
        "claimant": "the claimant", "orig": "the notice names {url} as the original",
        "no_orig": "the notice names no original for this page",
        "found": "our comparison found {kind}", "score": "score {score}",
        "cov": "covering {cov} of our page's text", "no_cmp": "no comparison could be made",
        "ground_rm": "removed because {why}; the right relied on is the copyright of {claimant} "
                     "in the original; legal basis: {basis}",
        "ground_keep": "the page stays online because {why}", "ground_open": "no decision yet",
        "auto": "The desk's matching software compared the text of our page with the claimed "
                "original, including Chinese translations of English text, and gave the kind, "
                "score and coverage above. The pages were named by the notice, not detected by "
                "automated means, and the decision was taken by a person: a member of our staff "
                "reviewed the comparison and decided.",
        "r_counter": "For whoever provided removed material: a counter-notice under 17 U.S.C. "
                     "§ 512(g)(3), if they believe it was removed by mistake or misidentification; "
                     "we then restore it in 10 to 14 business days unless the claimant files suit.",
        "r_cn": "For whoever provided removed material: a written explanation that it does not "
                "infringe, under Article 16 of the Regulations (信息网络传播权保护条例); we then "
                "restore it promptly (Article 17).",
        "r_more": "For the notifier, where a page stays online: more evidence, by replying to "
                  "this e-mail with the case number in the subject.",
        "r_complaint": "An internal complaint, free of charge, under Article 20 of the Digital "
                       "Services Act: reply to this e-mail within six months of this decision "
                       "and a member of our staff will review it.",
        "r_ods": "Out-of-court dispute settlement under Article 21 of the Digital Services Act, "
                 "before a certified dispute settlement body of your choice.",
        "r_court": "The courts: you may bring the matter before a competent court at any time.",
        "sep": "; ", "colon": ": ", "end": ".",
    },
    "zh": {
        "title": "处理理由说明（案件 {case}）", "decided": "决定时间：{when}。",
        "h1": "一、采取的措施", "h2": "二、事实与情况", "h3": "三、决定依据",
        "h4": "四、自动化手段的使用", "h5": "五、救济途径",
        "remove": "已从本网站删除{since}，对所有地区的所有读者生效，直至该删除被撤销（例如收到反通知后）",
        "since": "（自 {when} 起）",
        "partial": "已删除复制的段落{since}，对所有地区的所有读者生效；网页其余部分保留在线",
        "keep": "保留在线，未采取任何限制措施", "open": "尚未决定",
        "notice": "我们依据 {claimant} 于 {received} 发来的通知作出处理。",
        "claimant": "权利人", "orig": "通知指出的原作为 {url}",
        "no_orig": "通知未指出该网页的原作",
        "found": "我们的比对结果为{kind}", "score": "相似度得分 {score}",
        "cov": "覆盖我方网页 {cov} 的文字", "no_cmp": "未能进行比对",
        "ground_rm": "删除理由是{why}；所依据的权利是 {claimant} 对原作享有的著作权；法律依据：{basis}",
        "ground_keep": "该网页保留在线，因为{why}", "ground_open": "尚未作出决定",
        "auto": "本网站的比对软件将我方网页的文字与所称原作（包括英文原文的中文翻译）进行了比对，"
                "得出上述类型、得分和覆盖率。相关网页由通知指出，并非由自动化手段发现；"
                "处理决定由人作出：我们的工作人员审查了比对结果并作出决定。",
        "r_counter": "被删除内容的提供者：如认为该内容因错误或误认而被删除，可依据 17 U.S.C. § 512(g)(3) 提交反通知；"
                     "除非权利人提起诉讼，我们将在 10 至 14 个工作日内恢复该内容。",
        "r_cn": "被删除内容的提供者：可依据《信息网络传播权保护条例》第十六条提交不构成侵权的书面说明；我们收到后将立即恢复"
                "（第十七条）。",
        "r_more": "通知人（针对保留在线的网页）：可回复本邮件补充证据，并在主题中保留案件编号。",
        "r_complaint": "依据《数字服务法》第20条免费提出内部申诉：请在本决定作出后六个月内回复本邮件，"
                       "我们的工作人员将重新审查。",
        "r_ods": "依据《数字服务法》第21条，向您选择的经认证的庭外争议解决机构申请解决争议。",
        "r_court": "司法途径：您可随时向有管辖权的法院提起诉讼。",
        "sep": "；", "colon": "：", "end": "。",
    },
}


def _evidence(t: Target, s: dict, language: str) -> str:
    parts = [s["orig"].format(url=t.original_url) if t.original_url else s["no_orig"]]
    found = []
    if t.kind:
        found.append(s["found"].format(kind=pick(KINDS.get(t.kind, (t.kind, t.kind)), language)))
    if t.score is not None:
        found.append(s["score"].format(score=f"{t.score:.2f}"))
    if t.coverage is not None:
        found.append(s["cov"].format(cov=f"{min(max(t.coverage, 0.0), 1.0):.0%}"))
    parts.append((", " if language == "en" else "，").join(found) or s["no_cmp"])
    if t.verdict in VERDICTS:
        parts.append(pick(VERDICTS[t.verdict], language))
    return t.url + s["colon"] + s["sep"].join(parts) + s["end"]


def statement_of_reasons(
    facts: ReplyFacts | Mapping, language: str | None = None, *, url: str | None = None
) -> str:
    """A DSA Art. 17 statement on a case's pages (or the one at ``url``) for reviewers to edit."""
    facts = ReplyFacts.coerce(facts)
    language = language or language_for(facts.language)
    if language not in LANGUAGES:
        raise ReplyError(f"unknown language {language!r}")
    if language == "both":
        return statement_of_reasons(facts, "zh", url=url) + SEPARATOR + \
            statement_of_reasons(facts, "en", url=url)
    targets = [t for t in facts.targets if url is None or t.url == url]
    if not targets:
        raise ReplyError(f"the case names no page {url}" if url else "the case names no page")
    s = _S[language]
    claimant = one_line(facts.claimant_name) or s["claimant"]
    since = s["since"].format(when=when(facts.decided_at)) if facts.decided_at else ""
    lines = [s["title"].format(case=facts.case_id)]
    if facts.decided_at:
        lines.append(s["decided"].format(when=when(facts.decided_at)))
    lines += ["", s["h1"]]
    for t in targets:
        title = one_line(t.title)
        key = t.decision if t.decision in ("remove", "partial", "keep") else "open"
        what = s[key].format(since=since)
        lines.append(f"- {title + ' ' if title else ''}{t.url}{s['colon']}{what}{s['end']}")
    lines += ["", s["h2"], s["notice"].format(claimant=claimant, received=when(facts.received_at))]
    lines += [f"- {_evidence(t, s, language)}" for t in targets]
    lines += ["", s["h3"]]
    basis = pick(LEGAL_BASIS[facts.jurisdiction], language)
    for t in targets:
        reason = decision_reason(t)
        if reason is None:
            ground = s["ground_open"]
        elif t.decision == "keep":
            ground = s["ground_keep"].format(why=reason.why(language))
        else:
            ground = s["ground_rm"].format(why=reason.why(language), claimant=claimant,
                                           basis=basis)
        lines.append(f"- {t.url}{s['colon']}{ground}{s['end']}")
    lines += ["", s["h4"], s["auto"], "", s["h5"]]
    if any(t.decision in ("remove", "partial") for t in targets):
        lines.append(f"- {s['r_counter']}")
        if facts.jurisdiction == "CN":
            lines.append(f"- {s['r_cn']}")
    if any(t.decision != "remove" and t.decision != "partial" for t in targets):
        lines.append(f"- {s['r_more']}")
    lines += [f"- {s[key]}" for key in ("r_complaint", "r_ods", "r_court")]
    return "\n".join(lines)
