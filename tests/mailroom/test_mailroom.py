"""The contact mailbox end to end: import, understand, verify, open or join cases, export."""

import json
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from moderation import cases, demo
from moderation.mailbox import EmlSource
from moderation.mailroom import receive
from moderation.mailroom.batch import ingest
from moderation.models import Case, MailMessage, Notice
from moderation.plumbing.db import get_engine, get_session

NOTICES = Path(__file__).parents[1] / "fixtures" / "mail" / "notices"
BAD = Path(__file__).parents[1] / "fixtures" / "mail" / "bad"


def _import(runner, *paths):
    return runner.invoke(args=["mail", "import", *map(str, paths)])


def _maildir(tmp_path: Path, names: list[str]) -> Path:
    box = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (box / sub).mkdir(parents=True)
    for number, name in enumerate(names):
        shutil.copy(NOTICES / name, box / "new" / f"{number}.test:2,")
    return box


def test_maildir_import_opens_cases_and_moves_mail_to_cur(runner, app, tmp_path):
    box = _maildir(tmp_path, ["dmca_abc_news.eml", "cn_qinquan_tongzhi.eml", "inquiry.eml"])
    result = _import(runner, box)
    assert result.exit_code == 0, result.output
    assert "3 stored, 0 duplicates, 0 quarantined, 3 cases opened" in result.output
    assert list((box / "new").iterdir()) == [] and len(list((box / "cur").iterdir())) == 3
    with app.app_context():
        session = get_session()
        rows = session.exec(select(Case).order_by(Case.id)).all()
        assert [(c.kind, c.jurisdiction) for c in rows] == [
            ("takedown", "US"), ("takedown", "CN"), ("inquiry", None)]
        for case, hours in ((rows[0], 48), (rows[1], 24)):
            received = session.exec(
                select(MailMessage.received_at).where(MailMessage.case_id == case.id)).one()
            assert case.due_at == received + timedelta(hours=hours)


def test_the_same_message_imported_twice_is_stored_once(runner, app, tmp_path):
    folder = tmp_path / "eml"
    folder.mkdir()
    shutil.copy(NOTICES / "dmca_abc_news.eml", folder / "a.eml")
    _import(runner, folder)
    again = _import(runner, folder)
    assert "0 stored, 1 duplicates" in again.output
    with app.app_context():
        assert len(get_session().exec(select(MailMessage)).all()) == 1


def test_a_notice_about_the_demo_article_is_verified_as_supported(runner, app):
    demo.load(app, with_mail=False)
    _import(runner, NOTICES / "dmca_abc_news.eml")
    with app.app_context():
        notice = get_session().exec(select(Notice)).one()
    assert notice.kind == "takedown" and notice.jurisdiction == "US"
    assert notice.target_urls == ["https://uscntv.com/toutiao/2021/1231/12345.html"]
    [item] = notice.verification
    assert item["verdict"] == "supported"
    assert item["original_url"].startswith("https://abcnews.go.com/Politics/")
    assert item["score"] > 0.5 and item["kind"] in ("verbatim", "excerpt", "translation")


def test_a_notice_about_a_page_we_do_not_have_says_so(runner, app):
    _import(runner, NOTICES / "dmca_abc_news.eml")
    with app.app_context():
        notice = get_session().exec(select(Notice)).one()
    assert [i["verdict"] for i in notice.verification] == ["article_not_found"]


def test_the_same_request_sent_again_joins_the_first_case(runner, app, tmp_path):
    original = (NOTICES / "dmca_abc_news.eml").read_bytes()
    resent = original.replace(b"<dmca-20220103-0001@disney.example>",
                              b"<dmca-20220105-0002@disney.example>")
    (tmp_path / "first.eml").write_bytes(original)
    (tmp_path / "second.eml").write_bytes(resent)
    result = _import(runner, tmp_path / "first.eml", tmp_path / "second.eml")
    assert result.output.count("1 stored") == 2
    with app.app_context():
        session = get_session()
        assert len(session.exec(select(Case)).all()) == 1
        notices = session.exec(select(Notice)).all()
        assert len(notices) == 2 and notices[0].case_id == notices[1].case_id


def test_a_reply_with_our_case_tag_joins_its_case(runner, app, tmp_path):
    _import(runner, NOTICES / "dmca_abc_news.eml")
    with app.app_context():
        case_id = get_session().exec(select(Case.id)).one()
    reply = (NOTICES / "reply_case_12.eml").read_bytes().replace(
        b"[Case #12]", f"[Case #{case_id}]".encode())
    (tmp_path / "reply.eml").write_bytes(reply)
    result = _import(runner, tmp_path / "reply.eml")
    assert "0 cases opened (1 reply)" in result.output
    with app.app_context():
        message = get_session().exec(
            select(MailMessage).where(MailMessage.classification == "reply")).one()
    assert message.case_id == case_id


def test_a_reply_brings_a_case_waiting_for_information_back(runner, app, tmp_path):
    _import(runner, NOTICES / "dmca_abc_news.eml")
    with app.app_context():
        session = get_session()
        case = session.exec(select(Case)).one()
        cases.apply(session, case, expected_version=case.version, actor="test",
                    action="case.request_info", change=cases.Change(status="needs_info"))
        session.commit()
        case_id = case.id
    reply = (NOTICES / "reply_case_12.eml").read_bytes().replace(
        b"[Case #12]", f"[Case #{case_id}]".encode())
    (tmp_path / "reply.eml").write_bytes(reply)
    _import(runner, tmp_path / "reply.eml")
    with app.app_context():
        case = get_session().get(Case, case_id)
    assert case.status == "open" and case.paused_at is None


def test_a_counter_notice_reopens_the_removal_it_disputes(runner, app, tmp_path):
    counter = (NOTICES / "counter_notice.eml").read_bytes()
    with app.app_context():
        from moderation.mailbox import parse_message
        from moderation.notices import extract_notice

        targets = extract_notice(parse_message(counter),
                                 site_domains=["uscntv.com", "www.uscntv.com"]).target_urls
        session = get_session()
        case = cases.open_case(session, actor="test", subject="earlier takedown")
        message = MailMessage(sha256="e" * 64, raw=b"x", case_id=case.id)
        session.add(message)
        session.flush()
        session.add(Notice(message_id=message.id, kind="takedown", target_urls=targets,
                           case_id=case.id))
        cases.apply(session, case, expected_version=1, actor="test", action="case.decide",
                    change=cases.Change(status="resolved_removed"))
        session.commit()
        case_id = case.id
    (tmp_path / "counter.eml").write_bytes(counter)
    result = _import(runner, tmp_path / "counter.eml")
    assert "0 cases opened" in result.output
    with app.app_context():
        assert get_session().get(Case, case_id).status == "counter_notice"


def test_a_retraction_joins_the_case_it_withdraws(runner, app):
    _import(runner, NOTICES / "dmca_abc_news.eml")
    result = _import(runner, NOTICES / "retraction.eml")
    assert "0 cases opened" in result.output
    with app.app_context():
        session = get_session()
        kinds = session.exec(select(Notice.kind).order_by(Notice.id)).all()
        assert kinds == ["takedown", "retraction"]
        assert len(set(session.exec(select(Notice.case_id)).all())) == 1


@pytest.mark.parametrize("name", ["auto_reply.eml", "bounce_report.eml", "own_x_loop.eml"])
def test_automatic_mail_is_kept_without_a_case(runner, app, name):
    app.config["MAIL_FROM"] = "Desk <desk@uscntv.com>"  # the address own_x_loop.eml carries
    path = BAD / name
    if not path.exists():
        pytest.fail(f"fixture {name} is missing from {BAD}")
    result = _import(runner, path)
    assert "0 cases opened" in result.output
    with app.app_context():
        message = get_session().exec(select(MailMessage)).one()
    assert message.classification in ("auto_reply", "bounce")
    assert message.case_id is None and message.raw == path.read_bytes()


def test_unreadable_mail_is_quarantined_with_a_reason_and_can_be_retried(runner, app, tmp_path):
    (tmp_path / "empty.eml").write_bytes(b"")
    result = _import(runner, tmp_path / "empty.eml")
    assert "1 quarantined" in result.output
    retry = runner.invoke(args=["mail", "retry"])
    assert "1 quarantined message(s) read again: 0 now understood, 1 still quarantined" in (
        retry.output)
    exported = json.loads(runner.invoke(args=["notices", "export", "--format", "json"]).output)
    assert exported[0]["classification"] == "quarantined" and exported[0]["reason"]


def test_notices_export_has_the_documented_fields(runner, app):
    _import(runner, NOTICES / "dmca_abc_news.eml", NOTICES / "inquiry.eml")
    exported = json.loads(runner.invoke(args=["notices", "export", "--format", "json"]).output)
    notice, inquiry = exported
    for record in exported:
        assert {"message_id", "classification", "kind", "claimant", "target_urls",
                "original_urls", "statements", "jurisdiction", "missing_elements",
                "case_id"} <= set(record)
        assert set(record["claimant"]) >= {"name", "email", "organisation", "phone", "address"}
        assert set(record["statements"]) == {"good_faith", "accuracy", "perjury", "signature"}
    assert notice["classification"] == "notice" and notice["kind"] == "takedown"
    assert notice["jurisdiction"] == "US" and notice["statements"]["perjury"] is True
    assert notice["message_id"] == "<dmca-20220103-0001@disney.example>"
    assert inquiry["classification"] == "inquiry" and inquiry["kind"] is None


def test_two_importers_on_one_mailbox_store_each_message_once(any_app, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    for name in ("dmca_abc_news.eml", "cn_qinquan_tongzhi.eml", "eu_dsa.eml", "inquiry.eml"):
        shutil.copy(NOTICES / name, folder / name)
    with any_app.app_context():
        engine = get_engine()
    barrier = threading.Barrier(2)
    errors = []

    def importer():
        try:
            with Session(engine, expire_on_commit=False) as session, EmlSource(folder) as source:
                barrier.wait()
                receive(session, source, config=any_app.config, source_name="shared")
        except Exception as exc:  # the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=importer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with any_app.app_context():
        session = get_session()
        assert len(session.exec(select(MailMessage)).all()) == 4
        assert len(session.exec(select(Notice)).all()) == 3


def test_ingest_reports_a_duplicate_without_touching_the_first_copy(app):
    raw = (NOTICES / "eu_dsa.eml").read_bytes()
    with app.app_context():
        session = get_session()
        first = ingest(session, raw, config=app.config, source="test")
        second = ingest(session, raw, config=app.config, source="test")
    assert first.outcome == "stored" and second.outcome == "duplicate"
    assert second.message_id == first.message_id


def test_the_same_message_redelivered_with_other_headers_is_a_duplicate(app):
    raw = (NOTICES / "eu_dsa.eml").read_bytes()
    redelivered = b"Received: from relay2.example by mx.uscntv.com; Tue, 4 Jan 2022\r\n" + raw
    with app.app_context():
        session = get_session()
        first = ingest(session, raw, config=app.config, source="test")
        second = ingest(session, redelivered, config=app.config, source="test")
        assert second.outcome == "duplicate" and second.message_id == first.message_id
        assert len(session.exec(select(MailMessage)).all()) == 1


def test_messages_without_message_id_are_told_apart_by_their_bytes(app):
    base = (BAD / "no_message_id.eml").read_bytes()
    with app.app_context():
        session = get_session()
        outcomes = [ingest(session, base, config=app.config).outcome,
                    ingest(session, base + b"\r\nP.S. another line\r\n", config=app.config).outcome,
                    ingest(session, base, config=app.config).outcome]
    assert outcomes == ["stored", "stored", "duplicate"]


def test_a_claimed_original_missing_from_the_corpus_is_fetched_when_allowed(app, server):
    from moderation.intake import extract_html_page
    from moderation.models import Article, Original
    from moderation.plumbing.db import transaction
    from tests.support.webserver import WEB

    page = extract_html_page((WEB / "article.html").read_text(encoding="utf-8"))
    with app.app_context(), transaction() as session:
        session.add(Article(url="https://uscntv.com/caijing/2023/0315/1.html", title="码头工人",
                            segments=[{"language": "en", "text": page.body}]))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    notice = (
        "From: Harbour Ledger Legal <legal@harbourledger.example>\r\n"
        "To: uscntv@outlook.com\r\nSubject: DMCA takedown notice\r\n"
        "Message-ID: <fetch-test@harbourledger.example>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Under the DMCA, 17 U.S.C. 512, we ask you to remove "
        "https://www.uscntv.com/caijing/2023/0315/1.html which copies our article "
        f"{base}/article.html\r\n"
    ).encode()
    app.config["FETCH_CLAIMED_ORIGINALS"] = True
    with app.app_context():
        session = get_session()
        result = ingest(session, notice, config=app.config)
        stored = session.exec(select(Notice)).one()
        assert result.new_case
        [item] = stored.verification
        assert item["verdict"] == "supported" and item["kind"] == "verbatim"
        original = session.get(Original, item["original_id"])
        assert original.title == "Dock workers vote to strike over automation plans"


def test_without_fetching_a_missing_original_is_unavailable(app):
    from moderation.models import Article
    from moderation.plumbing.db import transaction

    with app.app_context(), transaction() as session:
        session.add(Article(url="https://uscntv.com/a/1.html", segments=[
            {"language": "en", "text": "Some text that was copied from somewhere."}]))
    notice = (
        b"From: Legal <legal@elsewhere.example>\r\nTo: uscntv@outlook.com\r\n"
        b"Subject: DMCA takedown notice\r\nMessage-ID: <nofetch@elsewhere.example>\r\n\r\n"
        b"Under the DMCA please remove https://uscntv.com/a/1.html, a copy of "
        b"https://elsewhere.example/story/1\r\n"
    )
    with app.app_context():
        session = get_session()
        ingest(session, notice, config=app.config)
        [item] = session.exec(select(Notice)).one().verification
    assert item["verdict"] == "original_unavailable"
