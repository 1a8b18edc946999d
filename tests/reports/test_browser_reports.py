"""In Chromium: both reports render with their charts visible; screenshots in test-artifacts/."""

import pytest

from moderation.plumbing.db import transaction

from ..conftest import PASSWORD, add_user
from ..support.browser import screenshot
from .test_reports import make_dataset

pytestmark = pytest.mark.browser


def test_reports_render_with_visible_charts(app, live_server, page):
    with app.app_context(), transaction() as session:
        make_dataset(session)
    add_user(app, "reviewer@example.org")
    page.goto(live_server.url + "/login")
    page.fill("input[name=email]", "reviewer@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/reports/provenance")
    charts = page.locator("figure.chart svg")
    assert charts.count() == 2
    for n in range(2):
        box = charts.nth(n).bounding_box()
        assert charts.nth(n).is_visible() and box["width"] > 300 and box["height"] > 150
    # Bars are drawn: pygal's rects for values, with a real size on screen.
    widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        'figure.chart svg .series rect')].map(r => r.getBoundingClientRect().width))""")
    assert widest > 20
    assert page.locator("figure.chart svg text", has_text="美国广播公司新闻").count() >= 1
    assert page.evaluate("() => window.__xss === undefined")
    screenshot(page, "reports-1-provenance")

    page.goto(live_server.url + "/reports/transparency")
    timeline = page.locator("figure.chart svg")
    assert timeline.count() == 1 and timeline.first.bounding_box()["height"] > 150
    screenshot(page, "reports-2-transparency")
