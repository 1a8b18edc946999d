"""Pictures on a page: addresses as a browser resolves them, captions and credit lines."""

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from moderation.intake.credits import find_credit, names_in_credit
from moderation.intake.images import page_images
from moderation.intake.jsonl import parse_line

PAGE = """<html><body><nav><img src="/logo.png"></nav><article><p>Text</p>
<figure><img src="a.jpg" srcset="a-480.jpg 480w, a-1080.jpg 1080w" alt="Biden">
<figcaption>President Joe Biden speaks. PHOTO: Pool/Getty Images</figcaption></figure>
<p><img src="b.jpg" alt="x"></p><p>图片来源:视觉中国</p>
<img src="pixel.gif" width="1" height="1"><img src="data:image/png;base64,AAAA">
<p><img data-src="d.jpg"></p><p>资料图</p>
<p><a href="x"><img src="e.jpg"></a><br>Police at the scene (Reuters)</p></article></body></html>"""


def test_srcset_caption_and_credit_lines_are_read_and_chrome_skipped():
    images = page_images(LexborHTMLParser(PAGE), base="https://www.uscntv.com/news/1.html")
    assert [i.url for i in images] == [
        "https://www.uscntv.com/news/a-1080.jpg", "https://www.uscntv.com/news/b.jpg",
        "https://www.uscntv.com/news/d.jpg", "https://www.uscntv.com/news/e.jpg"]
    assert images[0].alt == "Biden" and images[0].caption.startswith("President Joe Biden")
    assert [i.credit_line for i in images] == [
        "PHOTO: Pool/Getty Images", "图片来源:视觉中国", "资料图", "Police at the scene (Reuters)"]


def test_a_local_page_reads_its_pictures_beside_it(tmp_path):
    images = page_images(LexborHTMLParser('<img src="img/a%20b.jpg?x=1">'), folder=tmp_path)
    assert images[0].path == tmp_path / "img" / "a b.jpg"
    assert images[0].url == (tmp_path / "img" / "a b.jpg").as_uri()


@pytest.mark.parametrize("text, credit", [
    ("The scene on Monday. Photo by Jane Doe/AP", "Photo by Jane Doe/AP"),
    ("摄影:张三", "摄影:张三"),
    ("A quiet street in the morning.", None),
])
def test_credit_lines_are_found_only_where_they_are(text, credit):
    assert find_credit(text) == credit


def test_a_credit_names_an_agency_by_name_or_alias_not_by_a_word_inside_another():
    assert names_in_credit("PHOTO: Pool/Getty Images", ["Getty Images"])
    assert names_in_credit("图片来源:视觉中国", ["Visual China Group", "视觉中国"])
    assert not names_in_credit("Photo: Snapper", ["AP"])
    assert not names_in_credit(None, ["AP"])


def test_jsonl_images_are_checked_entry_by_entry():
    fields = parse_line(b'{"url": "https://uscntv.com/a", "text": "Some text here.", '
                        b'"images": [{"path": "p/1.jpg", "credit": "AP"}, 5, {"caption": "x"}]}')
    assert fields.images == [{"path": "p/1.jpg", "credit": "AP"}]
    assert len([w for w in fields.warnings if "image" in w]) == 2
    assert Path(fields.images[0]["path"]).name == "1.jpg"
