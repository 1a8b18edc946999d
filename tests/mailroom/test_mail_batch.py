"""Mail taken in a batch at a time ends up exactly as taken in batches of one message."""

import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from moderation import demo
from moderation.mailbox import MaildirSource
from moderation.mailroom import batch as mailbatch
from moderation.mailroom import plans as mailplans
from moderation.mailroom import receive
from moderation.mailroom.batch import retry_quarantined
from moderation.mailroom.reading import UNREAD
from moderation.models import AuditEvent, Case, CaseTarget, MailMessage, Notice, Reply
from moderation.plumbing import audit, rows
from moderation.plumbing.db import get_session
from moderation.provenance import verification
from tests.conftest import BACKENDS, dispose, fresh_database, make_test_app

MAIL = Path(__file__).parents[1] / "fixtures" / "mail"
DMCA = (MAIL / "notices" / "dmca_abc_news.eml").read_bytes()
# Every fixture, and the ways a message comes again: the same bytes, the same message under
# other transport headers, the same request with a new Message-ID (joins the first case).
MESSAGES = (
    [path.read_bytes() for path in sorted((MAIL / "notices").glob("*.eml"))]
    + [path.read_bytes() for path in sorted((MAIL / "bad").glob("*.eml"))]
    + [DMCA, b"Received: from relay2.example by mx.uscntv.com; Tue, 4 Jan 2022\r\n" + DMCA,
       DMCA.replace(b"<dmca-20220103-0001@disney.example>", b"<dmca-again@disney.example>")]
)


def _maildir(folder: Path, messages: list[bytes]) -> Path:
    for sub in ("new", "cur", "tmp"):
        (folder / sub).mkdir(parents=True)
    for number, raw in enumerate(messages):
        (folder / "new" / f"{number:04d}.test").write_bytes(raw)
    return folder


def _fingerprint(session) -> list:
    """Every row the mail led to, ids included, times (and dates in reply texts) left out."""
    def plain(row, drop=()) -> dict:
        return {k: v for k, v in row.model_dump().items()
                if k not in drop and not isinstance(v, datetime)}

    rows = []
    for model in (MailMessage, Notice, Case, CaseTarget, Reply):
        for row in session.exec(select(model).order_by(model.id)):
            item = plain(row, ("source", "mailbox_key", "message_id" if model is Reply else ""))
            if model is Reply:
                item["body"] = re.sub(r"\d", "#", row.body)
            if model is Case and row.due_at:
                received = session.exec(select(MailMessage.received_at).where(
                    MailMessage.case_id == row.id).order_by(MailMessage.id)).first()
                item["sla"] = row.due_at - received if received else None
            rows.append((model.__name__, item))
    for event in session.exec(select(AuditEvent).order_by(AuditEvent.seq)):
        after = re.sub(r"\d{4}-\d\d-\d\d[T ][\d:.+]+", "<time>", str(event.after))
        rows.append((event.action, event.object_type, event.object_id, after))
    return rows


def _take_in(app, box: Path, batch_size: int):
    demo.load(app, with_mail=False)  # the demo article: a notice about it is "supported"
    with app.app_context(), MaildirSource(box) as source:
        session = get_session()
        receipt = receive(session, source, config=app.config, source_name="test",
                          batch_size=batch_size)
        assert audit.verify(session).ok
        return receipt, _fingerprint(session)


@pytest.fixture(params=BACKENDS)
def two_apps(request, tmp_path, sqlite_template):
    """Two fresh apps on the same backend: one takes mail in batches, one in batches of one."""
    urls = [fresh_database(request.param, tmp_path / name, sqlite_template)
            for name in ("batched", "alone")]
    apps = [make_test_app(tmp_path / name, next(url)) for name, url in
            zip(("batched", "alone"), urls, strict=True)]
    yield apps
    for app, url in zip(apps, urls, strict=True):
        dispose(app)
        next(url, None)


def test_a_batch_ends_up_as_batches_of_one_message(two_apps, tmp_path, monkeypatch):
    alone_calls = []
    real = mailbatch.read_alone
    monkeypatch.setattr(mailbatch, "read_alone",
                        lambda *a, **k: alone_calls.append(a[1].id) or real(*a, **k))
    batched, alone = two_apps
    first = _take_in(batched, _maildir(tmp_path / "a", MESSAGES), batch_size=100)
    second = _take_in(alone, _maildir(tmp_path / "b", MESSAGES), batch_size=1)
    assert first[0].summary() == second[0].summary()
    assert first[0].outcomes["duplicate"] == 2 and first[0].outcomes["quarantined"] >= 2
    assert first[1] == second[1]
    # Only mail that needs the database as it is read went the careful way.
    with batched.app_context():
        session = get_session()
        careful = {m.id for m in session.exec(select(MailMessage).where(
            MailMessage.classification.in_(("reply", "bounce"))))}
        careful |= set(session.exec(select(Notice.message_id).where(
            Notice.kind.in_(("counter_notice", "retraction")))))
        assert set(alone_calls) == careful and careful
        supported = [i["verdict"] for n in session.exec(select(Notice)) for i in n.verification]
        assert "supported" in supported


def test_raw_mail_is_committed_before_it_is_read_and_can_be_read_later(app, tmp_path,
                                                                        monkeypatch):
    box = _maildir(tmp_path / "box", MESSAGES[:5])

    def crash(self, messages):
        raise SystemExit("killed while reading")

    monkeypatch.setattr(mailplans.Reader, "read", crash)
    with app.app_context(), MaildirSource(box) as source, pytest.raises(SystemExit):
        receive(get_session(), source, config=app.config, source_name="test")
    assert len(list((box / "new").iterdir())) == 5  # nothing acknowledged
    with app.app_context():
        session = get_session()
        session.rollback()
        waiting = session.exec(select(MailMessage)).all()
        assert [m.raw for m in waiting] == MESSAGES[:5]
        assert {(m.classification, m.quarantine_reason) for m in waiting} == {
            ("quarantined", UNREAD)}
        # Offered again, they are known by their bytes; `mail retry` then reads them.
        monkeypatch.undo()
        with MaildirSource(box) as source:
            again = receive(session, source, config=app.config, source_name="test")
        assert again.outcomes["duplicate"] == 5
        assert retry_quarantined(session, config=app.config) == []  # still being read?
        for message in waiting:
            message.received_at -= timedelta(hours=1)
        session.commit()
        assert {r.outcome for r in retry_quarantined(session, config=app.config)} == {"stored"}
        assert {m.classification for m in session.exec(select(MailMessage))} == {"notice"}
        assert len(session.exec(select(Case)).all()) == 5


def test_a_bug_reading_one_message_quarantines_only_that_one(any_app, tmp_path, monkeypatch):
    real = verification.verify

    def broken(session, notice, **kwargs):
        if notice.jurisdiction == "CN":
            raise RuntimeError("verification bug")
        return real(session, notice, **kwargs)

    monkeypatch.setattr(verification, "verify", broken)
    names = ["dmca_abc_news.eml", "cn_qinquan_tongzhi.eml", "eu_dsa.eml", "inquiry.eml"]
    box = _maildir(tmp_path / "box", [(MAIL / "notices" / n).read_bytes() for n in names])
    with any_app.app_context(), MaildirSource(box) as source:
        session = get_session()
        receipt = receive(session, source, config=any_app.config, source_name="test")
        assert receipt.outcomes == {"stored": 3, "quarantined": 1}
        bad = session.exec(select(MailMessage).where(
            MailMessage.classification == "quarantined")).one()
        assert bad.quarantine_reason == "the desk failed while reading it (verification bug)"
        assert bad.raw == (MAIL / "notices" / names[1]).read_bytes()
        assert len(session.exec(select(Case)).all()) == 3
        assert audit.verify(session).ok


def test_a_batch_the_database_refuses_is_read_again_message_by_message(any_app, tmp_path,
                                                                      monkeypatch):
    calls = []
    real = audit.record_many

    def refuse_first(session, entries):
        calls.append(len(entries))
        if len(calls) == 1:
            raise RuntimeError("refused")
        return real(session, entries)

    monkeypatch.setattr(audit, "record_many", refuse_first)
    box = _maildir(tmp_path / "box", MESSAGES[:6])
    with any_app.app_context(), MaildirSource(box) as source:
        session = get_session()
        receipt = receive(session, source, config=any_app.config, source_name="test")
        assert receipt.outcomes["stored"] + receipt.outcomes["quarantined"] == 6
        assert calls == [calls[0]]  # the batch was given up, then each message read alone
        assert not session.exec(select(MailMessage).where(
            MailMessage.quarantine_reason == UNREAD)).all()
        events = session.exec(select(AuditEvent.action)).all()
        assert events.count("mail.receive") == 6 and audit.verify(session).ok


def test_events_written_together_chain_as_if_written_one_by_one(any_app):
    with any_app.app_context():
        session = get_session()
        audit.record(session, "test.one", actor="tester", after={"n": 1})
        audit.record_many(session, [
            audit.Entry("test.two", "tester", "case", 7, before={"a": None}, after={"n": 2}),
            audit.Entry("test.three", None, after={"when": datetime(2022, 1, 3)})])
        audit.record(session, "test.four", actor="tester")
        session.commit()
        events = session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert [(e.seq, e.action) for e in events] == [
            (1, "test.one"), (2, "test.two"), (3, "test.three"), (4, "test.four")]
        assert events[2].actor == "system" and events[1].object_id == "7"
        assert events[2].after == {"when": "2022-01-03 00:00:00"}
        assert audit.verify(session).ok
        assert audit.record_many(session, []) == 0


@pytest.mark.parametrize("batch_size", [100, 1])
def test_a_request_sent_again_in_the_same_batch_joins_the_case_opened_by_the_first(
        any_app, tmp_path, batch_size):
    resent = DMCA.replace(b"<dmca-20220103-0001@disney.example>", b"<dmca-again@disney.example>")
    box = _maildir(tmp_path / "box", [DMCA, resent, DMCA])
    with any_app.app_context(), MaildirSource(box) as source:
        session = get_session()
        receipt = receive(session, source, config=any_app.config, source_name="test",
                          batch_size=batch_size)
        assert receipt.summary() == (
            "2 stored, 1 duplicates, 0 quarantined, 1 cases opened (2 notice)")
        [case] = session.exec(select(Case)).all()
        assert [n.case_id for n in session.exec(select(Notice))] == [case.id, case.id]
        actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions == ["case.open", "reply.queue", "mail.receive", "notice.duplicate",
                           "mail.receive"]
        assert len(session.exec(select(Reply)).all()) == 1


def test_two_batches_import_the_same_maildir_copy_once(any_app, tmp_path):
    box = _maildir(tmp_path / "box", MESSAGES[:4])
    shutil.copytree(box, tmp_path / "copy")
    with any_app.app_context():
        session = get_session()
        for folder in (box, tmp_path / "copy"):
            with MaildirSource(folder) as source:
                receive(session, source, config=any_app.config, source_name="test")
        assert len(session.exec(select(MailMessage)).all()) == 4


@pytest.mark.parametrize("model, values", [
    (MailMessage, {"sha256": "a" * 64, "raw": b"x"}), (Notice, {"message_id": 1}),
    (Case, {"subject": "s"}), (Reply, {"case_id": 1, "to_addr": "a@b.example",
                                       "message_id": "<m@b.example>"}),
])
def test_rows_built_fast_hold_what_the_model_would_hold(model, values):
    def comparable(row: dict) -> dict:
        return {k: type(v) if isinstance(v, datetime) else v for k, v in row.items() if k != "id"}

    expected = comparable(model(**values).model_dump())
    assert comparable(rows.new_row(model, **values).model_dump()) == expected
    assert comparable(rows.row_values(model, **values)) == expected


def test_a_store_that_collides_with_another_importer_is_tried_again(any_app, monkeypatch):
    real, calls = mailbatch.store, []

    def collide_once(session, incoming):
        calls.append(len(incoming))
        if len(calls) == 1:  # as store says when another importer's insert came first
            return None
        return real(session, incoming)

    monkeypatch.setattr(mailbatch, "store", collide_once)
    with any_app.app_context():
        session = get_session()
        [result] = mailbatch.ingest_batch(session, [mailbatch.Incoming("k", DMCA, "test")],
                                          config=any_app.config)
        assert calls == [1, 1] and result.outcome == "stored" and result.new_case
        again = mailbatch.ingest(session, DMCA, config=any_app.config)
        assert again.outcome == "duplicate" and again.message_id == result.message_id


def test_retried_mail_is_read_by_the_batch_reader_and_audited_as_a_retry(any_app):
    with any_app.app_context():
        session = get_session()
        stored = mailbatch.store(session, [mailbatch.Incoming("k", DMCA, "test")])
        message = session.get(MailMessage, stored[0].id)
        message.received_at -= timedelta(hours=1)  # no import is still reading it
        session.commit()
        [result] = retry_quarantined(session, config=any_app.config, interrupted_only=True)
        assert result.outcome == "stored" and result.classification == "notice"
        assert result.new_case and session.get(MailMessage, result.message_id).case_id
        actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions == ["case.open", "reply.queue", "mail.retry"]
