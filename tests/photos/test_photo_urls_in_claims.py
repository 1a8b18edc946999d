"""Pictures a claim names by address: fetched from a real HTTP server (127.0.0.1), matched like
attached photos; an address that cannot be fetched is kept and reported in words."""

from email.message import EmailMessage

import pytest
from sqlmodel import select

from moderation.models import Case, Photo
from moderation.plumbing.db import get_session

from .test_photo_claims import CLAIM, photo_bytes
from .test_photos_fetch import (
    Pictures,
    pictures_site,  # noqa: F401 (fixture)
)
from .test_photos_flow import agency, import_all, site  # noqa: F401 (fixtures)

# The claimant's copy of our rocket photo, smaller and recompressed, served by the test server.
Pictures.bodies = {**Pictures.bodies,
                   "/claims/rocket-seen.jpg": ("image/jpeg", photo_bytes("rocket.jpg",
                                                                         (480, 320)))}


def url_claim(tmp_path, server: str):
    message = EmailMessage()
    message["From"] = "PicRights <claims@picrights.example>"
    message["To"] = "uscntv@outlook.com"
    message["Subject"] = "Unlicensed use of a Getty Images photograph (claim 9)"
    message["Message-ID"] = "<claim-9@picrights.example>"
    message["Date"] = "Mon, 07 Dec 2026 10:00:00 +0000"
    text = CLAIM.format(page="https://www.uscntv.com/news/launch.html",
                        sender="claims@picrights.example").replace(
        "https://images.example/cdn/rocket-seen.jpg",
        f"{server}/claims/rocket-seen.jpg\nAnother copy: {server}/claims/gone.jpg")
    message.set_content(text)
    path = tmp_path / "by-address.eml"
    path.write_bytes(bytes(message))
    return path


@pytest.fixture
def fetched_claim(runner, app, site, agency, tmp_path, pictures_site):  # noqa: F811
    import_all(runner, site, agency)
    app.config["FETCH_CLAIMED_ORIGINALS"] = True
    result = runner.invoke(args=["mail", "import", str(url_claim(tmp_path, pictures_site))])
    assert result.exit_code == 0, result.output
    return pictures_site


def test_a_picture_named_by_address_is_fetched_printed_and_matched(app, client, auth,
                                                                   fetched_claim):
    with app.app_context():
        session = get_session()
        photos = {p.url: p for p in session.exec(select(Photo).where(Photo.origin == "notice"))}
        case = session.exec(select(Case).where(Case.kind == "takedown")).one()
    seen = photos[f"{fetched_claim}/claims/rocket-seen.jpg"]
    assert seen.fingerprint is not None and seen.raw_id is not None and seen.error is None
    assert seen.width == 480
    gone = photos[f"{fetched_claim}/claims/gone.jpg"]
    assert gone.fingerprint is None and gone.error.startswith("could not be fetched")
    assert "404" in gone.error
    auth.login()
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    # The fetched copy is shown beside our page's picture, with the match.
    assert "claims/rocket-seen.jpg" in page and "/photos/ours/" in page
    assert "img/rocket.jpg" in page
    # The one that could not be fetched is reported in words, not dropped.
    assert "claims/gone.jpg" in page and "could not be fetched" in page


def test_without_the_setting_addresses_are_kept_but_not_fetched(runner, app, site, agency,  # noqa: F811
                                                                 tmp_path, pictures_site):  # noqa: F811
    import_all(runner, site, agency)
    app.config["FETCH_CLAIMED_ORIGINALS"] = False
    assert runner.invoke(args=["mail", "import", str(url_claim(tmp_path, pictures_site))]
                         ).exit_code == 0
    with app.app_context():
        photos = get_session().exec(select(Photo).where(Photo.origin == "notice")).all()
    assert len(photos) == 2
    assert all(p.fingerprint is None and "not fetched" in p.error for p in photos)
