"""Pictures on a page: each <img> with its address, alt text, figure caption and credit line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

if TYPE_CHECKING:  # the parsed tree comes from html.py; a text page needs no HTML parser
    from selectolax.lexbor import LexborHTMLParser, LexborNode

from .credits import find_credit

# Pixels of trackers and spacers, and images of the site's own chrome, are not photos.
_MIN_SIDE = 48
_SKIPPED_IN = "nav, header, footer, aside"
MAX_IMAGES = 60


@dataclass
class PageImage:
    """One picture as the page shows it; ``path`` is set when it is a file beside the page."""

    url: str
    alt: str = ""
    caption: str = ""
    credit_line: str | None = None
    path: Path | None = None

    def as_json(self) -> dict:
        return {"url": self.url, "alt": self.alt, "caption": self.caption,
                "credit": self.credit_line, "path": str(self.path) if self.path else None}


def _largest(srcset: str) -> str | None:
    """The widest candidate of a srcset ("a.jpg 480w, b.jpg 1080w")."""
    best, best_size = None, -1.0
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        size = 0.0
        if len(parts) > 1 and parts[1][:-1].replace(".", "", 1).isdigit():
            size = float(parts[1][:-1]) * (1000 if parts[1].endswith("x") else 1)
        if size > best_size:
            best, best_size = parts[0], size
    return best


def _text(node: LexborNode | None) -> str:
    return " ".join((node.text(separator=" ") or "").split()) if node is not None else ""


def _figure(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    for _ in range(4):
        if parent is None:
            return None
        if parent.tag == "figure":
            return parent
        parent = parent.parent
    return None


def _nearby_credit(node: LexborNode) -> str | None:
    """A credit in a caption-like element next to the picture (the next element or two)."""
    holder = node
    # Climb out of the link, <picture> or paragraph that holds nothing but the picture.
    for _ in range(3):
        parent = holder.parent
        if parent is None or parent.tag not in ("a", "span", "picture", "p", "div") or _text(
                parent):
            break
        holder = parent
    sibling = holder.next
    for _ in range(4):
        if sibling is None:
            break
        words = _text(sibling)
        if sibling.tag != "br" and words:
            return find_credit(words[:300])
        sibling = sibling.next
    return None


def _too_small(node: LexborNode) -> bool:
    for name in ("width", "height"):
        value = (node.attributes.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _MIN_SIDE:
            return True
    return False


def resolve(src: str, base: str | None, folder: Path | None) -> tuple[str | None, Path | None]:
    """An image address made absolute, as a browser would; a local file's path when it has one."""
    src = src.strip()
    if not src or src.startswith(("data:", "javascript:", "about:", "blob:")):
        return None, None
    try:
        url = urljoin(base, src) if base else src
    except ValueError:
        return None, None
    path = None
    if urlsplit(url).scheme == "file":
        path = Path(unquote(urlsplit(url).path))
    elif folder is not None and not urlsplit(src).scheme and not src.startswith(("//", "/")):
        # A page read from disk: its relative pictures are files beside it, whatever web
        # address (--base-url) the page is given.
        path = (folder / unquote(src.split("?")[0].split("#")[0])).resolve()
        if not base:
            url = path.as_uri()
    return url, path


def page_images(tree: LexborHTMLParser, *, base: str | None = None,
                folder: Path | None = None) -> list[PageImage]:
    """The page's pictures in order, at most MAX_IMAGES; ``folder`` holds a local page's files."""
    skipped = {node.mem_id for area in tree.css(_SKIPPED_IN) for node in area.css("img")}
    found: list[PageImage] = []
    seen: set[str] = set()
    for node in tree.css("img"):
        if node.mem_id in skipped or _too_small(node):
            continue
        attrs = node.attributes
        src = _largest(attrs.get("srcset") or "") or attrs.get("src") or attrs.get(
            "data-src") or attrs.get("data-original") or ""
        url, path = resolve(src, base, folder)
        if not url or url in seen:
            continue
        seen.add(url)
        figure = _figure(node)
        caption = _text(figure.css_first("figcaption")) if figure is not None else ""
        credit = None
        if figure is not None:
            credit_node = figure.css_first("[class*=credit], [class*=source], small")
            credit = find_credit(_text(credit_node)) or _text(credit_node) or None
        credit = credit or find_credit(caption) or _nearby_credit(node)
        found.append(PageImage(url=url, alt=" ".join((attrs.get("alt") or "").split())[:1000],
                               caption=caption[:2000], credit_line=credit, path=path))
        if len(found) >= MAX_IMAGES:
            break
    return found


def stated_images(items: list[dict[str, str]], folder: Path, page_url: str) -> list[PageImage]:
    """Pictures a JSON Lines record lists: ``path`` relative to the file, ``url`` to the page."""
    found = []
    for item in items:
        path = (folder / item["path"]).resolve() if item.get("path") else None
        try:
            url = urljoin(page_url, item["url"]) if item.get("url") else path.as_uri()
        except ValueError:
            continue
        caption = item.get("caption", "")
        found.append(PageImage(url=url, caption=caption, path=path,
                               credit_line=item.get("credit") or find_credit(caption)))
    return found
