"""HTML mail bodies: a sanitised copy safe to show to staff, readable text, and the links."""

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "div",
    "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li",
    "ol", "p", "pre", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "font": {"color"},
    "*": {"dir", "lang", "title"},
}
LINK_REL = "noopener noreferrer nofollow"
_BLOCK_TAGS = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "tr",
    "ul",
}
_HIDDEN_TAGS = {"script", "style", "head", "title", "template", "noscript"}


def sanitise_html(source: str, *, allow_remote_images: bool = False) -> str:
    """HTML without scripts, event handlers, javascript: links or (by default) remote images."""

    def keep_attribute(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            remote = value.strip().lower().startswith(("http:", "https:", "//"))
            # Remote images tell the sender that (and when) staff opened the mail.
            if remote and not allow_remote_images:
                return None
        return value

    try:
        return nh3.clean(
            source,
            tags=ALLOWED_TAGS,
            clean_content_tags={"script", "style", "title", "template", "noscript"},
            attributes=ALLOWED_ATTRIBUTES,
            attribute_filter=keep_attribute,
            url_schemes={"http", "https", "mailto"},
            link_rel=LINK_REL,
            strip_comments=True,
        )
    except Exception:  # never show unsanitised markup: fall back to escaped text
        return "<pre>" + html.escape(html_to_text(source)) + "</pre>"


class _TextAndLinks(HTMLParser):
    """Collects visible text with line breaks at block elements, and http(s) link targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.chunks.append("\n")
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.strip().lower().startswith(("http://", "https://")):
                self.links.append(href.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.chunks.append(data)


def _read(source: str) -> _TextAndLinks:
    reader = _TextAndLinks()
    try:
        reader.feed(source)
        reader.close()
    except Exception:  # whatever was read before the failure is kept
        pass
    return reader


def html_to_text(source: str) -> str:
    """Visible text of an HTML document, one paragraph per line."""
    text = "".join(_read(source).chunks).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_links(source: str) -> list[str]:
    """Targets of http(s) links in an HTML document, in order, duplicates removed."""
    return list(dict.fromkeys(_read(source).links))
