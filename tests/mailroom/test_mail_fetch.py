"""Fetching the contact mailbox over IMAP (a real Dovecot): exactly once, through crashes."""

import itertools
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlmodel import select

from moderation.models import MailMessage
from moderation.plumbing.db import get_session

pytestmark = pytest.mark.imap
NOTICES = Path(__file__).parents[1] / "fixtures" / "mail" / "notices"
MESSAGES = ["dmca_abc_news.eml", "cn_qinquan_tongzhi.eml", "eu_dsa.eml", "inquiry.eml",
            "incomplete_dmca.eml"]
_folders = itertools.count()


@pytest.fixture
def mailbox(dovecot, app):
    """A fresh IMAP folder holding five notices, and the app configured to read it."""
    folder = f"Desk{os.getpid()}x{next(_folders)}"
    with dovecot.client() as client:
        client.create_folder(folder)
        for name in MESSAGES:
            client.append(folder, (NOTICES / name).read_bytes())
    app.config.update(IMAP_HOST=dovecot.host, IMAP_PORT=dovecot.port, IMAP_SECURITY="none",
                      IMAP_USER=dovecot.username, IMAP_PASSWORD=dovecot.password,
                      IMAP_FOLDER=folder)
    return folder


def _unseen(dovecot, folder) -> int:
    with dovecot.client() as client:
        client.select_folder(folder, readonly=True)
        return len(client.search(["UNSEEN"]))


def _stored(app) -> list[str]:
    with app.app_context():
        return get_session().exec(select(MailMessage.sha256)).all()


def test_fetch_stores_each_message_and_marks_it_seen(runner, app, dovecot, mailbox):
    first = runner.invoke(args=["mail", "fetch"])
    assert first.exit_code == 0, first.output
    assert "mailbox: 5 stored, 0 duplicates, 0 quarantined, 5 cases opened" in first.output
    assert _unseen(dovecot, mailbox) == 0
    second = runner.invoke(args=["mail", "fetch"])
    assert "mailbox: 0 stored, 0 duplicates" in second.output
    with app.app_context():
        keys = get_session().exec(select(MailMessage.mailbox_key)).all()
    assert all(key.startswith(f"imap:{dovecot.host}/{mailbox}:") for key in keys)


def test_a_renumbered_mailbox_is_read_again_without_duplicates(runner, app, dovecot, mailbox):
    runner.invoke(args=["mail", "fetch"])
    with dovecot.client() as client:  # the folder is rebuilt: same mail, new UIDVALIDITY
        client.delete_folder(mailbox)
        client.create_folder(mailbox)
        for name in MESSAGES:
            client.append(mailbox, (NOTICES / name).read_bytes())
    result = runner.invoke(args=["mail", "fetch"])
    assert "0 stored, 5 duplicates" in result.output and "renumbered" in result.output
    assert len(_stored(app)) == 5
    assert _unseen(dovecot, mailbox) == 0


CRASHING_FETCH = textwrap.dedent("""
    import os, signal, sys
    from moderation.mailbox import imap
    calls = 0
    acknowledge = imap.ImapSource.acknowledge
    def crash_before_third_flag(self, key):
        global calls
        calls += 1
        if calls == 3:  # the third message is committed; the process dies before flagging it
            os.kill(os.getpid(), signal.SIGKILL)
        acknowledge(self, key)
    imap.ImapSource.acknowledge = crash_before_third_flag
    from moderation.cli import main
    main(["mail", "fetch"])
""")


def test_a_fetcher_killed_between_commit_and_flag_loses_and_doubles_nothing(
    runner, app, dovecot, mailbox, tmp_path
):
    env = os.environ | {
        "MODERATION_INSTANCE_PATH": app.instance_path,
        "MODERATION_DATABASE_URL": app.config["DATABASE_URL"],
        "MODERATION_IMAP_HOST": dovecot.host, "MODERATION_IMAP_PORT": str(dovecot.port),
        "MODERATION_IMAP_SECURITY": "none", "MODERATION_IMAP_USER": dovecot.username,
        "MODERATION_IMAP_PASSWORD": dovecot.password, "MODERATION_IMAP_FOLDER": mailbox,
        "MODERATION_DEFAULT_LOCALE": "en",
    }
    crashed = subprocess.run([sys.executable, "-c", CRASHING_FETCH], env=env,
                             capture_output=True, text=True, timeout=120)
    assert crashed.returncode == -9, crashed.stderr
    # Messages are committed a batch at a time, then flagged: all five were committed, at
    # least the three flagged or about to be (three if committed one by one).
    committed = len(_stored(app))
    assert 3 <= committed <= 5
    assert _unseen(dovecot, mailbox) == 3  # messages 3, 4 and 5 are still unflagged
    resumed = runner.invoke(args=["mail", "fetch"])
    assert f"{5 - committed} stored, {committed - 2} duplicates" in resumed.output, resumed.output
    stored = _stored(app)
    assert len(stored) == len(set(stored)) == 5
    assert _unseen(dovecot, mailbox) == 0


def test_an_unreachable_mailbox_is_a_plain_error(runner, app):
    app.config.update(IMAP_HOST="127.0.0.1", IMAP_PORT=1, IMAP_SECURITY="none",
                      IMAP_USER="x", IMAP_PASSWORD="y")
    result = runner.invoke(args=["mail", "fetch"])
    assert result.exit_code == 1
    assert "Cannot reach the IMAP server 127.0.0.1" in result.output
    assert "Traceback" not in result.output


def test_a_second_fetcher_leaves_the_mailbox_to_the_one_reading_it(runner, app, dovecot,
                                                                   mailbox):
    """While another fetcher holds the mailbox, a pass reads nothing (no doubled parsing)
    and says why; once it is free, the next pass reads everything."""
    from moderation.mailroom import lock as mailboxlock
    from moderation.plumbing.db import get_engine

    with app.app_context(), mailboxlock.reading(get_engine(), app.instance_path,
                                                f"imap:{dovecot.host}/{mailbox}") as mine:
        assert mine
        busy = runner.invoke(args=["mail", "fetch"])
        assert busy.exit_code == 0, busy.output
        assert "another fetcher is reading it" in busy.output
        assert _stored(app) == [] and _unseen(dovecot, mailbox) == len(MESSAGES)
    free = runner.invoke(args=["mail", "fetch"])
    assert "mailbox: 5 stored" in free.output and _unseen(dovecot, mailbox) == 0


def test_a_pass_reads_at_most_its_limit_and_the_next_pass_goes_on(runner, app, dovecot,
                                                                    mailbox):
    app.config["MAIL_PASS_LIMIT"] = 2
    first = runner.invoke(args=["mail", "fetch"])
    assert "mailbox: 2 stored" in first.output
    assert len(_stored(app)) == 2 and _unseen(dovecot, mailbox) == len(MESSAGES) - 2
    for _ in range(2):
        runner.invoke(args=["mail", "fetch"])
    assert len(_stored(app)) == len(MESSAGES) and _unseen(dovecot, mailbox) == 0


def test_a_pass_sends_every_due_reply_not_only_the_first_hundred(runner, app, dovecot, mailbox,
                                                                   smtp_server):
    from moderation import cases
    from moderation.models import Reply
    from moderation.replies import outbox

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none",
                      MAIL_FROM="desk@uscntv.com")
    with app.app_context():
        session = get_session()
        case = cases.open_case(session, actor="test", subject="Notice")
        for n in range(250):
            outbox.queue_reply(session, case=case, to_addr=f"a{n}@abc.example", subject="Re",
                               body="x", template="decision", sender="desk@uscntv.com")
        session.commit()
    result = runner.invoke(args=["mail", "fetch"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        statuses = get_session().exec(select(Reply.status)).all()
    assert statuses and set(statuses) == {"sent"} and len(statuses) >= 250
    assert len(smtp_server.messages) == len(statuses)
