"""One reader per mailbox: the lock is exclusive, released on exit and on a killed process."""

import signal
import subprocess
import sys
import textwrap

import pytest

from moderation.mailroom import lock as mailboxlock
from moderation.plumbing.db import get_engine


@pytest.fixture
def app(any_app):
    return any_app


def test_only_one_holder_at_a_time_and_free_again_after(app):
    with app.app_context():
        engine = get_engine()
        with mailboxlock.reading(engine, app.instance_path, "imap:mail.example/INBOX") as first:
            assert first is True
            with mailboxlock.reading(engine, app.instance_path,
                                     "imap:mail.example/INBOX") as second:
                assert second is False
            # Another mailbox is another lock.
            with mailboxlock.reading(engine, app.instance_path, "imap:mail.example/Other") as o:
                assert o is True
        with mailboxlock.reading(engine, app.instance_path, "imap:mail.example/INBOX") as again:
            assert again is True


def test_a_killed_holder_frees_the_mailbox(app, tmp_path):
    holder = textwrap.dedent(f"""
        import sys, time
        from moderation import create_app
        from moderation.mailroom import lock as mailboxlock
        from moderation.plumbing.db import get_engine
        app = create_app({{"INSTANCE_PATH": {app.instance_path!r},
                          "DATABASE_URL": {app.config["DATABASE_URL"]!r}}})
        with app.app_context(), mailboxlock.reading(get_engine(), app.instance_path,
                                                    "imap:mail.example/INBOX") as mine:
            print("held" if mine else "busy", flush=True)
            time.sleep(60)
    """)
    process = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout.readline().strip() == "held"
        with app.app_context():
            with mailboxlock.reading(get_engine(), app.instance_path,
                                     "imap:mail.example/INBOX") as mine:
                assert mine is False
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            with mailboxlock.reading(get_engine(), app.instance_path,
                                     "imap:mail.example/INBOX") as mine:
                assert mine is True
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
