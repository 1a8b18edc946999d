"""--fetch-images: pictures named by web address, fetched from a local HTTP server."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from moderation.models import ArticleImage
from moderation.plumbing.db import get_session

skimage = pytest.importorskip("skimage")
DATA = Path(skimage.__file__).parent / "data"


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.open(DATA / "rocket.jpg").convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


class Pictures(BaseHTTPRequestHandler):
    bodies = {"/rocket.jpg": ("image/jpeg", jpeg_bytes()),
              "/drawing.svg": ("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>")}

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def do_GET(self):
        content_type, body = self.bodies.get(self.path, ("text/html", b"not here"))
        self.send_response(200 if self.path in self.bodies else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def pictures_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pictures)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_jsonl_images_are_fetched_only_when_asked(runner, app, tmp_path, pictures_site):
    record = {"url": "https://uscntv.com/news/1.html", "title": "Launch",
              "text": "The rocket lifted off this morning from the coast. " * 20,
              "images": [{"url": f"{pictures_site}/rocket.jpg", "caption": "Lift-off (Reuters)"},
                         {"url": f"{pictures_site}/drawing.svg"}, {"caption": "no address"}]}
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = runner.invoke(args=["articles", "import", str(path)])
    assert "not fetched (use --fetch-images" in result.output
    result = runner.invoke(args=["articles", "import", str(path), "--fetch-images"])
    with app.app_context():
        images = get_session().exec(select(ArticleImage).order_by(ArticleImage.position)).all()
    assert len(images) == 2
    assert images[0].credit_line == "Lift-off (Reuters)"
    assert images[0].fingerprint is not None and images[0].width == 640
    assert images[1].fingerprint is None and "not a picture" in images[1].error
