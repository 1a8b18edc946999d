"""The statement of reasons (DSA Art. 17): what was restricted, why, on what ground, how to object."""

from collections.abc import Mapping

from .reasons import (
    KINDS,
    LANGUAGES,
    LEGAL_BASIS,
    SEPARATOR,
    VERDICTS,
    ReplyError,
    ReplyFacts,
    Target,
    decision_reason,
    language_for,
    one_line,
    pick,
    when,
)
from .texts import DECIDED, RESTRICTING

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
        "photo_removed": "the photo in question removed from the page for all readers in all "
                         "countries{since}; the text stays online",
        "photo_replaced": "the photo in question replaced with another for all readers in all "
                          "countries{since}; the text stays online",
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
        "photo_removed": "所涉图片已从网页上删除{since}，对所有地区的所有读者生效；文字保留在线",
        "photo_replaced": "所涉图片已替换为其他图片{since}，对所有地区的所有读者生效；文字保留在线",
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
        key = t.decision if t.decision in DECIDED else "open"
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
    if any(t.decision in RESTRICTING for t in targets):
        lines.append(f"- {s['r_counter']}")
        if facts.jurisdiction == "CN":
            lines.append(f"- {s['r_cn']}")
    if any(t.decision not in RESTRICTING for t in targets):
        lines.append(f"- {s['r_more']}")
    lines += [f"- {s[key]}" for key in ("r_complaint", "r_ods", "r_court")]
    return "\n".join(lines)
