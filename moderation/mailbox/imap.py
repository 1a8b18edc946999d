"""An IMAP mailbox as a mail source (IMAPClient; SSL, STARTTLS or plain for local tests)."""

import imaplib
import socket
import ssl
from collections.abc import Iterator
from typing import Literal, NamedTuple

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from moderation.mailbox.sources import Fetched, MailSource, SourceError

Security = Literal["ssl", "starttls", "plain"]
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}
_FAILURES = (IMAPClientError, imaplib.IMAP4.error, OSError, ssl.SSLError, socket.timeout)


class ImapKey(NamedTuple):
    """The parts of an IMAP source key ``imap:host/folder:uidvalidity:uid``."""

    host: str
    folder: str
    uidvalidity: int
    uid: int


def parse_imap_key(key: str) -> ImapKey:
    """Split an IMAP key into host, folder, UIDVALIDITY and UID."""
    try:
        location, uidvalidity, uid = key.removeprefix("imap:").rsplit(":", 2)
        host, folder = location.split("/", 1)
        return ImapKey(host, folder, int(uidvalidity), int(uid))
    except ValueError:
        raise SourceError(f"{key!r} is not an IMAP message key.") from None


def _shutdown(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except _FAILURES:
        pass


class ImapSource(MailSource):
    """Messages of one IMAP folder, fetched with BODY.PEEK[] (never marking them read).

    Acknowledging sets ``\\Seen`` or, with ``processed_folder``, moves the message there.
    Without a processed folder only unseen messages are offered; with one, every message
    still in the folder is. A message not acknowledged is offered again on the next pass.
    ``uidvalidity``/``last_uid`` is the caller's stored position (every UID up to it is
    committed): only later UIDs are offered. ``highest_uid`` is the highest UID offered so
    far, to store as the next position. When the server's UIDVALIDITY differs from the
    stored one, ``uidvalidity_changed`` is set, the position is dropped and the whole folder
    is offered again (the caller dedupes by sha256).
    """

    def __init__(
        self,
        host: str,
        *,
        username: str,
        password: str,
        port: int | None = None,
        folder: str = "INBOX",
        security: Security = "ssl",
        processed_folder: str | None = None,
        batch_size: int = 50,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = 30.0,
        uidvalidity: int | None = None,
        last_uid: int | None = None,
    ) -> None:
        if security not in DEFAULT_PORTS:
            raise ValueError(f"security must be ssl, starttls or plain, not {security!r}")
        self.host, self.port = host, port or DEFAULT_PORTS[security]
        self.username, self._password = username, password
        self.folder, self.processed_folder = folder, processed_folder
        self.security, self.ssl_context, self.timeout = security, ssl_context, timeout
        self.batch_size = max(1, batch_size)
        self.uidvalidity, self.last_uid = uidvalidity, last_uid
        self.highest_uid: int | None = None
        self.uidvalidity_changed = False
        self._client: IMAPClient | None = None
        self._selected = False

    @property
    def key_prefix(self) -> str:
        """Start of every key from this source, before ``uidvalidity:uid``."""
        return f"imap:{self.host}/{self.folder}"

    def connect(self) -> "ImapSource":
        """Log in, and create the processed folder when it is missing."""
        if self._client is not None:
            return self
        client = None
        try:
            client = IMAPClient(
                self.host,
                port=self.port,
                ssl=self.security == "ssl",
                ssl_context=self.ssl_context or ssl.create_default_context(),
                timeout=self.timeout,
            )
            if self.security == "starttls":
                client.starttls(self.ssl_context or ssl.create_default_context())
            client.login(self.username, self._password)
            if self.processed_folder and not client.folder_exists(self.processed_folder):
                client.create_folder(self.processed_folder)
        except _FAILURES as exc:
            if client is not None:
                _shutdown(client)
            if isinstance(exc, LoginError):
                raise SourceError(f"The IMAP server {self.host} refused the login.") from None
            raise SourceError(f"Cannot reach the IMAP server {self.host}: {exc}") from None
        self._client = client
        return self

    def _select(self, refresh: bool = True) -> IMAPClient:
        client = self.connect()._client
        assert client is not None
        if self._selected and not refresh:
            return client
        try:
            status = client.select_folder(self.folder)
        except _FAILURES as exc:
            raise SourceError(f"Cannot open the IMAP folder {self.folder!r}: {exc}") from None
        current = int(status[b"UIDVALIDITY"])
        if self.uidvalidity is not None and current != self.uidvalidity:
            # Old UIDs mean nothing now; start over and let sha256 dedupe catch repeats.
            self.uidvalidity_changed = True
            self.last_uid = self.highest_uid = None
        self.uidvalidity = current
        self._selected = True
        return client

    def _pending_uids(self, client: IMAPClient) -> list[int]:
        criteria: list = ["ALL"] if self.processed_folder else ["UNSEEN"]
        if self.last_uid is not None:
            criteria += ["UID", f"{self.last_uid + 1}:*"]
        uids = sorted(int(uid) for uid in client.search(criteria))
        # "n:*" always matches the highest UID, even one below n.
        return [uid for uid in uids if self.last_uid is None or uid > self.last_uid]

    def __iter__(self) -> Iterator[Fetched]:
        client = self._select()
        try:
            uids = self._pending_uids(client)
            for start in range(0, len(uids), self.batch_size):
                batch = uids[start:start + self.batch_size]
                response = client.fetch(batch, [b"BODY.PEEK[]"])
                for uid in batch:
                    data = response.get(uid, {})
                    raw = data.get(b"BODY[]")
                    if raw is None:
                        continue  # expunged by someone else between SEARCH and FETCH
                    yield Fetched(f"{self.key_prefix}:{self.uidvalidity}:{uid}", bytes(raw))
                    self.highest_uid = max(self.highest_uid or 0, uid)
        except _FAILURES as exc:
            raise SourceError(f"Fetching from {self.host} failed: {exc}") from None

    def acknowledge(self, key: str) -> None:
        """Mark the message seen, or move it to the processed folder."""
        parts = parse_imap_key(key)
        if f"imap:{parts.host}/{parts.folder}" != self.key_prefix:
            raise SourceError(f"Key {key!r} does not belong to this source.")
        client = self._select(refresh=False)
        if parts.uidvalidity != self.uidvalidity:
            raise SourceError(
                f"UIDVALIDITY of {self.folder!r} changed since {key!r} was fetched; fetch again."
            )
        try:
            if not self.processed_folder:
                client.add_flags([parts.uid], [b"\\Seen"])
            elif client.has_capability("MOVE"):
                client.move([parts.uid], self.processed_folder)
            else:
                client.copy([parts.uid], self.processed_folder)
                client.add_flags([parts.uid], [b"\\Deleted"])
                client.expunge([parts.uid] if client.has_capability("UIDPLUS") else None)
        except _FAILURES as exc:
            raise SourceError(f"Acknowledging {key!r} failed: {exc}") from None

    def close(self) -> None:
        """Log out; errors on the way out are ignored."""
        client, self._client = self._client, None
        self._selected = False
        if client is not None:
            try:
                client.logout()
            except _FAILURES:
                _shutdown(client)
