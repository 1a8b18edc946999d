"""Pictures end to end: kept at intake, agency photos imported, matched, reported."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from moderation.models import ArticleImage, Licence, Photo, Publisher
from moderation.plumbing.db import get_session

skimage = pytest.importorskip("skimage")
DATA = Path(skimage.__file__).parent / "data"
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story about the rocket launch, told at some length so that the "
    f"page reader keeps it as the article's own text and not as site chrome.</p>" for n in range(6))


def save_jpeg(source: str, target: Path, size: tuple[int, int] | None = None, quality=90):
    image = Image.open(DATA / source).convert("RGB")
    if size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, "JPEG", quality=quality)


@pytest.fixture
def site(tmp_path) -> Path:
    folder = tmp_path / "site" / "news"
    save_jpeg("rocket.jpg", folder / "img" / "rocket.jpg", (320, 213), 70)
    save_jpeg("coffee.png", folder / "img" / "coffee.jpg", (300, 200), 75)
    (folder / "launch.html").write_text(f"""<html lang="en"><head><title>Rocket launch</title>
<link rel="canonical" href="https://www.uscntv.com/news/launch.html"></head><body><article>
<h1>Rocket launch</h1>
<figure><img src="img/rocket.jpg" alt="The rocket"><figcaption>The rocket lifts off.
PHOTO: John Doe/Getty Images</figcaption></figure>
{PARAGRAPHS}
<p><img src="img/coffee.jpg" alt="Coffee"></p><p>图片来源:视觉中国</p>
<p><img src="img/missing.jpg" alt="Gone"></p>
</article></body></html>""", encoding="utf-8")
    return tmp_path / "site"


@pytest.fixture
def agency(tmp_path) -> Path:
    folder = tmp_path / "agency"
    save_jpeg("rocket.jpg", folder / "getty" / "rocket-original.jpg", quality=95)
    save_jpeg("chelsea.png", folder / "getty" / "cat.jpg", quality=95)
    save_jpeg("coffee.png", folder / "vcg" / "coffee-original.jpg", quality=95)
    (folder / "vcg.jsonl").write_text(json.dumps({
        "path": "vcg/coffee-original.jpg", "url": "https://www.vcg.com/creative/1",
        "publisher": "视觉中国", "title": "Coffee", "credit": "视觉中国",
        "taken_at": "2021-05-01T10:00:00+08:00"}, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def import_all(runner, site: Path, agency: Path):
    result = runner.invoke(args=["articles", "import", str(site)])
    assert result.exit_code == 0, result.output
    assert "Pictures: 3 kept, 1 without readable bytes" in result.output
    result = runner.invoke(args=["photos", "import", str(agency / "getty"),
                                 "--publisher", "Getty Images"])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    result = runner.invoke(args=["photos", "import", str(agency / "vcg.jsonl")])
    assert result.exit_code == 0, result.output
    return result


def test_intake_keeps_each_picture_with_caption_credit_and_print(runner, app, site):
    result = runner.invoke(args=["articles", "import", str(site)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        images = get_session().exec(select(ArticleImage).order_by(ArticleImage.position)).all()
    assert [Path(image.url).name for image in images] == ["rocket.jpg", "coffee.jpg",
                                                          "missing.jpg"]
    # Resolved against the page's canonical address, as a browser on the site would.
    assert images[0].url == "https://uscntv.com/news/img/rocket.jpg"
    assert images[0].alt == "The rocket"
    assert images[0].credit_line == "PHOTO: John Doe/Getty Images"
    assert images[1].credit_line == "图片来源:视觉中国"
    assert images[0].fingerprint and len(images[0].fingerprint) <= 1024
    assert images[2].fingerprint is None and "cannot be read" in images[2].error


def test_photo_import_is_idempotent_and_names_the_agency(runner, app, site, agency):
    import_all(runner, site, agency)
    again = runner.invoke(args=["photos", "import", str(agency / "getty"),
                                "--publisher", "Getty Images"])
    assert "0 new, 2 already known" in again.output
    with app.app_context():
        session = get_session()
        photos = session.exec(select(Photo).order_by(Photo.id)).all()
        names = {p.id: p.name for p in session.exec(select(Publisher))}
    assert len(photos) == 3
    assert [names[p.publisher_id] for p in photos] == ["Getty Images", "Getty Images", "视觉中国"]
    assert photos[2].url == "https://www.vcg.com/creative/1"
    assert photos[2].taken_at.isoformat() == "2021-05-01T02:00:00+00:00"


def test_report_photos_gives_original_kind_credit_and_licence(runner, app, site, agency):
    import_all(runner, site, agency)
    with app.app_context():
        session = get_session()
        vcg = session.exec(select(Publisher).where(Publisher.name == "视觉中国")).one()
        session.add(Licence(publisher_id=vcg.id, kind="licence", photos=True,
                            valid_from=date(2020, 1, 1), valid_to=date(2099, 12, 31),
                            reference="editorial subscription"))
        session.commit()
    result = runner.invoke(args=["report", "photos", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [set(row) for row in rows][0] == {
        "article_url", "image", "original_url", "publisher", "kind", "similarity",
        "credit_line", "credited", "licensed"}
    rocket, coffee, missing = rows
    assert rocket["article_url"] == "https://uscntv.com/news/launch.html"
    assert rocket["publisher"] == "Getty Images" and rocket["kind"] == "resized"
    assert rocket["original_url"].endswith("rocket-original.jpg")
    assert rocket["credited"] is True and rocket["licensed"] is False
    assert 0.9 < rocket["similarity"] <= 1
    assert coffee["publisher"] == "视觉中国" and coffee["credited"] and coffee["licensed"]
    assert missing["original_url"] is None and missing["kind"] is None
    table = list(csv.DictReader(io.StringIO(runner.invoke(
        args=["report", "photos", "--format", "csv"]).output.lstrip("\ufeff"))))
    assert table[0]["publisher"] == "Getty Images" and table[0]["licensed"] == "false"


def test_photos_report_page_and_provenance_page_show_photos_per_agency(runner, app, site,
                                                                       agency, tmp_path):
    import_all(runner, site, agency)
    out = tmp_path / "photos.html"
    result = runner.invoke(args=["report", "photos", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Photos per agency" in page and "<svg" in page
    assert "Getty Images" in page and "No photo licence from this agency" in page
    result = runner.invoke(args=["report", "provenance", "--format", "html", "--no-mail"])
    assert 'id="photos"' in result.output and "Photos per agency" in result.output


def test_unreadable_agency_files_are_kept_with_the_reason(runner, app, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "drawing.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (folder / "notes.txt").write_text("hello")
    result = runner.invoke(args=["photos", "import", str(folder), "--publisher", "AP"])
    assert "SVG drawings are not read as photos" in result.output
    assert "not a picture or a JSON Lines file" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        photos = get_session().exec(select(Photo)).all()
    assert len(photos) == 2 and all(p.raw_id and p.error for p in photos)


def test_unlicensed_agency_photos_become_a_review_item(runner, app, site, agency, client, auth):
    from moderation.models import Case

    import_all(runner, site, agency)
    with app.app_context():
        session = get_session()
        items = session.exec(select(Case).where(Case.kind == "review")).all()
        assert len(items) == 1
        reasons = items[0].reasons
        vcg = session.exec(select(Publisher).where(Publisher.name == "视觉中国")).one()
        session.add(Licence(publisher_id=vcg.id, kind="licence", photos=True))
        session.commit()
    assert {(r["code"], r["publisher"]) for r in reasons} == {
        ("photo_unlicensed", "Getty Images"), ("photo_unlicensed", "视觉中国")}
    auth.login()
    page = client.get(f"/cases/{items[0].id}").get_data(as_text=True)
    assert "Agency photo without a licence" in page and "img/rocket.jpg" in page
    assert "Agency photo without a licence" in client.get("/").get_data(as_text=True)
    # With a photo licence on file for 视觉中国, only Getty's photo is left to review.
    result = runner.invoke(args=["photos", "import", str(agency / "vcg.jsonl")])
    assert "0 raised, 1 updated" in result.output
    with app.app_context():
        item = get_session().get(Case, items[0].id)
    assert [(r["code"], r["publisher"]) for r in item.reasons] == [
        ("photo_unlicensed", "Getty Images")]


def test_the_licence_register_can_cover_an_agencys_photos(client, auth, app):
    from moderation.models import Licence as LicenceRow

    auth.login(email="boss@example.org", role="admin")
    data = {"publisher": "", "new_publisher": "Getty Images", "kind": "agreement",
            "excerpt_limit": "", "credit_wording": "PHOTO: Getty Images",
            "valid_from": "2026-01-01", "valid_to": "2026-12-31",
            "reference": "editorial subscription", "notes": "", "photos": "y"}
    assert client.post("/licences/new", data=data).status_code == 302
    with app.app_context():
        licence = get_session().exec(select(LicenceRow)).one()
    assert licence.photos and not licence.full_repost
    assert "Photos" in client.get(f"/licences/{licence.id}").get_data(as_text=True)
