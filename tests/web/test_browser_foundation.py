"""In Chromium: sign in with the demo admin, see the navigation and the demo article."""

import pytest
from sqlmodel import select

from moderation import demo
from moderation.models import Article
from moderation.plumbing.db import get_session

from ..conftest import PASSWORD, add_user
from ..support.browser import screenshot

pytestmark = pytest.mark.browser


def test_sign_in_and_open_the_demo_article(app, live_server, page):
    demo.load(app)
    add_user(app, "admin@example.org", "admin")
    with app.app_context():
        article = get_session().exec(select(Article)).one()
    page.goto(live_server.url + "/articles/")
    assert "/login" in page.url
    page.fill("input[name=email]", "admin@example.org")
    page.fill("input[name=password]", "wrong password here")
    page.click("main button[type=submit]")
    assert page.locator(".flash-error").inner_text() == (
        "The e-mail address or the password is not right."
    )
    page.fill("input[name=email]", "admin@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/articles/")
    nav = page.locator("nav.mainnav a").all_inner_texts()
    assert nav == ["Queue", "Articles", "Originals", "Licences", "Reports", "Admin"]
    page.click(f"text={article.title}")
    page.wait_for_url(f"{live_server.url}/articles/{article.id}")
    assert page.locator("h1").inner_text() == "拜登、普京在乌克兰紧张局势加剧之际举行电话会议"
    assert page.locator("section.segment[lang=zh]").count() == 1
    assert page.locator("section.segment[lang=en]").count() == 1
    screenshot(page, "foundation-demo-article")
    page.click("button:has-text('Sign out')")
    page.wait_for_url(live_server.url + "/login")
    page.goto(live_server.url + "/")
    assert "/login" in page.url
