"""In Chromium, in Chinese: the queue and a case page read in the reviewer's language."""

import pytest
from sqlmodel import select

from moderation import demo
from moderation.models import Case
from moderation.plumbing.db import get_session

from ..conftest import PASSWORD, add_user
from ..support.browser import screenshot

pytestmark = pytest.mark.browser


def test_queue_and_case_page_in_chinese(app, live_server, page):
    demo.load(app)
    add_user(app, "shenhe@example.org")
    with app.app_context():
        case = next(c for c in get_session().exec(select(Case)) if c.jurisdiction == "CN")
    page.goto(live_server.url + "/login")
    page.click("button[name=locale][value=zh_Hans]")
    page.wait_for_selector("text=登录")
    page.fill("input[name=email]", "shenhe@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    nav = page.locator("nav.mainnav a").all_inner_texts()
    assert nav == ["队列", "文章", "原文", "授权登记", "报告"]
    assert "剩余" in page.locator("table.queue").inner_text()
    screenshot(page, "chinese-queue")
    first = page.locator("table.queue tbody tr").first.get_attribute("data-case")
    page.keyboard.press("j")  # the reviewer's shortcuts: j selects the first row, Enter opens
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/cases/{first}")
    page.goto(f"{live_server.url}/cases/{case.id}")
    text = page.locator("main").inner_text()
    assert "通知中涉及的网页" in text or "认领" in text
    assert "中国(信息网络传播权保护条例)" in text or "中国（信息网络传播权保护条例）" in text
    screenshot(page, "chinese-case")
