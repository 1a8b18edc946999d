"""Request ids, JSON request lines, and no secrets in the logs."""

import io
import json
import logging
import re

import pytest

from moderation.plumbing import logs

from ..conftest import PASSWORD, add_user, dispose, make_test_app
from ..support.smtp import free_port

TOKEN = "tok_NeverLogThisBearerValue_0123456789"


@pytest.fixture
def captured():
    """Everything the desk logs, through its own filter and JSON format."""
    stream = io.StringIO()
    handler = logs.make_handler(stream, json_lines=True)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


@pytest.fixture
def json_app(tmp_path, database_url):
    app = make_test_app(tmp_path, database_url, LOG_JSON=True)
    yield app
    dispose(app)


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_each_response_gets_a_fresh_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    ids = {first.headers["X-Request-ID"], second.headers["X-Request-ID"]}
    assert len(ids) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_a_safe_request_id_from_the_proxy_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-4f1c.77:a_b"})
    assert response.headers["X-Request-ID"] == "edge-4f1c.77:a_b"


@pytest.mark.parametrize("offered", ["two words", "x" * 129, "id\u00e9", "-leading-dash", ""])
def test_an_unsafe_request_id_is_replaced(client, offered):
    response = client.get("/healthz", headers={"X-Request-ID": offered})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_json_mode_logs_one_line_per_request_with_its_fields(json_app, captured):
    response = json_app.test_client().get("/healthz?verbose=1",
                                          headers={"X-Request-ID": "req-42"})
    [entry] = [e for e in lines(captured) if e["logger"] == logs.REQUEST_LOGGER]
    assert entry["request_id"] == "req-42" == response.headers["X-Request-ID"]
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/healthz", 200)
    assert entry["level"] == "INFO" and entry["message"] == "GET /healthz 200"
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert entry["time"].endswith("+00:00") and "verbose" not in json.dumps(entry)


def test_plain_mode_writes_no_request_lines(app, captured):
    app.test_client().get("/healthz")
    assert not [e for e in lines(captured) if e["logger"] == logs.REQUEST_LOGGER]


def test_records_logged_during_a_request_carry_its_id(tmp_path, database_url, captured):
    app = make_test_app(tmp_path, database_url, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(),
                        SMTP_SECURITY="none")
    response = app.test_client().get("/readyz")
    dispose(app)
    warnings = [e for e in lines(captured) if e["logger"] == "moderation.web.health"]
    assert warnings and {e["request_id"] for e in warnings} == {response.headers["X-Request-ID"]}
    assert warnings[0]["path"] == "/readyz" and warnings[0]["level"] == "WARNING"


def test_records_outside_requests_have_no_request_id(captured):
    logging.getLogger("moderation.cli").warning("from a command")
    [entry] = lines(captured)
    assert entry["message"] == "from a command" and entry["request_id"] is None


def test_text_format_shows_the_request_id(tmp_path, database_url):
    app = make_test_app(tmp_path, database_url, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(),
                        SMTP_SECURITY="none")
    stream = io.StringIO()
    handler = logs.make_handler(stream)
    logging.getLogger().addHandler(handler)
    try:
        app.test_client().get("/readyz", headers={"X-Request-ID": "plain-7"})
        logging.getLogger("moderation.cli").warning("outside any request")
    finally:
        logging.getLogger().removeHandler(handler)
        dispose(app)
    text = stream.getvalue()
    assert re.search(r"WARNING moderation\.web\.health \[plain-7\] readiness: SMTP", text), text
    assert "WARNING moderation.cli [-] outside any request" in text


def test_passwords_tokens_and_query_strings_never_reach_the_log(json_app, captured):
    add_user(json_app, "logged@example.org")
    client = json_app.test_client()
    failed = client.post("/login", data={"email": "logged@example.org",
                                         "password": "wrong-" + PASSWORD})
    signed_in = client.post("/login?password=" + PASSWORD.replace(" ", "+"),
                            data={"email": "logged@example.org", "password": PASSWORD})
    api = client.get(f"/api/removed.json?since=2024-01-01&token={TOKEN}",
                     headers={"Authorization": f"Bearer {TOKEN}"})
    assert failed.status_code == 200 and signed_in.status_code == 302
    assert api.status_code == 401
    text = captured.getvalue()
    requests = [e for e in lines(captured) if e["logger"] == logs.REQUEST_LOGGER]
    assert [(e["method"], e["path"], e["status"]) for e in requests] == [
        ("POST", "/login", 200), ("POST", "/login", 302), ("GET", "/api/removed.json", 401)]
    for secret in (PASSWORD, PASSWORD.replace(" ", "+"), TOKEN, "since=", "Bearer"):
        assert secret not in text
