"""Hand-written rules for site chrome in text pages: the lines around an article, not of it."""

import re

# Each rule: reason shown to staff, and a pattern tested against the stripped line.
_MAX_CHROME_LINE = 200
_BRACKETS = "[]【】()（）<>《》 \t"
_SENTENCE_END = tuple(".。!?！？\"”'’:：;；,，")

_MORE = frozenset(
    """阅读更多 閱讀更多 查看更多 查看全文 阅读全文 閱讀全文 展开全文 展開全文 点击查看 點擊查看
    点击阅读全文 阅读原文 閱讀原文 查看原文 更多 返回顶部 返回首页 返回列表 more""".split()
) | {
    "read more",
    "continue reading",
    "see more",
    "show more",
    "view more",
    "back to top",
    "full story",
    "keep reading",
    "read the full story",
    "click here",
}
_HOT_LISTS = frozenset(
    """热点新闻 熱點新聞 重要通知 服务之窗 服務之窗 相关新闻 相關新聞 相关阅读 相關閱讀 相关文章 相關文章
    推荐阅读 推薦閱讀 热门推荐 熱門推薦 热门文章 熱門文章 最新文章 最新新闻 最新新聞 精彩推荐 精彩推薦
    猜你喜欢 猜你喜歡 热门新闻 熱門新聞 今日热点 今日熱點 图片新闻 圖片新聞 热点推荐 延伸阅读 延伸閱讀
    related trending recommended""".split()
) | {
    "related articles",
    "related stories",
    "related news",
    "more stories",
    "most read",
    "most popular",
    "top stories",
    "you may also like",
    "more from",
    "latest news",
}

_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "disclaimer",
        re.compile(
            r"^(免责声明|免責聲明|版权声明|版權聲明|特别声明|特別聲明|声明|聲明|disclaimer)\s*[:：]",
            re.I,
        ),
    ),
    (
        "previous/next link",
        re.compile(
            r"^(上一篇|下一篇|上一页|下一页|上一頁|下一頁|上一條|下一條|上一条|下一条|前一篇|后一篇|後一篇"
            r"|previous|next)(\s*(article|story|post|page))?\s*[:：>»›]",
            re.I,
        ),
    ),
    (
        "contact line",
        re.compile(
            r"^(投稿邮箱|投稿郵箱|联系邮箱|聯繫郵箱|联系我们|聯繫我們|邮箱|郵箱|电子邮件|電子郵件|電郵|e-?mail"
            r"|联系电话|聯繫電話|电话|電話|tel|传真|傳真|地址|qq|微信|微信公众号|微信公眾號)\s*[:：]",
            re.I,
        ),
    ),
    (
        "footer",
        re.compile(
            r"本网站所刊载|本網站所刊載|本站所刊载|刊用本网站稿件|刊用本網站稿件|未经(书面)?授权(不得)?转载"
            r"|版权所有|版權所有|转载请注明|轉載請註明|all rights reserved|ICP备|ICP證|公网安备"
            r"|主办.{0,12}(www\.|https?://)|部分稿件来源于网络|部分稿件來源於網絡|如有侵权|如有侵權"
            r"|(copyright|©|\(c\))\s*(©\s*)?(19|20)\d\d",
            re.I,
        ),
    ),
    (
        "photo caption",
        re.compile(
            r"^(photo|photos|image|picture|video|watch|图片|圖片|图|圖|照片|配图|配圖|视频|視頻)\s*[:：]"
            r"|图片来源|圖片來源|图源[:：]|資料圖|资料图",
            re.I,
        ),
    ),
    (
        "share or byline",
        re.compile(
            r"^(分享到|分享至|分享|share( this)?( article| story| on \w+)?|follow us|关注我们|關注我們"
            r"|扫描二维码|扫一扫|打印|print|字号|字號|font size|收藏|责任编辑|責任編輯|编辑|編輯"
            r"|editor|edited by)(\s*[:：].{0,60})?$",
            re.I,
        ),
    ),
]
_CREDIT = re.compile(
    r"getty images|ap photo|reuters|afp|epa|shutterstock|bloomberg|xinhua|新华社|新華社|视觉中国"
    r"|pool|via |photo by|photograph|alamy|imaginechina|美联社|路透社|法新社",
    re.I,
)
_SLASH_CREDIT = re.compile(r"^[\w .,'&-]{2,40}/[\w .,'&-]{2,40}$")
_NAV_SEPARATORS = re.compile(r"\s*[|｜•]\s*")
_CRUMB_SEPARATORS = re.compile(r"\s*[>›»＞]\s*")
_CRUMB_START = re.compile(r"^(首页|主页|首頁|主頁|当前位置|當前位置|您的位置|位置|home)\b", re.I)
_HAN_TOKENS = re.compile(r"^[\u4e00-\u9fff]{1,4}(\s+[\u4e00-\u9fff]{1,4}){4,}$")


def _bare(line: str) -> str:
    return line.strip().strip(_BRACKETS).strip()


def _short_items(items: list[str], limit: int) -> bool:
    items = [item for item in items if item]
    return bool(items) and all(len(item) <= limit for item in items)


def line_reason(line: str) -> str | None:
    """Why ``line`` is site chrome on its own, or None if nothing marks it as such."""
    bare = _bare(line)
    if not bare or len(bare) > _MAX_CHROME_LINE:
        return None
    lowered = bare.lower().rstrip(" .…>»›→")
    if lowered in _MORE:
        return "read-more link"
    if lowered.rstrip(":：") in _HOT_LISTS:
        return "related/hot list"
    parts = _NAV_SEPARATORS.split(bare)
    if len(parts) >= 4 and _short_items(parts, 12) or _HAN_TOKENS.match(bare):
        return "navigation"
    crumbs = _CRUMB_SEPARATORS.split(bare)
    if (
        len(crumbs) >= 3
        and _short_items(crumbs, 16)
        or len(crumbs) >= 2
        and _CRUMB_START.match(bare)
    ):
        return "breadcrumb"
    for reason, pattern in _RULES:
        if pattern.search(bare):
            return reason
    return None


def _is_credit(bare: str) -> bool:
    return (
        len(bare) <= 80
        and not bare.endswith(_SENTENCE_END)
        and len(bare.split()) <= 8
        and bool(_CREDIT.search(bare))
    )


def _list_item(bare: str) -> bool:
    return len(bare) <= 50 and not bare.endswith(_SENTENCE_END)


def classify_lines(lines: list[str]) -> list[str | None]:
    """A reason for each line that is chrome (None for content), using neighbouring lines too.

    Beyond ``line_reason``: a photo's credit line and its repeated, cut-off short form
    ("... in the Oval Offic...") go with the caption, and the short items under a
    related/hot list heading go with the heading.
    """
    reasons = [line_reason(line) for line in lines]
    captions = [
        _bare(line).split(":", 1)[-1].split("：", 1)[-1].strip()
        for line, reason in zip(lines, reasons, strict=True)
        if reason == "photo caption"
    ]
    texts = [_bare(line) for line in lines]
    since_caption = since_list = 99
    for index, bare in enumerate(texts):
        if not bare:
            continue
        reason = reasons[index]
        if (
            reason is None
            and since_caption <= 2
            and (_is_credit(bare) or _SLASH_CREDIT.match(bare))
        ):
            reasons[index] = reason = "photo credit"
        elif reason is None and bare.endswith(("...", "…")) and len(bare) <= 200:
            stem = bare.rstrip(".… ")
            if len(stem) >= 10 and any(c.startswith(stem) for c in captions):
                reasons[index] = reason = "photo caption (short form)"
            elif len(stem) >= 10 and any(
                t != bare and t.startswith(stem) for t in texts if len(t) > len(stem)
            ):
                reasons[index] = reason = "cut-off duplicate"
        elif reason is None and since_list <= 10 and _list_item(bare):
            reasons[index] = reason = "related/hot list"
        since_caption = 0 if reason in ("photo caption", "photo credit") else since_caption + 1
        since_list = 0 if reason == "related/hot list" else since_list + 1 if reason else 99
    return reasons
