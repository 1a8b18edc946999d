"""A local copy of our site on 127.0.0.1: pages, feeds, sitemaps and robots.txt held in memory.

Tests and the site benchmark change ``Site.routes`` as they go (a page edited, deleted,
moved) and read ``Site.seen`` to know what the desk asked for. The server speaks
HTTP/1.1 with keep-alive and answers conditional requests (ETag, Last-Modified) with 304.
"""

import hashlib
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Route:
    """One answer of the site. ``chunks`` streams a large body without holding it."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    etag: bool = True
    last_modified: float | None = None
    delay: float = 0.0
    chunks: Callable[[], Iterable[bytes]] | None = None
    length: int | None = None  # announced Content-Length for ``chunks``; None: not announced

    def tag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[tuple[str, int]] = field(default_factory=list)  # (path, status answered)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def requests(self, since: int = 0) -> list[tuple[str, int]]:
        with self.lock:
            return list(self.seen[since:])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: without this, Nagle's algorithm and the
    # client's delayed ACK hold every kept-alive answer back by 40 ms.
    disable_nagle_algorithm = True
    server: "SiteServer"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _answer(self, status: int, route: Route | None) -> None:
        with self.server.site.lock:
            self.server.site.seen.append((self.path, status))
        self.send_response(status)
        if route is None or status in (304,) or route.location:
            if route is not None and route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_header("Content-Type", route.content_type)
        if route.etag:
            self.send_header("ETag", route.tag())
        if route.last_modified is not None:
            self.send_header("Last-Modified", formatdate(route.last_modified, usegmt=True))
        try:
            if route.chunks is not None:
                if route.length is not None:
                    self.send_header("Content-Length", str(route.length))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                for chunk in route.chunks():
                    self.wfile.write(chunk)
                return
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the desk stopped reading: what the limits want

    def do_GET(self) -> None:
        route = self.server.site.routes.get(self.path)
        if route is None:
            self._answer(404, Route(b"<h1>Not found</h1>", etag=False))
            return
        if route.delay:
            time.sleep(route.delay)
        if route.status == 200 and route.etag and \
                self.headers.get("If-None-Match") == route.tag():
            self._answer(304, None)
            return
        if route.status == 200 and route.last_modified is not None and not route.etag:
            since = self.headers.get("If-Modified-Since")
            if since == formatdate(route.last_modified, usegmt=True):
                self._answer(304, None)
                return
        self._answer(route.status, route)


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    site: Site

    def handle_error(self, request, client_address) -> None:
        # The desk hangs up on pages it refuses (50 MB, too slow): the server's broken pipe is
        # expected then, and its traceback on stderr would read as the desk's own.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def start(site: Site) -> tuple[SiteServer, threading.Thread]:
    httpd = SiteServer(("127.0.0.1", 0), Handler)
    httpd.site = site
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return httpd, thread


def stop(httpd: SiteServer, thread: threading.Thread) -> None:
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def article_html(title: str, paragraphs: Iterable[str], *, source: str = "美国新闻网",
                 date: str = "2024-05-01 08:00", charset: str = "utf-8",
                 canonical: str | None = None) -> str:
    """A page shaped like our site's: nav bar, breadcrumb, date/source line, text, footer."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{escape(canonical)}" />' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{escape(title)}_美国新闻网</title>{link}
</head><body>
<div class="nav"><a href="/">首页</a> | <a href="/guoji/">国际</a> | <a href="/shehui/">社会</a></div>
<div class="weizhi">当前位置:<a href="/">主页</a> &gt; <a href="/guoji/">国际</a> &gt; 正文</div>
<div class="main"><h1>{escape(title)}</h1>
<div class="info">{date}&nbsp;&nbsp;来源:{escape(source)}</div>
<div class="content">
{body}
</div></div>
<div class="footer">免责声明:本站部分内容转自网络,如有侵权请及时联系我们。Copyright 美国新闻网</div>
</body></html>"""


def sitemap_xml(entries: Iterable[tuple[str, str | None]], *, index: bool = False) -> bytes:
    """A sitemap (or, with ``index``, a sitemap index) of (address, lastmod) pairs."""
    outer, inner = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n'
             f'<{outer} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for address, lastmod in entries:
        stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<{inner}><loc>{escape(address)}</loc>{stamp}</{inner}>")
    lines.append(f"</{outer}>")
    return "\n".join(lines).encode("utf-8")


def rss_xml(items: Iterable[tuple[str, str]]) -> bytes:
    """An RSS 2.0 feed of (address, title) items."""
    body = "".join(f"<item><title>{escape(t)}</title><link>{escape(a)}</link>"
                   "<pubDate>Wed, 01 May 2024 08:00:00 GMT</pubDate></item>" for a, t in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>美国新闻网</title><link>/</link>{body}</channel></rss>").encode()


def filler(total: int, piece: bytes = b"<p>" + "新闻".encode() * 500 + b"</p>\n") -> Callable[
        [], Iterator[bytes]]:
    """Chunks adding up to ``total`` bytes, made as they are sent."""
    def chunks() -> Iterator[bytes]:
        sent = 0
        while sent < total:
            part = piece[: total - sent]
            sent += len(part)
            yield part
    return chunks
