"""Webhook deliveries: tell the site's CMS which articles we removed, restored or re-credited.

Each event is queued in the database with the change that caused it and POSTed later as JSON
to `WEBHOOK_URL`. A delivery is retried with growing pauses (1, 2, 4 ... minutes, at most two
hours) until the site answers 2xx, and is marked "failed" after 10 attempts. A delivery may
arrive more than once (after a crash mid-send): the site keeps the `X-Desk-Delivery` ids it has
handled and ignores repeats.

Every request carries

    Content-Type: application/json
    X-Desk-Event: article.removed            (or article.restored, article.credit)
    X-Desk-Delivery: 42                      (the delivery id, also "delivery_id" in the body)
    X-Desk-Timestamp: 1717000000             (Unix seconds when the request was signed)
    X-Desk-Signature: sha256=<hex>

How the site verifies a request, with the secret it shares with the desk (`WEBHOOK_SECRET`):

1. take the raw request body as bytes, before any JSON parsing;
2. compute HMAC-SHA256 with the secret over `<X-Desk-Timestamp>` + "." + body;
3. compare its hex digest with the part after "sha256=" in constant time
   (`hmac.compare_digest` in Python, `hash_equals` in PHP);
4. refuse the request unless the timestamp is within five minutes of the site's clock, so a
   captured request cannot be replayed later.

`verify_signature()` below does exactly that and can be copied into the site's code.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import WebhookDelivery, utcnow
from ..plumbing import audit
from ..plumbing.config import ConfigError

# photo.removed / photo.replaced: one picture of the page taken down or replaced, the text kept.
EVENTS = ("article.removed", "article.restored", "article.credit", "photo.removed",
          "photo.replaced")
MAX_ATTEMPTS = 10
SIGNATURE_PREFIX = "sha256="
# While one worker sends a delivery, others leave it alone for this long; if the worker dies
# mid-send the delivery becomes due again afterwards.
MIN_LEASE = timedelta(minutes=5)


class WebhookError(ValueError):
    """An event that cannot be queued as given; the message says why."""


@dataclass
class WebhookSettings:
    """Where events go and the secret that signs them (the secret comes from the environment)."""

    url: str
    secret: str
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: dict) -> "WebhookSettings | None":
        url = str(config.get("WEBHOOK_URL") or "").strip()
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"WEBHOOK_URL must be an http:// or https:// address, not {url!r}")
        secret = str(config.get("WEBHOOK_SECRET") or "")
        if not secret:
            raise ConfigError("WEBHOOK_SECRET must be set (in the environment, as "
                              "MODERATION_WEBHOOK_SECRET) when WEBHOOK_URL is set")
        return cls(url=url, secret=secret)

    @property
    def host(self) -> str:
        """The site's host, for messages (the URL itself may hold a key in its query)."""
        return urlsplit(self.url).hostname or "the site"


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be sent as JSON")


def queue_event(
    session: Session, *, event: str, payload: dict, case_id: int | None = None,
    article_id: int | None = None,
) -> WebhookDelivery:
    """Queue one event for the site; the caller commits it together with its own change."""
    if event not in EVENTS:
        raise WebhookError(f"unknown webhook event {event!r}; expected one of {', '.join(EVENTS)}")
    if payload.get("event", event) != event:
        raise WebhookError(f"the payload says {payload['event']!r} but the event is {event!r}")
    try:
        plain = json.loads(json.dumps({**payload, "event": event}, default=_json_default))
    except (TypeError, ValueError) as exc:
        raise WebhookError(f"the payload cannot be sent as JSON: {exc}") from None
    delivery = WebhookDelivery(event=event, payload=plain, case_id=case_id, article_id=article_id,
                               status="pending", next_attempt_at=utcnow())
    session.add(delivery)
    session.flush()
    audit.record(session, "webhook.queue", actor="webhook", object_type="webhook",
                 object_id=delivery.id,
                 after={"event": event, "case_id": case_id, "article_id": article_id})
    return delivery


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes POSTed for a delivery (keys sorted, so every retry sends the same)."""
    document = {**delivery.payload, "delivery_id": delivery.id}
    return json.dumps(document, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def sign(secret: str, timestamp: str | int, body: str | bytes) -> str:
    """The X-Desk-Signature value for a body sent at a timestamp."""
    message = _as_bytes(str(timestamp)) + b"." + _as_bytes(body)
    return SIGNATURE_PREFIX + hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str, timestamp: str | int, body: str | bytes, header: str | None, *,
    max_age: float | None = 300.0, now: float | None = None,
) -> bool:
    """Whether a request's X-Desk-Signature matches; `max_age` seconds of clock skew allowed."""
    if not header or not secret:
        return False
    if max_age is not None:
        try:
            sent = int(str(timestamp).strip())
        except ValueError:
            return False
        if abs((time.time() if now is None else now) - sent) > max_age:
            return False
    expected = sign(secret, str(timestamp).strip(), body)
    return hmac.compare_digest(expected.encode("ascii"), header.strip().encode("utf-8"))


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after the first, second, third failure; at most two hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


@dataclass
class DeliveryReport:
    """What one pass did: delivered now, waiting to retry, given up on."""

    delivered: int = 0
    waiting: int = 0
    failed: int = 0


def _claim(session: Session, now: datetime, after_id: int,
           lease: timedelta) -> WebhookDelivery | None:
    """Take the next due delivery for this worker, or None when nothing is left.

    FOR UPDATE SKIP LOCKED keeps PostgreSQL workers off each other's rows; the conditional
    UPDATE does the same on SQLite, which has no row locks, and the lease it writes keeps
    other workers away while the request is on the wire, without holding a transaction open.
    """
    while True:
        delivery = session.exec(
            select(WebhookDelivery)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
                   WebhookDelivery.id > after_id)
            .order_by(WebhookDelivery.id).limit(1).with_for_update(skip_locked=True)
        ).first()
        if delivery is None:
            session.commit()  # ends the read; nothing of ours is pending
            return None
        taken = session.execute(
            sa.update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery.id, WebhookDelivery.status == "pending",
                   WebhookDelivery.next_attempt_at <= now)
            .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=now + lease)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
        if taken == 1:
            session.refresh(delivery)
            return delivery
        after_id = delivery.id  # another worker took it between our read and our write


def _post(client: httpx.Client, settings: WebhookSettings,
          delivery: WebhookDelivery) -> tuple[int | None, str | None]:
    """Send one delivery; the HTTP status (if any) and an error in words (None on success)."""
    body = body_of(delivery)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Desk-Event": delivery.event,
        "X-Desk-Delivery": str(delivery.id),
        "X-Desk-Timestamp": timestamp,
        "X-Desk-Signature": sign(settings.secret, timestamp, body),
    }
    try:
        response = client.post(settings.url, content=body, headers=headers)
    except httpx.TimeoutException:
        return None, f"no answer from {settings.host} within {settings.timeout:g} seconds"
    except httpx.ConnectError as exc:
        return None, f"cannot reach {settings.host}: {exc}"
    except httpx.HTTPError as exc:
        return None, f"the request to {settings.host} failed: {exc}"
    if 200 <= response.status_code < 300:
        return response.status_code, None
    answer = " ".join(response.text[:200].split())
    error = f"{settings.host} answered {response.status_code} {response.reason_phrase}".strip()
    return response.status_code, f"{error}: {answer}" if answer else error


def _record(session: Session, delivery: WebhookDelivery, status: int | None, error: str | None,
            now: datetime, report: DeliveryReport) -> None:
    delivery.last_status = status
    after: dict = {"event": delivery.event, "attempt": delivery.attempts, "http_status": status}
    if error is None:
        delivery.status, delivery.delivered_at = "delivered", now
        delivery.last_error, delivery.next_attempt_at = None, None
        action = "webhook.delivered"
        report.delivered += 1
    else:
        delivery.last_error = error[:2000]
        after["error"] = delivery.last_error
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = "failed", None
            action = "webhook.failed"
            report.failed += 1
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            after["next_attempt_at"] = delivery.next_attempt_at
            action = "webhook.retry"
            report.waiting += 1
    session.add(delivery)
    audit.record(session, action, actor="webhook", object_type="webhook", object_id=delivery.id,
                 after=after)
    session.commit()


def deliver_pending(
    session: Session, settings: WebhookSettings, *, now: datetime | None = None, limit: int = 100
) -> DeliveryReport:
    """POST the deliveries that are due, each committed with its outcome as soon as it is known.

    No transaction is held during a request: the audit log's lock is taken only to write an
    outcome, so decisions taken meanwhile never wait for a slow site.
    """
    now = now or utcnow()
    lease = max(MIN_LEASE, timedelta(seconds=settings.timeout * 10))
    report, last_id, client = DeliveryReport(), 0, None
    try:
        for _ in range(limit):
            delivery = _claim(session, now, last_id, lease)
            if delivery is None:
                break
            last_id = delivery.id
            # Made only when there is something to send: building its TLS context takes time.
            client = client or httpx.Client(timeout=settings.timeout, follow_redirects=False,
                                            headers={"User-Agent": "moderation-desk-webhook/1"})
            status, error = _post(client, settings, delivery)
            _record(session, delivery, status, error, now, report)
    finally:
        if client is not None:
            client.close()
    return report
