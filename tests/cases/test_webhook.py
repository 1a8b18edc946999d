"""Webhook deliveries: signatures, retries with backoff, giving up, one send per delivery."""

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from moderation.cases import webhook
from moderation.models import AuditEvent, Setting, WebhookDelivery, utcnow
from moderation.plumbing import audit, site_settings
from moderation.plumbing.config import ConfigError, build_config
from moderation.plumbing.db import get_session

from ..support.smtp import free_port

SECRET = "shared-secret-for-tests"


class Receiver(ThreadingHTTPServer):
    """The site's end: records every POST and answers as `plan` says (then 200)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.plan: list[int | str] = []
        self.delay = 0.0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/desk"


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            self.server.received.append((dict(self.headers.items()), body))
            action = self.server.plan.pop(0) if self.server.plan else 200
        time.sleep(self.server.delay)
        if action == "sleep":
            time.sleep(1.0)  # longer than the client's timeout
            return
        self.send_response(int(action))
        self.send_header("Content-Length", "2")
        self.end_headers()
        try:
            self.wfile.write(b"no")
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    httpd = Receiver()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _settings(url: str, timeout: float = 2.0) -> webhook.WebhookSettings:
    return webhook.WebhookSettings(url=url, secret=SECRET, timeout=timeout)


def _queue(session, n: int = 1) -> list[int]:
    ids = []
    for i in range(n):
        delivery = webhook.queue_event(
            session, event="article.removed",
            payload={"article_url": f"https://uscntv.com/a/{i}.html", "status": "removed",
                     "reason": "copyright", "decided_at": utcnow()},
        )
        ids.append(delivery.id)
    session.commit()
    return ids


def _actions(session) -> list[str]:
    return session.exec(select(AuditEvent.action).order_by(AuditEvent.seq)).all()


def test_delivery_reaches_the_site_with_a_signature_that_verifies(app, receiver):
    with app.app_context():
        session = get_session()
        [delivery_id] = _queue(session)
        report = webhook.deliver_pending(session, _settings(receiver.url))
        assert (report.delivered, report.waiting, report.failed) == (1, 0, 0)
        [(headers, body)] = receiver.received
        assert headers["Content-Type"] == "application/json"
        assert headers["X-Desk-Event"] == "article.removed"
        assert headers["X-Desk-Delivery"] == str(delivery_id)
        timestamp, signature = headers["X-Desk-Timestamp"], headers["X-Desk-Signature"]
        assert signature.startswith("sha256=")
        assert webhook.verify_signature(SECRET, timestamp, body, signature)
        assert not webhook.verify_signature("another secret", timestamp, body, signature)
        assert not webhook.verify_signature(SECRET, timestamp, body.replace(b"/0", b"/9"),
                                            signature)
        document = json.loads(body)
        assert document["event"] == "article.removed"
        assert document["article_url"] == "https://uscntv.com/a/0.html"
        assert document["delivery_id"] == delivery_id
        stored = session.get(WebhookDelivery, delivery_id)
        assert (stored.status, stored.attempts, stored.last_status) == ("delivered", 1, 200)
        assert stored.delivered_at is not None
        assert _actions(session) == ["webhook.queue", "webhook.delivered"]
        # Nothing left to do: a second pass sends nothing.
        assert webhook.deliver_pending(session, _settings(receiver.url)).delivered == 0
        assert len(receiver.received) == 1


def test_verify_signature_refuses_stale_timestamps_and_malformed_headers():
    body = b'{"event":"article.removed"}'
    now = 1_700_000_000
    good = webhook.sign(SECRET, now, body)
    assert webhook.verify_signature(SECRET, str(now), body, good, now=now + 60)
    assert not webhook.verify_signature(SECRET, str(now), body, good, now=now + 301)
    assert webhook.verify_signature(SECRET, str(now), body, good, max_age=None, now=now + 9999)
    assert not webhook.verify_signature(SECRET, "yesterday", body, good, now=now)
    assert not webhook.verify_signature(SECRET, str(now), body, None, now=now)
    assert not webhook.verify_signature(SECRET, str(now), body, good[len("sha256="):], now=now)
    assert not webhook.verify_signature("", str(now), body, webhook.sign("", now, body), now=now)


@pytest.mark.parametrize(("answer", "words", "status"), [
    (500, "answered 500", 500),
    ("sleep", "no answer from 127.0.0.1 within 0.3 seconds", None),
    (302, "answered 302", 302),  # redirects are not followed: the site must answer itself
])
def test_failed_attempt_is_retried_after_the_backoff_and_then_delivered(
    app, receiver, answer, words, status
):
    receiver.plan = [answer]
    settings = _settings(receiver.url, timeout=0.3)
    with app.app_context():
        session = get_session()
        [delivery_id] = _queue(session)
        start = utcnow()
        report = webhook.deliver_pending(session, settings, now=start)
        assert (report.delivered, report.waiting, report.failed) == (0, 1, 0)
        stored = session.get(WebhookDelivery, delivery_id)
        assert (stored.status, stored.attempts, stored.last_status) == ("pending", 1, status)
        assert words in stored.last_error
        assert stored.next_attempt_at == start + timedelta(minutes=1)
        # Not due yet: nothing is sent again before the backoff has passed.
        assert webhook.deliver_pending(session, settings, now=start + timedelta(seconds=59)) \
            == webhook.DeliveryReport(0, 0, 0)
        assert len(receiver.received) == 1
        later = webhook.deliver_pending(session, settings, now=start + timedelta(minutes=1))
        assert later.delivered == 1 and len(receiver.received) == 2
        stored = session.get(WebhookDelivery, delivery_id)
        assert (stored.status, stored.attempts, stored.last_error) == ("delivered", 2, None)
        assert _actions(session) == ["webhook.queue", "webhook.retry", "webhook.delivered"]
        retry = session.exec(select(AuditEvent).where(AuditEvent.action == "webhook.retry")).one()
        assert retry.actor == "webhook" and retry.object_type == "webhook"
        assert retry.object_id == str(delivery_id) and words in retry.after["error"]


def test_backoff_doubles_from_one_minute_and_stops_at_two_hours():
    minutes = [webhook.backoff(n).total_seconds() / 60 for n in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 120, 120]


def test_delivery_is_failed_after_ten_attempts(app):
    dead = _settings(f"http://127.0.0.1:{free_port()}/hooks")
    with app.app_context():
        session = get_session()
        [delivery_id] = _queue(session)
        now, outcomes = utcnow(), []
        for _ in range(webhook.MAX_ATTEMPTS):
            report = webhook.deliver_pending(session, dead, now=now)
            outcomes.append((report.waiting, report.failed))
            stored = session.get(WebhookDelivery, delivery_id)
            if stored.next_attempt_at is not None:
                now = stored.next_attempt_at
        assert outcomes == [(1, 0)] * 9 + [(0, 1)]
        assert (stored.status, stored.attempts, stored.next_attempt_at) == ("failed", 10, None)
        assert "cannot reach 127.0.0.1" in stored.last_error
        assert webhook.deliver_pending(session, dead, now=now + timedelta(days=1)).failed == 0
        actions = _actions(session)
        assert actions.count("webhook.retry") == 9 and actions[-1] == "webhook.failed"
        assert audit.verify(session).ok


def test_concurrent_workers_send_each_delivery_once(any_app, receiver, monkeypatch):
    workers = 2
    receiver.delay = 0.02  # keep each request on the wire long enough for workers to overlap
    with any_app.app_context():
        ids = _queue(get_session(), 8)
    start, errors, reports = threading.Barrier(workers), [], []
    both_looked, waited = threading.Barrier(workers), set()
    execute = Session.execute

    def execute_after_both_looked(self, statement, *args, **kwargs):
        # Each worker's first claim waits until both have read the queue, so they race for
        # the same rows every time instead of only when the scheduler happens to interleave.
        if isinstance(statement, sa.Update) and threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            both_looked.wait(timeout=5)
        return execute(self, statement, *args, **kwargs)

    monkeypatch.setattr(Session, "execute", execute_after_both_looked)

    def work():
        try:
            with any_app.app_context():
                start.wait(timeout=5)
                reports.append(webhook.deliver_pending(get_session(), _settings(receiver.url)))
        except Exception as exc:  # surfaced below: an exception in a thread is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.undo()
    assert errors == []
    sent = sorted(int(headers["X-Desk-Delivery"]) for headers, _ in receiver.received)
    assert sent == ids
    assert sum(r.delivered for r in reports) == len(ids)
    assert all(r.delivered for r in reports)  # both workers did share the work
    with any_app.app_context():
        session = get_session()
        rows = session.exec(select(WebhookDelivery)).all()
        assert {(r.status, r.attempts) for r in rows} == {("delivered", 1)}
        assert _actions(session).count("webhook.delivered") == len(ids)
        assert audit.verify(session).ok


def test_queue_event_refuses_unknown_events_and_payloads_that_are_not_json(app):
    with app.app_context():
        session = get_session()
        with pytest.raises(webhook.WebhookError, match="unknown webhook event"):
            webhook.queue_event(session, event="article.deleted", payload={})
        with pytest.raises(webhook.WebhookError, match="cannot be sent as JSON"):
            webhook.queue_event(session, event="article.credit", payload={"x": object()})
        with pytest.raises(webhook.WebhookError, match="payload says"):
            webhook.queue_event(session, event="article.credit",
                                payload={"event": "article.removed"})


def test_queued_event_is_kept_only_when_the_caller_commits(app):
    with app.app_context():
        session = get_session()
        delivery = webhook.queue_event(session, event="article.restored",
                                       payload={"article_url": "https://uscntv.com/r.html"},
                                       article_id=None, case_id=None)
        assert delivery.payload["event"] == "article.restored"
        session.rollback()
        assert session.exec(select(WebhookDelivery)).all() == []


def test_settings_come_from_the_config_and_the_secret_only_from_the_environment(tmp_path):
    assert webhook.WebhookSettings.from_config({"WEBHOOK_URL": ""}) is None
    settings = webhook.WebhookSettings.from_config(
        {"WEBHOOK_URL": "https://cms.example/hooks?key=k", "WEBHOOK_SECRET": "s"})
    assert (settings.url, settings.secret, settings.timeout) == \
        ("https://cms.example/hooks?key=k", "s", 10.0)
    assert settings.host == "cms.example"
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET must be set"):
        webhook.WebhookSettings.from_config({"WEBHOOK_URL": "https://cms.example/hooks"})
    with pytest.raises(ConfigError, match="http:// or https://"):
        webhook.WebhookSettings.from_config({"WEBHOOK_URL": "ftp://cms.example",
                                             "WEBHOOK_SECRET": "s"})
    (tmp_path / "config.toml").write_text('webhook_secret = "in a file"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET must come from the environment"):
        build_config(tmp_path)


def test_webhooks_send_and_list_commands(app, runner, receiver):
    refused = runner.invoke(args=["webhooks", "send"])
    assert refused.exit_code == 1 and "no webhook address is configured" in refused.output
    with app.app_context():
        session = get_session()
        _queue(session, 2)
        # The address as saved on the admin settings page; the secret from the environment.
        session.add(Setting(key=site_settings.SITE_KEY, value={"WEBHOOK_URL": receiver.url}))
        session.commit()
    app.config.update(WEBHOOK_SECRET=SECRET)
    receiver.plan = [503]
    sent = runner.invoke(args=["webhooks", "send"])
    assert sent.exit_code == 0, sent.output
    assert "webhooks: 1 delivered, 1 waiting to retry, 0 failed" in sent.output
    listing = runner.invoke(args=["webhooks", "list"])
    assert listing.exit_code == 0, listing.output
    first, second = listing.output.splitlines()  # newest first
    assert first.startswith("2\tarticle.removed\tdelivered\t1 attempt(s)")
    assert second.startswith("1\tarticle.removed\tpending\t1 attempt(s)")
    assert "https://uscntv.com/a/0.html" in second and "answered 503" in second
