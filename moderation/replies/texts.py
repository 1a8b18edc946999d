"""The wording of the desk's replies, in English and Chinese: paragraphs with $names."""

ACKNOWLEDGEMENT = "acknowledgement"
NEED_INFO = "need_info"
DECISION = "decision"
REJECTED = "rejected"
COUNTER_NOTICE_FORWARDED = "counter_notice_forwarded"
RESTORED = "restored"
PAYMENT_PROOF = "payment_proof"
# What a decision did to one page; the photo actions take one picture down or put another in
# its place while the text stays online. RESTRICTING: the decisions that took material down.
DECIDED = ("remove", "partial", "keep", "photo_removed", "photo_replaced")
RESTRICTING = ("remove", "partial", "photo_removed", "photo_replaced")
TEMPLATES = (ACKNOWLEDGEMENT, NEED_INFO, DECISION, REJECTED, COUNTER_NOTICE_FORWARDED, RESTORED,
             PAYMENT_PROOF)

OUR_WORDS = {
    "en": {"dear": "Dear {name},", "nobody": "Dear Sir or Madam,", "claimant": "the claimant",
           "sign": "The moderation desk, {site}", "pages": "It concerns {n} of our site:",
           "page": "1 page", "n_pages": "{n} pages", "no_pages": "We could not identify a page of "
           "our site in it; if you meant one, please send us its exact address (URL).",
           "due": "We aim to answer by {due}.", "no_due": "We aim to answer within a few days.",
           "remove": "Removed", "partial": "Copied passages removed", "keep": "Kept online",
           "photo_removed": "The photo removed from the page; the text stays online",
           "photo_replaced": "The photo replaced with another; the text stays online",
           "open": "Still under review", "sor": "Statement of reasons:",
           "sor_below": "The statement of reasons is at the end of this e-mail.",
           "copy": "A copy of the counter-notice follows:"},
    "zh": {"dear": "{name}，您好：", "nobody": "您好：", "claimant": "权利人",
           "sign": "{site}内容审核组", "pages": "通知涉及本网站的 {n}：", "page": "1 个网页",
           "n_pages": "{n} 个网页", "no_pages": "我们未能在通知中识别出本网站的网页；"
           "如您指的是某个网页，请告知其确切网址（URL）。",
           "due": "我们力争在 {due} 之前答复您。", "no_due": "我们力争在几天内答复您。",
           "remove": "已删除", "partial": "已删除复制的段落", "keep": "保留在线", "open": "仍在审查中",
           "photo_removed": "已从网页上删除该图片，文字保留在线",
           "photo_replaced": "已将该图片替换为其他图片，文字保留在线",
           "sor": "处理理由说明：", "sor_below": "处理理由说明附于本邮件末尾。",
           "copy": "反通知副本如下："},
}
PUTBACK = {
    "US": ("Under 17 U.S.C. § 512(g)(2), we will restore the material between $earliest and "
           "$latest (10 to 14 business days after we received the counter-notice) unless, before "
           "then, you tell us that you have filed an action seeking a court order to restrain the "
           "sender of the counter-notice from infringing. If you have filed suit, please reply to "
           "this e-mail with evidence of it.",
           "依据 17 U.S.C. § 512(g)(2)，我们将在 $earliest 至 $latest 之间（收到反通知后 10 至 14 个工作日）"
           "恢复该内容，除非您在此之前告知我们，您已提起诉讼，请求法院禁止反通知的发送人实施侵权行为。"
           "如您已提起诉讼，请回复本邮件并附上证明。"),
    "CN": ("Under Article 17 of the Regulations (信息网络传播权保护条例), we restore the material "
           "promptly on receiving such a written explanation and forward it to you; you may not "
           "ask us again to remove the same material, but you may take the matter to the "
           "copyright administration or to court.",
           "依据《信息网络传播权保护条例》第十七条，我们收到该书面说明后将立即恢复该内容，并将说明转送给您；"
           "您不得再通知我们删除该内容，但可以向著作权行政管理部门投诉或向法院起诉。"),
    "EU": ("We will review the counter-notice as a complaint under Article 20 of the Digital "
           "Services Act and tell you of our decision; you may send us your comments by replying "
           "to this e-mail.",
           "我们将依据《数字服务法》第20条将该反通知作为申诉进行审查，并将决定告知您；"
           "如有意见，请回复本邮件。"),
}
RESTORED_WHY = {
    "US": ("We were not told within 10 to 14 business days of the counter-notice that a court "
           "action had been filed, so the material is back (17 U.S.C. § 512(g)(2)(C)).",
           "在收到反通知后的 10 至 14 个工作日内，我们未获告知已有人提起诉讼，因此恢复了该内容"
           "（17 U.S.C. § 512(g)(2)(C)）。"),
    "CN": ("Article 17 of the Regulations (信息网络传播权保护条例) requires us to restore material "
           "promptly once we receive a written explanation that it does not infringe.",
           "《信息网络传播权保护条例》第十七条要求我们在收到不构成侵权的书面说明后立即恢复相关内容。"),
    "review": ("We reviewed our decision again and concluded that the pages should be "
               "available.", "我们重新审查了原决定，认为这些网页应当恢复。"),
}
CLOSE = ("Please keep the case number in the subject when you write to us about this notice.",
          "就本通知与我们联系时，请在邮件主题中保留案件编号。")
# Subject and paragraphs per template and language; an empty paragraph is left out.
TEXTS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    ACKNOWLEDGEMENT: {
        "en": ("We received your notice", (
            "Thank you for your notice of $received. We have opened case $case_id for it.",
            "$pages", "What happens next: a member of our staff compares each page with the "
            "original you name, decides whether to remove it, and writes to you with the decision "
            "and the reasons. If your notice lacks something the law requires, we will first ask "
            "you for it.", "$due", CLOSE[0])),
        "zh": ("我们已收到您的通知", (
            "感谢您于 $received 发来的通知。我们已为此立案，案件编号为 $case_id。", "$pages",
            "后续处理：我们的工作人员将把每个网页与您指出的原作进行比对，决定是否删除，"
            "并将处理决定及理由告知您。如您的通知缺少法律要求的内容，我们会先请您补充。",
            "$due", CLOSE[1])),
    },
    NEED_INFO: {
        "en": ("More information needed for your notice", (
            "Thank you for your notice of $received (case $case_id). Before we can act on it, "
            "we need the following, which $law asks a notice to include and which we could not "
            "find in yours:", "$missing",
            "Please reply to this e-mail with the missing information. Your case stays open, and "
            "the time we take to answer is paused until we hear from you.", CLOSE[0])),
        "zh": ("您的通知需要补充信息", (
            "感谢您于 $received 发来的通知（案件编号 $case_id）。$law要求通知包含以下内容，"
            "但我们未能在您的通知中找到，因此暂时无法处理：", "$missing",
            "请回复本邮件补充上述信息。您的案件将保持开放，在收到您的回复之前，答复期限暂停计算。",
            CLOSE[1])),
    },
    DECISION: {
        "en": ("Decision on your notice", (
            "We have reviewed your notice of $received (case $case_id). Our decision for each "
            "page:", "$decisions", "$statement", CLOSE[0])),
        "zh": ("关于您通知的处理决定", (
            "我们已审查您于 $received 发来的通知（案件编号 $case_id）。各网页的处理决定如下：",
            "$decisions", "$statement", CLOSE[1])),
    },
    REJECTED: {
        "en": ("We cannot act on your notice", (
            "We have examined your notice of $received (case $case_id) and cannot act on it: "
            "$reason.", "$missing", "If you think we have misread your notice, reply to this "
            "e-mail; you may also send a new, complete notice.", CLOSE[0])),
        "zh": ("您的通知未被受理", (
            "我们已审查您于 $received 发来的通知（案件编号 $case_id），但无法据此处理：$reason。",
            "$missing", "如您认为我们误解了您的通知，请回复本邮件；您也可以重新发送一份完整的通知。",
            CLOSE[1])),
    },
    COUNTER_NOTICE_FORWARDED: {
        "en": ("Counter-notice received", (
            "On $counter_at we received a counter-notice about the following pages, which we "
            "removed after your notice of $received (case $case_id):", "$pages", "$copy",
            "$putback", CLOSE[0])),
        "zh": ("我们收到了反通知", (
            "我们于 $counter_at 收到一份反通知，涉及以下网页；这些网页是我们根据您于 $received "
            "发来的通知（案件编号 $case_id）删除的：", "$pages", "$copy", "$putback", CLOSE[1])),
    },
    # To a licence-fee demand (photo agencies and their collectors): nothing is paid before the
    # sender proves the rights and shows the licence history of the work.
    PAYMENT_PROOF: {
        "en": ("Your demand for a licence fee: proof of rights needed", (
            "Thank you for your letter of $received (case $case_id), which asks us to pay for "
            "the use of a work on our site.", "$pages",
            "Before we consider any payment, please send us: (1) proof that you own the rights "
            "to the work or are authorised to act for the owner (the registration or the "
            "photographer's or author's written assignment or mandate); (2) the work's licence "
            "history: the licences granted for it, and whether it was ever offered free of "
            "charge or under an open licence; (3) how you calculated the amount you ask for.",
            "Until we have these we will not pay. Your case stays open, and the time we take to "
            "answer is paused until we hear from you.", CLOSE[0])),
        "zh": ("关于您索要授权费用的要求：请提供权利证明", (
            "感谢您于 $received 发来的函件（案件编号 $case_id）。您要求我们为本网站使用的作品支付费用。",
            "$pages",
            "在考虑任何付款之前，请提供：（一）您享有该作品权利或经权利人授权代理的证明（著作权登记证书，"
            "或摄影师、作者出具的书面转让或授权委托书）；（二）该作品的授权记录：已授予的许可，以及该作品"
            "是否曾免费或以开放许可方式提供；（三）您所要求金额的计算依据。",
            "在收到上述材料之前，我们不会付款。您的案件将保持开放，在收到您的回复之前，答复期限暂停计算。",
            CLOSE[1])),
    },
    RESTORED: {
        "en": ("Pages restored", (
            "This concerns case $case_id: the notice of $received from $claimant about the pages "
            "below, which we removed$counter.", "$pages", "We restored these pages$restored_at. "
            "$why", "This closes the case. If you have questions, reply to this e-mail.")),
        "zh": ("网页已恢复", (
            "本邮件涉及案件 $case_id：$claimant 于 $received 就以下网页发来通知，我们删除了这些网页$counter。",
            "$pages", "我们已$restored_at恢复这些网页。$why", "本案件至此结束。如有疑问，请回复本邮件。")),
    },
}
