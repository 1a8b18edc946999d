"""A local HTTP server serving realistic pages and feeds (the tests have no internet)."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

WEB = Path(__file__).parents[1] / "fixtures" / "intake" / "web"
ROUTES = {
    "/article.html": ("text/html; charset=utf-8", "article.html"),
    "/gbk.html": ("text/html", "article_gbk.html"),
    "/gbk-declared.html": ("text/html; charset=GBK", "article_gbk.html"),
    "/feed.rss": ("application/rss+xml", "feed.rss"),
    "/feed.atom": ("application/atom+xml; charset=utf-8", "feed.atom"),
    "/not-a-feed": ("text/html", "article.html"),
    "/image.png": ("image/png", None),
}


class Handler(BaseHTTPRequestHandler):
    server: "WebServer"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, content_type: str, body: bytes, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("User-Agent"), time.monotonic()))
        path = self.path.split("?")[0]
        if path in ROUTES:
            content_type, name = ROUTES[path]
            body = (WEB / name).read_bytes() if name else b"\x89PNG\r\n\x1a\n" + bytes(64)
            self._send(200, content_type, body)
        elif path.startswith("/hops/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect(f"/hops/{left - 1}" if left > 1 else "/article.html")
        elif path == "/to-ftp":
            self._redirect("ftp://files.example/a")
        elif path == "/bad-redirect":
            self._redirect("http://[")
        elif path == "/big":
            self._send(200, "text/html", b"<p>" + b"x" * 50_000)
        elif path == "/big-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"<p>" + b"x" * 50_000)
        elif path == "/slow":
            time.sleep(1.0)
            try:
                self._send(200, "text/html", b"<p>late</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, which is what the timeout test wants
        else:
            self._send(404, "text/html", b"<h1>Not found</h1>")


class WebServer(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[tuple[str, str | None, float]]


@pytest.fixture(scope="module")
def server() -> Iterator[WebServer]:
    httpd = WebServer(("127.0.0.1", 0), Handler)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()
