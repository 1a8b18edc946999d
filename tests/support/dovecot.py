"""A throw-away Dovecot IMAP server for tests (the `dovecot` fixture, shared through conftest).

The server runs from its own configuration in a temporary folder on a free port, with one
user (plain-text login, no TLS), and is stopped by the process id it was started with.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "desk@example.org"
PASSWORD = "a-test-password"
CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{tmp}/mail/%u
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={tmp}/mail/%u
}}
"""


@dataclass
class DovecotServer:
    """Where the test server listens and how to log in."""

    host: str
    port: int
    username: str
    password: str
    folder: Path

    def client(self) -> IMAPClient:
        """A logged-in IMAP client (plain connection) for arranging test mailboxes."""
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(self.username, self.password)
        return client

    def log(self) -> str:
        """The server's log, for failure messages."""
        path = self.folder / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def _prepare(tmp: Path, port: int) -> Path:
    # Dovecot's auth and mail processes run as the dovecot user and must enter the folder.
    os.chmod(tmp, 0o755)
    for sub in ("run", "state", "mail"):
        (tmp / sub).mkdir()
    (tmp / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    os.chmod(tmp / "users", 0o644)
    config = tmp / "dovecot.conf"
    config.write_text(CONFIG.format(tmp=tmp, port=port))
    shutil.chown(tmp / "mail", "dovecot", "dovecot")
    return config


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A running Dovecot for the test session; skipped only when Dovecot is not installed."""
    if not os.path.exists(DOVECOT):
        pytest.skip("the dovecot binary is not installed (apt-get install dovecot-imapd)")
    tmp = Path(tempfile.mkdtemp(prefix="dovecot-test-", dir="/tmp"))
    port = _free_port()
    config = _prepare(tmp, port)
    output = open(tmp / "stdout.log", "wb")  # a file, not a pipe: a full pipe would block it
    process = subprocess.Popen(
        [DOVECOT, "-c", str(config), "-F"], stdout=output, stderr=subprocess.STDOUT
    )
    server = DovecotServer("127.0.0.1", port, USER, PASSWORD, tmp)
    try:
        if not _wait_for_port(port, process):
            started = (tmp / "stdout.log").read_text(errors="replace")
            raise RuntimeError(f"Dovecot did not start on port {port}:\n{started}\n{server.log()}")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        output.close()
        shutil.rmtree(tmp, ignore_errors=True)
