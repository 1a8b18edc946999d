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
    if target.decision in ("remove", "partial", "photo_removed", "photo_replaced"):
        return REMOVE_REASONS.get(target.reason_code or "copyright", REMOVE_REASONS["copyright"])
    if target.decision == "keep":
        default = "original_unavailable" if target.verdict == "original_unavailable" else \
            "not_supported"
        return KEEP_REASONS.get(target.reason_code or default, KEEP_REASONS[default])
    return None
