"""End to end in Chromium: a claim's attached photo shown beside the copy on our page.

Screenshots land in test-artifacts/.
"""

import pytest
from sqlmodel import select

from moderation.models import ArticleImage, Case
from moderation.plumbing.db import get_session

from ..conftest import PASSWORD, add_user
from ..support.browser import screenshot
from .test_photo_claims import claim_mail
from .test_photos_flow import agency, import_all, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_claimed_photo_beside_our_copy(app, live_server, page, site, agency, tmp_path):  # noqa: F811
    runner = app.test_cli_runner()
    import_all(runner, site, agency)
    mail = claim_mail(tmp_path / "claim.eml", "rocket.jpg", "getty-1234567.jpg", 1)
    assert runner.invoke(args=["mail", "import", str(mail)]).exit_code == 0
    add_user(app, "reviewer@example.org")
    with app.app_context():
        case = get_session().exec(select(Case).where(Case.kind == "takedown")).one()

    page.goto(live_server.url + "/login")
    page.fill("input[name=email]", "reviewer@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/cases/{case.id}")
    section = page.locator("#claimed-photos")
    text = section.inner_text()
    assert "getty-1234567.jpg" in text and "PHOTO: John Doe/Getty Images" in text
    assert "no photo licence" in text
    claimed = section.locator("img[src*='/photos/claimed/']").first
    ours = section.locator("img[src*='/photos/ours/']").first
    # Both pictures really load and are drawn side by side.
    for image in (claimed, ours):
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=image.element_handle())
    left, right = claimed.bounding_box(), ours.bounding_box()
    assert left["width"] > 100 and right["width"] > 100
    assert right["x"] > left["x"] + left["width"] - 1
    screenshot(page, "photo-claim-case")


def test_a_reviewer_replaces_the_claimed_photo_on_our_page(app, live_server, page, site, agency,  # noqa: F811
                                                            tmp_path):
    runner = app.test_cli_runner()
    import_all(runner, site, agency)
    mail = claim_mail(tmp_path / "claim.eml", "rocket.jpg", "getty-1234567.jpg", 1)
    assert runner.invoke(args=["mail", "import", str(mail)]).exit_code == 0
    add_user(app, "reviewer@example.org")
    with app.app_context():
        session = get_session()
        case = session.exec(select(Case).where(Case.kind == "takedown")).one()
        picture = session.exec(select(ArticleImage).where(
            ArticleImage.url.endswith("rocket.jpg"))).one()

    page.goto(live_server.url + "/login")
    page.fill("input[name=email]", "reviewer@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/cases/{case.id}")
    section = page.locator("#photo-decisions")
    section.locator("summary").click()
    section.locator(f"input[name=photo-{picture.id}][value=photo_replaced]").check()
    section.locator(f"input[name=photo-replacement-{picture.id}]").fill(
        "https://uscntv.com/news/img/our-own-launch.jpg")
    section.locator("button[type=submit]").click()
    page.wait_for_load_state()
    text = page.locator("#photo-decisions").inner_text()
    assert "Photo replaced" in text and "our-own-launch.jpg" in text
    with app.app_context():
        assert get_session().get(ArticleImage, picture.id).status == "replaced"
    screenshot(page, "photo-decision-replaced")
