"""/healthz and /readyz against real servers (SQLite, aiosmtpd, Dovecot), and gunicorn."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from ..conftest import dispose, make_test_app
from ..support.smtp import Inbox, free_port

SECRET = "s3cret-Passw0rd-never-shown"
REPO = Path(__file__).resolve().parents[2]


def readiness(tmp_path, database_url, **config):
    app = make_test_app(tmp_path, database_url, **config)
    try:
        response = app.test_client().get("/readyz")
    finally:
        dispose(app)
    return response.status_code, response.get_json(), response.get_data(as_text=True)


def closed_port() -> int:
    return free_port()  # nothing listens there once the probe socket is closed


def test_healthz_answers_without_touching_the_database(tmp_path):
    app = make_test_app(tmp_path, f"sqlite:///{tmp_path / 'absent' / 'never.db'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert not (tmp_path / "absent" / "never.db").exists()


def test_ready_when_database_is_migrated_and_nothing_else_is_configured(tmp_path, database_url):
    status, body, _ = readiness(tmp_path, database_url)
    assert status == 200 and body["status"] == "ready"
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}
    assert body["checks"]["mailbox"] == {"ok": True, "detail": "maildir writable"}
    assert body["checks"]["smtp"] == {"ok": True, "detail": "not configured"}


def test_database_without_schema_is_not_ready(tmp_path):
    status, body, _ = readiness(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}")
    assert status == 503 and body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert "init-db" in body["checks"]["database"]["detail"]


def test_unreachable_database_is_not_ready_and_its_password_is_not_shown(tmp_path):
    url = f"postgresql+psycopg://desk:{SECRET}@127.0.0.1:{closed_port()}/desk"
    status, body, text = readiness(tmp_path, url)
    assert status == 503 and body["checks"]["database"] == {"ok": False, "detail": "unreachable"}
    assert SECRET not in text and "127.0.0.1" not in text


def test_maildir_that_cannot_be_created_is_not_ready(tmp_path, database_url):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    status, body, _ = readiness(tmp_path, database_url, MAILDIR=str(blocker / "mail"))
    assert status == 503
    assert body["checks"]["mailbox"] == {"ok": False, "detail": "maildir not writable"}


def test_smtp_server_that_answers_makes_the_desk_ready(tmp_path, database_url, smtp_server):
    status, body, _ = readiness(tmp_path, database_url, SMTP_HOST="127.0.0.1",
                                SMTP_PORT=smtp_server.port, SMTP_SECURITY="none")
    assert status == 200 and body["checks"]["smtp"] == {"ok": True, "detail": "answers"}


def test_unreachable_smtp_server_is_not_ready(tmp_path, database_url):
    status, body, _ = readiness(tmp_path, database_url, SMTP_HOST="127.0.0.1",
                                SMTP_PORT=closed_port(), SMTP_SECURITY="none")
    assert status == 503 and body["checks"]["smtp"] == {"ok": False, "detail": "unreachable"}


def test_silent_smtp_server_times_out_quickly(tmp_path, database_url, monkeypatch):
    from moderation.web import health

    monkeypatch.setattr(health, "TIMEOUT_SECONDS", 0.5)
    with socket.socket() as silent:  # accepts connections, never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        started = time.monotonic()
        status, body, _ = readiness(tmp_path, database_url, SMTP_HOST="127.0.0.1",
                                    SMTP_PORT=silent.getsockname()[1], SMTP_SECURITY="none")
    assert time.monotonic() - started < 5
    assert status == 503 and body["checks"]["smtp"]["ok"] is False


@pytest.fixture
def smtp_with_login():
    """aiosmtpd asking for a login (without TLS, for the test only)."""

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == SECRET.encode()
        return AuthResult(success=ok, handled=False)  # aiosmtpd answers 535 itself

    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    yield controller.port
    controller.stop()


@pytest.mark.parametrize(("password", "ok", "detail"),
                         [(SECRET, True, "login accepted"), ("wrong password", False,
                                                             "login refused")])
def test_smtp_login_is_tried_and_its_password_never_shown(
        tmp_path, database_url, smtp_with_login, password, ok, detail):
    status, body, text = readiness(tmp_path, database_url, SMTP_HOST="127.0.0.1",
                                   SMTP_PORT=smtp_with_login, SMTP_SECURITY="none",
                                   SMTP_USER="desk", SMTP_PASSWORD=password)
    assert body["checks"]["smtp"] == {"ok": ok, "detail": detail}
    assert status == (200 if ok else 503)
    assert password not in text and "desk" not in text


def imap_config(server, **changes):
    config = {"IMAP_HOST": server.host, "IMAP_PORT": server.port, "IMAP_SECURITY": "plain",
              "IMAP_USER": server.username, "IMAP_PASSWORD": server.password}
    config.update(changes)
    return config


@pytest.mark.imap
def test_imap_mailbox_that_accepts_the_login_makes_the_desk_ready(
        tmp_path, database_url, dovecot):
    status, body, text = readiness(tmp_path, database_url, **imap_config(dovecot))
    assert status == 200 and body["checks"]["mailbox"] == {"ok": True, "detail": "login accepted"}
    assert dovecot.password not in text and dovecot.username not in text


@pytest.mark.imap
def test_imap_mailbox_refusing_the_login_is_not_ready(tmp_path, database_url, dovecot):
    status, body, text = readiness(tmp_path, database_url,
                                   **imap_config(dovecot, IMAP_PASSWORD=SECRET))
    assert status == 503 and body["checks"]["mailbox"] == {"ok": False, "detail": "login refused"}
    assert SECRET not in text


def test_unreachable_imap_server_is_not_ready(tmp_path, database_url):
    config = {"IMAP_HOST": "127.0.0.1", "IMAP_PORT": closed_port(), "IMAP_SECURITY": "plain",
              "IMAP_USER": "desk", "IMAP_PASSWORD": SECRET}
    status, body, text = readiness(tmp_path, database_url, **config)
    assert status == 503 and body["checks"]["mailbox"] == {"ok": False, "detail": "unreachable"}
    assert SECRET not in text


def test_gunicorn_serves_the_app_with_the_packaged_configuration(tmp_path, database_url):
    port = free_port()
    env = {**os.environ, "MODERATION_BIND": f"127.0.0.1:{port}", "MODERATION_WORKERS": "1",
           "MODERATION_INSTANCE_PATH": str(tmp_path / "instance"),
           "MODERATION_DATABASE_URL": database_url, "MODERATION_DEFAULT_LOCALE": "en",
           "PYTHONPATH": str(REPO),
           # gunicorn's control socket goes here, not where another server may have its own.
           "XDG_RUNTIME_DIR": str(tmp_path)}
    env.pop("MODERATION_LOG_JSON", None)
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:moderation.gunicorn_conf",
             "moderation:create_app()"], cwd=tmp_path, env=env, stdout=log, stderr=log)
        try:
            response = _wait_for(f"http://127.0.0.1:{port}/healthz?token=hidden-query", server)
            assert response.status_code == 200 and response.json() == {"status": "ok"}
            ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
            assert ready.status_code == 200, ready.text
        finally:
            server.terminate()
            server.wait(timeout=30)
    output = log_path.read_text(errors="replace")
    request_id = response.headers["X-Request-ID"]
    access = [line for line in output.splitlines() if request_id in line]
    assert access and '"GET /healthz HTTP/1.1" 200' in access[0], output
    assert "hidden-query" not in output


def _wait_for(url: str, server: subprocess.Popen, timeout: float = 30.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.returncode}")
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer in time")


def test_gunicorn_configuration_reads_bind_and_workers(monkeypatch):
    import importlib

    from moderation import gunicorn_conf

    monkeypatch.setenv("MODERATION_BIND", "0.0.0.0:9001")
    monkeypatch.setenv("MODERATION_WORKERS", "3")
    conf = importlib.reload(gunicorn_conf)
    assert conf.bind == "0.0.0.0:9001" and conf.workers == 3 and conf.preload_app is False
    monkeypatch.delenv("MODERATION_BIND")
    monkeypatch.delenv("MODERATION_WORKERS")
    conf = importlib.reload(gunicorn_conf)
    assert conf.bind == "127.0.0.1:8000" and 3 <= conf.workers <= 8
    assert conf.worker_tmp_dir == ("/dev/shm" if os.path.isdir("/dev/shm") else None)
    assert "%({x-request-id}o)s" in conf.access_log_format and "%(q)s" not in conf.access_log_format
