"""End to end in Chromium: a reviewer fixes the credit of an uncredited copy raised by matching.

The credit line reaches the site's webhook (a local HTTP server). Screenshots land in
test-artifacts/.
"""

import json

import pytest
from sqlmodel import select

from moderation import demo
from moderation.cases import webhook
from moderation.models import AuditEvent, Case
from moderation.plumbing.db import get_session

from ..conftest import PASSWORD, add_user
from ..support.browser import screenshot
from .test_browser_review import Site, site  # noqa: F401 (the webhook receiver fixture)

pytestmark = pytest.mark.browser


def test_reviewer_fixes_the_credit_of_a_review_item(app, live_server, page, site):  # noqa: F811
    app.config.update(WEBHOOK_URL=site, WEBHOOK_SECRET="a shared secret")
    demo.load(app, with_mail=False)
    add_user(app, "reviewer@example.org")
    with app.app_context():
        item = get_session().exec(select(Case).where(Case.kind == "review")).one()

    page.goto(live_server.url + "/login")
    page.fill("input[name=email]", "reviewer@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/?kind=review")
    assert page.locator(f"tr[data-case='{item.id}']").count() == 1
    screenshot(page, "proactive-1-queue")

    page.goto(f"{live_server.url}/cases/{item.id}")
    assert "Copy without credit" in page.locator("#review-reasons").inner_text()
    page.click("#review-reasons >> text=Side-by-side evidence")
    assert page.locator("mark").count() > 10
    page.go_back()
    form = page.locator("form.review-decide")
    assert form.locator("input[value=credit]").is_checked()
    assert form.locator("input[name=credit_line]").input_value() == \
        "来源:ABC News / Source: ABC News"
    screenshot(page, "proactive-2-item")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Recorded: Fix the credit.")

    with app.app_context():
        session = get_session()
        assert session.get(Case, item.id).status == "resolved_kept"
        settings = webhook.WebhookSettings.from_config(app.config)
        assert webhook.deliver_pending(session, settings).delivered == 1
        assert "review.credit" in session.exec(select(AuditEvent.action)).all()
    headers, body = Site.received[0]
    payload = json.loads(body)
    assert payload["event"] == "article.credit"
    assert payload["credit_line"] == "来源:ABC News / Source: ABC News"
    assert webhook.verify_signature("a shared secret", headers["X-Desk-Timestamp"], body,
                                    headers["X-Desk-Signature"])
    screenshot(page, "proactive-3-decided")
