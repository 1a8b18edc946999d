"""Photo claims: a notice's attached photo matched against our pages' pictures."""

import io
import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from moderation.models import Case, Photo
from moderation.plumbing.db import get_session

from .test_photos_flow import agency, import_all, site  # noqa: F401 (fixtures)

skimage = pytest.importorskip("skimage")
DATA = Path(skimage.__file__).parent / "data"
CLAIM = """Dear uscntv.com,

Notice of copyright infringement under the DMCA, 17 U.S.C. 512(c)(3).
We act for Getty Images. The photograph attached ("Rocket lift-off", image 1234567) is
used without a licence on your page {page}.
Please remove the infringing photograph.
A copy as you published it: https://images.example/cdn/rocket-seen.jpg

I have a good faith belief that this use is not authorized by the copyright owner, its
agent, or the law. The information in this notice is accurate, and under penalty of perjury
I am authorized to act on behalf of the owner.

Name: Pat Lee, PicRights for Getty Images
Email: {sender}
/s/ Pat Lee
"""


def photo_bytes(name: str, size=None) -> bytes:
    image = Image.open(DATA / name).convert("RGB")
    if size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def claim_mail(path: Path, picture: str, file_name: str, number: int,
               page: str = "https://www.uscntv.com/news/launch.html",
               sender: str = "claims@picrights.example") -> Path:
    message = EmailMessage()
    message["From"] = f"PicRights <{sender}>"
    message["To"] = "uscntv@outlook.com"
    message["Subject"] = f"Unlicensed use of a Getty Images photograph (claim {number})"
    message["Message-ID"] = f"<claim-{number}@picrights.example>"
    message["Date"] = "Mon, 07 Dec 2026 10:00:00 +0000"
    message.set_content(CLAIM.format(page=page, sender=sender))
    message.add_attachment(photo_bytes(picture, (400, 267)), maintype="image", subtype="jpeg",
                           filename=file_name)
    path.write_bytes(bytes(message))
    return path


@pytest.fixture
def claims(runner, app, site, agency, tmp_path):  # noqa: F811 (pytest fixtures)
    import_all(runner, site, agency)
    ours = claim_mail(tmp_path / "ours.eml", "rocket.jpg", "getty-1234567.jpg", 1)
    other = claim_mail(tmp_path / "other.eml", "astronaut.png", "getty-7654321.jpg", 2,
                       page="https://www.uscntv.com/news/other.html",
                       sender="team@copytrack.example")
    result = runner.invoke(args=["mail", "import", str(ours), str(other)])
    assert result.exit_code == 0, result.output


def test_attached_photos_are_kept_with_their_print(app, claims):
    with app.app_context():
        photos = get_session().exec(select(Photo).where(Photo.origin == "notice")
                                    .order_by(Photo.id)).all()
    sources = [photo.source for photo in photos]
    assert "getty-1234567.jpg" in sources and "getty-7654321.jpg" in sources
    assert "https://images.example/cdn/rocket-seen.jpg" in sources
    attached = next(p for p in photos if p.source == "getty-1234567.jpg")
    assert attached.fingerprint and attached.raw_id and attached.error is None


def test_notices_export_lists_each_claimed_photo_with_our_pages(runner, claims):
    result = runner.invoke(args=["notices", "export"])
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.output)
    attached = next(p for p in first["photos"] if p["source"] == "getty-1234567.jpg")
    assert attached["matches"] == [{"article_url": "https://uscntv.com/news/launch.html",
                                    "image": "https://uscntv.com/news/img/rocket.jpg",
                                    "kind": attached["matches"][0]["kind"]}]
    assert attached["matches"][0]["kind"] in ("resized", "same", "edited")
    unrelated = next(p for p in second["photos"] if p["source"] == "getty-7654321.jpg")
    assert unrelated["matches"] == []


def test_case_page_shows_the_claimed_photo_beside_ours_or_says_not_found(client, auth, app,
                                                                        claims):
    auth.login()
    with app.app_context():
        cases = get_session().exec(select(Case).where(Case.kind == "takedown")
                                   .order_by(Case.id)).all()
    assert len(cases) == 2
    page = client.get(f"/cases/{cases[0].id}").get_data(as_text=True)
    assert "Photos in the claim" in page and "getty-1234567.jpg" in page
    assert "PHOTO: John Doe/Getty Images" in page  # the credit line we printed
    assert "Photo licence on file" in page
    assert "/photos/ours/" in page and "/photos/claimed/" in page
    other = client.get(f"/cases/{cases[1].id}").get_data(as_text=True)
    assert "Not found on our site" in other


def test_pictures_are_served_redrawn_as_png_to_staff_only(client, auth, app, claims):
    with app.app_context():
        photo = get_session().exec(select(Photo).where(
            Photo.source == "getty-1234567.jpg")).one()
    assert client.get(f"/photos/claimed/{photo.id}.png").status_code == 302  # to sign-in
    auth.login()
    response = client.get(f"/photos/claimed/{photo.id}.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).format == "PNG"
    assert client.get("/photos/ours/999999.png").status_code == 404
