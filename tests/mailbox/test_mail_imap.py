"""ImapSource against a real Dovecot: peek, acknowledge, resume, UIDVALIDITY change, MOVE."""

import itertools

import pytest

from moderation.mailbox import ImapSource, SourceError, parse_imap_key, parse_message
from tests.fixtures.mail.make_fixtures import message

pytestmark = pytest.mark.imap
_folders = itertools.count()


def mail(number: int) -> bytes:
    return message([f"From: sender{number}@example.org", f"Subject: imap message {number}",
                    f"Message-ID: <imap{number}@example.org>"], f"Body {number}.\n")


@pytest.fixture
def folder(dovecot):  # noqa: F811
    """A fresh folder holding three appended messages."""
    name = f"Test{next(_folders)}"
    with dovecot.client() as client:
        client.create_folder(name)
        for number in range(3):
            client.append(name, mail(number))
    return name


def source(server, folder_name: str, **options) -> ImapSource:
    return ImapSource(server.host, port=server.port, username=server.username,
                      password=server.password, folder=folder_name, security="plain", **options)


def subjects(fetched) -> list[str]:
    return [parse_message(raw).subject for _key, raw in fetched]


def test_fetching_peeks_and_acknowledging_marks_seen(dovecot, folder):  # noqa: F811
    with source(dovecot, folder, batch_size=2) as imap:
        fetched = list(imap)
        assert subjects(fetched) == ["imap message 0", "imap message 1", "imap message 2"]
        assert parse_message(fetched[0].raw).message_id == "<imap0@example.org>"
        key = parse_imap_key(fetched[0].key)
        assert (key.host, key.folder, key.uidvalidity) == (dovecot.host, folder, imap.uidvalidity)
        with dovecot.client() as client:
            client.select_folder(folder, readonly=True)
            assert client.search(["SEEN"]) == []  # BODY.PEEK[] leaves messages unread
        for item in fetched[:2]:
            imap.acknowledge(item.key)
        assert subjects(imap) == ["imap message 2"]
        imap.acknowledge(fetched[2].key)
        assert list(imap) == []
    with source(dovecot, folder) as again:
        assert list(again) == []


def test_a_stored_position_resumes_after_the_last_uid(dovecot, folder):  # noqa: F811
    with source(dovecot, folder) as first:
        fetched = list(first)
        position = (first.uidvalidity, first.highest_uid)
    assert position[1] == parse_imap_key(fetched[-1].key).uid
    with dovecot.client() as client:
        client.append(folder, mail(3))
    with source(dovecot, folder, uidvalidity=position[0], last_uid=position[1]) as resumed:
        assert subjects(resumed) == ["imap message 3"]
        assert not resumed.uidvalidity_changed


def test_a_changed_uidvalidity_is_reported_and_the_folder_offered_again(dovecot, folder):  # noqa: F811
    with source(dovecot, folder) as first:
        old_keys = [key for key, _raw in first]
        position = (first.uidvalidity, first.highest_uid)
    with dovecot.client() as client:
        client.delete_folder(folder)
        client.create_folder(folder)
        client.append(folder, mail(7))
        client.append(folder, mail(8))
    with source(dovecot, folder, uidvalidity=position[0], last_uid=position[1]) as resynced:
        assert subjects(resynced) == ["imap message 7", "imap message 8"]
        assert resynced.uidvalidity_changed
        assert resynced.uidvalidity != position[0]
        with pytest.raises(SourceError, match="UIDVALIDITY"):
            resynced.acknowledge(old_keys[0])


def test_acknowledging_moves_to_the_processed_folder(dovecot, folder):  # noqa: F811
    processed = f"{folder}-done"
    with source(dovecot, folder, processed_folder=processed) as imap:
        fetched = list(imap)
        imap.acknowledge(fetched[0].key)
        assert subjects(imap) == ["imap message 1", "imap message 2"]
    with dovecot.client() as client:
        client.select_folder(processed, readonly=True)
        moved = client.fetch(client.search(["ALL"]), [b"BODY.PEEK[]"])
        assert [parse_message(d[b"BODY[]"]).subject for d in moved.values()] == ["imap message 0"]
        client.select_folder(folder, readonly=True)
        assert len(client.search(["ALL"])) == 2


def test_a_refused_login_and_foreign_keys_are_plain_errors(dovecot, folder):  # noqa: F811
    wrong = ImapSource(dovecot.host, port=dovecot.port, username=dovecot.username,
                       password="wrong", folder=folder, security="plain")
    with pytest.raises(SourceError, match="refused the login"):
        list(wrong)
    with source(dovecot, folder) as imap, pytest.raises(SourceError, match="does not belong"):
        imap.acknowledge("imap:other.example/INBOX:1:1")
    with pytest.raises(SourceError, match="not an IMAP message key"):
        parse_imap_key("maildir:/x:y")
