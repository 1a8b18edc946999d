"""Maildir, mbox and .eml sources: stable keys, exact bytes, acknowledge after commit, locks."""

import subprocess
import sys
from pathlib import Path

import pytest

from moderation.mailbox import (
    EmlSource,
    MaildirSource,
    MboxSource,
    SourceError,
    open_source,
    parse_message,
)
from tests.fixtures.mail.make_fixtures import message


def mail(number: int, body: str = "") -> bytes:
    return message(
        [f"From: sender{number}@example.org", f"Subject: message {number}",
         f"Message-ID: <m{number}@example.org>"],
        body or f"Body of message {number}.\n",
    )


def make_maildir(root: Path, count: int) -> Path:
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True)
    for number in range(count):
        (root / "new" / f"1641000000.M{number}P1.host").write_bytes(mail(number))
    return root


def test_maildir_offers_new_messages_and_acknowledging_moves_them_to_cur(tmp_path):
    box = make_maildir(tmp_path / "inbox", 3)
    source = MaildirSource(box)
    fetched = list(source)
    assert [raw for _key, raw in fetched] == [mail(0), mail(1), mail(2)]
    assert fetched[0].key == f"maildir:{box.resolve()}:1641000000.M0P1.host"
    source.acknowledge(fetched[0].key)
    assert (box / "cur" / "1641000000.M0P1.host:2,S").exists()
    assert [key for key, _raw in MaildirSource(box)] == [fetched[1].key, fetched[2].key]
    source.acknowledge(fetched[0].key)  # acknowledging twice is harmless


def test_maildir_can_also_offer_unseen_messages_in_cur(tmp_path):
    box = make_maildir(tmp_path / "inbox", 1)
    (box / "cur" / "1641000001.M9P1.host:2,F").write_bytes(mail(9))
    (box / "cur" / "1641000002.M8P1.host:2,S").write_bytes(mail(8))
    keys = [key for key, _raw in MaildirSource(box, include_unseen_cur=True)]
    assert [key.rsplit(":", 1)[1] for key in keys] == ["1641000000.M0P1.host", "1641000001.M9P1.host"]
    source = MaildirSource(box, include_unseen_cur=True)
    source.acknowledge(keys[1])
    assert (box / "cur" / "1641000001.M9P1.host:2,FS").exists()


def test_maildir_refuses_foreign_keys_and_folders_that_are_not_maildirs(tmp_path):
    box = make_maildir(tmp_path / "inbox", 1)
    with pytest.raises(SourceError, match="does not belong"):
        MaildirSource(box).acknowledge("maildir:/elsewhere:1641000000.M0P1.host")
    with pytest.raises(SourceError, match="no longer in"):
        MaildirSource(box).acknowledge(f"maildir:{box.resolve()}:gone")
    with pytest.raises(SourceError, match="not a Maildir"):
        MaildirSource(tmp_path)


def write_mbox(path: Path, messages: list[bytes]) -> None:
    with open(path, "wb") as handle:
        for raw in messages:
            handle.write(b"From MAILER-DAEMON Thu Jan  6 10:00:00 2022\n")
            handle.write(raw.replace(b"\r\n", b"\n"))
            handle.write(b"\n")


def test_mbox_gives_each_message_with_a_content_key_and_leaves_the_file_alone(tmp_path):
    path = tmp_path / "archive.mbox"
    tricky = mail(2, "Quoted below:\nFrom here on, a line starts with From.\n\n>From the archive\n")
    originals = [mail(0), mail(1), tricky]
    write_mbox(path, originals)
    before = path.read_bytes()
    fetched = list(MboxSource(path))
    assert [raw for _key, raw in fetched] == [m.replace(b"\r\n", b"\n") for m in originals]
    assert [parse_message(raw).subject for _key, raw in fetched] == [
        "message 0", "message 1", "message 2"]
    assert [key for key, _raw in MboxSource(path)] == [key for key, _raw in fetched]
    source = MboxSource(path)
    source.acknowledge(fetched[0].key)
    assert source.acknowledged == {fetched[0].key}
    assert path.read_bytes() == before


def test_mbox_waits_for_a_writer_lock_and_then_gives_up(tmp_path):
    path = tmp_path / "locked.mbox"
    write_mbox(path, [mail(0)])
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys, time\n"
         f"handle = open({str(path)!r}, 'r+b')\n"
         "fcntl.lockf(handle, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\n"
         "time.sleep(30)\n"],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"locked"
        with pytest.raises(SourceError, match="locked by another program"):
            list(MboxSource(path, lock_timeout=0.3))
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert len(list(MboxSource(path))) == 1


def test_mbox_respects_a_dot_lock(tmp_path):
    path = tmp_path / "dotted.mbox"
    write_mbox(path, [mail(0)])
    (tmp_path / "dotted.mbox.lock").write_text("")
    with pytest.raises(SourceError, match="locked"):
        list(MboxSource(path, lock_timeout=0.2))


def test_eml_files_and_folders_are_read_and_optionally_moved_when_processed(tmp_path):
    folder = tmp_path / "drop"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.eml").write_bytes(mail(0))
    (folder / "sub" / "b.EML").write_bytes(mail(1))
    (folder / "notes.txt").write_text("not mail")
    single = list(EmlSource(folder / "a.eml"))
    assert single == [(f"eml:{(folder / 'a.eml').resolve()}", mail(0))]
    done = tmp_path / "done"
    source = EmlSource(folder, processed_dir=done)
    fetched = list(source)
    assert [raw for _key, raw in fetched] == [mail(0), mail(1)]
    source.acknowledge(fetched[0].key)
    assert (done / "a.eml").read_bytes() == mail(0)
    assert [raw for _key, raw in EmlSource(folder, processed_dir=done)] == [mail(1)]


def test_open_source_recognises_each_kind_of_path(tmp_path):
    box = make_maildir(tmp_path / "inbox", 1)
    mbox = tmp_path / "archive"
    write_mbox(mbox, [mail(0)])
    eml = tmp_path / "one.eml"
    eml.write_bytes(mail(1))
    assert isinstance(open_source(box), MaildirSource)
    assert isinstance(open_source(mbox), MboxSource)
    assert isinstance(open_source(eml), EmlSource)
    assert isinstance(open_source(tmp_path), EmlSource)
    with pytest.raises(SourceError, match="does not exist"):
        open_source(tmp_path / "missing")
    with open_source(box) as source:
        assert len(list(source)) == 1
