"""End to end in Chromium: a reviewer takes the demo takedown from the queue to a removal.

The reply reaches a real SMTP server, the removal reaches the site's webhook (a local HTTP
server), and the audit log shows every step. Screenshots land in test-artifacts/.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import select

from moderation import demo
from moderation.cases import webhook
from moderation.models import Article, AuditEvent, Case
from moderation.plumbing.db import get_session
from moderation.replies import outbox

from ..conftest import PASSWORD, add_user
from ..support.browser import screenshot

pytestmark = pytest.mark.browser


class Site(BaseHTTPRequestHandler):
    """The site's CMS end of the webhook: records what it is told."""

    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Site.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    Site.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/desk"
    server.shutdown()
    server.server_close()


def test_reviewer_removes_the_demo_article_from_the_queue(app, live_server, page, smtp_server,
                                                           site):
    app.config.update(MAIL_FROM="Desk <desk@uscntv.com>", WEBHOOK_URL=site,
                      WEBHOOK_SECRET="a shared secret")
    demo.load(app)
    add_user(app, "reviewer@example.org")
    with app.app_context():
        session = get_session()
        article = session.exec(select(Article)).one()
        case = next(c for c in session.exec(select(Case)) if c.jurisdiction == "US"
                    and c.target_count == 1 and c.supported_count == 1)

    page.goto(live_server.url + "/login")
    page.fill("input[name=email]", "reviewer@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.select_option("select[name=jurisdiction]", "US")
    page.select_option("select[name=verdict]", "all_supported")
    page.click("#queue-filters button[type=submit]")
    assert page.locator(f"tr[data-case='{case.id}']").count() == 1
    screenshot(page, "review-1-queue")

    page.click(f"tr[data-case='{case.id}'] td:nth-child(2) a")
    page.wait_for_url(f"{live_server.url}/cases/{case.id}")
    page.click("form[action$='/claim'] button")
    page.wait_for_selector("text=The case is yours.")
    page.click("text=Side-by-side evidence")
    assert page.locator("mark").count() > 10
    screenshot(page, "review-2-evidence")
    page.go_back()
    page.wait_for_url(f"{live_server.url}/cases/{case.id}")

    form = page.locator("form.decide")
    assert form.locator("input[value=remove]").is_checked()
    statement = form.locator("textarea[name=statement]").input_value()
    assert "What we restricted" in statement and article.url in statement
    screenshot(page, "review-3-case")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Decision recorded")
    assert "Removed" in page.locator(".casehead").inner_text()

    with app.app_context():
        session = get_session()
        assert session.get(Article, article.id).status == "removed"
        smtp = outbox.SMTPSettings(host="127.0.0.1", port=smtp_server.port, security="none",
                                   sender="Desk <desk@uscntv.com>", timeout=5)
        # The demo's acknowledgements of its four notices, and this decision.
        assert outbox.send_pending(session, smtp).sent == 5
        assert webhook.deliver_pending(session, webhook.WebhookSettings.from_config(app.config)
                                       ).delivered == 1
    ours = [m for m in smtp_server.messages if m["Subject"].startswith(f"[Case #{case.id}]")]
    assert len(ours) == 2  # acknowledgement, then the decision
    decision_mail = ours[-1]
    assert decision_mail["In-Reply-To"] == "<dmca-20220103-0001@disney.example>"
    headers, body = Site.received[0]
    payload = json.loads(body)
    assert payload["event"] == "article.removed" and payload["article_url"] == article.url
    assert webhook.verify_signature("a shared secret", headers["X-Desk-Timestamp"], body,
                                    headers["X-Desk-Signature"])

    with app.app_context():
        actions = get_session().exec(select(AuditEvent.action)).all()
    assert {"case.claim", "case.decide", "reply.sent"} <= set(actions)
    add_user(app, "admin@example.org", "admin")
    page.click("button:has-text('Sign out')")
    page.fill("input[name=email]", "admin@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(live_server.url + "/admin/audit?verify=1")
    audit_text = page.locator("main").inner_text()
    assert "Chain intact" in audit_text and "case.decide" in audit_text
    screenshot(page, "review-4-audit")
