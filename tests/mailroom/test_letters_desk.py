"""Real letters end to end: `mail fetch` from the local Maildir, the queue's licence-fee filter,
the case page's reasons and field sources, the letter's deadline as the due time, the reply
asking for proof of rights, and `notices export`."""

import base64
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from moderation.cases import drafts
from moderation.cases.casefile import gather
from moderation.models import AuditEvent, Case, MailMessage, Notice, utcnow
from moderation.plumbing.db import get_session
from tests.conftest import dispose, make_test_app


@pytest.fixture
def app(any_app):
    return any_app


LETTERS = Path(__file__).parents[1] / "fixtures" / "mail" / "letters"
# A licence-fee demand alone, one with a threat (a takedown), a Chinese notice with a deadline.
CHOSEN = ["31_getty_style_money_only.eml", "32_copytrack_style_threat.eml",
          "27_zh_gbk_notice.eml", "22_zh_issue_contact_line.eml"]


def _fill(app) -> Path:
    box = Path(app.config["MAILDIR"])
    (box / "new").mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(CHOSEN):
        shutil.copy(LETTERS / name, box / "new" / f"{number}.letter:2,")
    return box


def _notice(session, name: str) -> Notice:
    message_id = f"<letter-{name[:2]}-{name[3:-4]}@letters.example>"
    return session.exec(select(Notice).join(MailMessage, MailMessage.id == Notice.message_id)
                        .where(MailMessage.message_id == message_id)).one()


def test_mail_fetch_without_imap_reads_the_local_maildir(runner, app):
    assert not app.config.get("IMAP_HOST")
    box = _fill(app)
    result = runner.invoke(args=["mail", "fetch"])
    assert result.exit_code == 0, result.output
    assert "No IMAP mailbox" not in result.output
    assert "4 stored" in result.output
    assert list((box / "new").iterdir()) == [] and len(list((box / "cur").iterdir())) == 4
    again = runner.invoke(args=["mail", "fetch"])
    assert again.exit_code == 0 and "0 stored" in again.output


def test_a_missing_local_maildir_is_made_and_read_empty(runner, app):
    result = runner.invoke(args=["mail", "fetch"])
    assert result.exit_code == 0, result.output
    assert (Path(app.config["MAILDIR"]) / "new").is_dir()


def test_payment_demands_deadlines_and_sources_are_kept(runner, app):
    _fill(app)
    assert runner.invoke(args=["mail", "fetch"]).exit_code == 0
    with app.app_context():
        session = get_session()
        getty = _notice(session, CHOSEN[0])
        assert (getty.kind, getty.asks_payment, getty.amount, getty.currency) == (
            "payment_demand", True, 1200.0, "USD")
        assert getty.kind_reasons[-1].startswith("It asks for money alone")
        copytrack = _notice(session, CHOSEN[1])
        assert (copytrack.kind, copytrack.asks_payment) == ("takedown", True)
        chinese = _notice(session, CHOSEN[3])
        assert chinese.claimant["name"] == "王晓明"
        assert chinese.claimant["phone"] == "010-6512 3456"
        assert chinese.field_sources["phone"].startswith("联系人:王晓明")
        # "请于3日内下架", counted from the letter's date; the case is due at the earlier of
        # that and the SLA.
        tianshan = _notice(session, CHOSEN[2])
        case = session.get(Case, tianshan.case_id)
        sent = session.exec(select(MailMessage.sent_at).where(
            MailMessage.id == tianshan.message_id)).one()
        assert tianshan.deadline_at == sent + timedelta(days=3)
        received = session.exec(select(MailMessage.received_at).where(
            MailMessage.id == tianshan.message_id)).one()
        assert case.due_at == min(received + timedelta(hours=24), tianshan.deadline_at)
        # The Getty-style letter (sent in 2024) set 14 days long past: its case is due then.
        getty_case = session.get(Case, getty.case_id)
        assert getty_case.due_at == getty.deadline_at


def test_the_queue_filter_shows_licence_fee_demands_only(runner, app, client, auth):
    _fill(app)
    assert runner.invoke(args=["mail", "fetch"]).exit_code == 0
    with app.app_context():
        session = get_session()
        paying = {_notice(session, name).case_id for name in CHOSEN[:2]}
        others = {_notice(session, name).case_id for name in CHOSEN[2:]}
    auth.login()
    page = client.get("/?payment=1&status=all").get_data(as_text=True)
    shown = {int(chunk.split('"')[0]) for chunk in page.split('data-case="')[1:]}
    assert shown == paying and not shown & others
    assert "Licence-fee demands" in client.get("/").get_data(as_text=True)


def test_the_case_page_shows_why_and_where_each_field_came_from(runner, app, client, auth):
    _fill(app)
    assert runner.invoke(args=["mail", "fetch"]).exit_code == 0
    with app.app_context():
        session = get_session()
        getty = _notice(session, CHOSEN[0]).case_id
        chinese = _notice(session, CHOSEN[3]).case_id
    auth.login()
    page = client.get(f"/cases/{getty}").get_data(as_text=True)
    assert "Licence-fee demand" in page and "Why this type" in page
    assert "It asks for money alone" in page
    assert "USD 1200.00" in page and "Deadline set by the letter" in page
    assert "proof of rights and the licence history" in page
    assert "licence history" in page  # the drafted reply
    page = client.get(f"/cases/{chinese}").get_data(as_text=True)
    assert "联系人:王晓明" in page  # the line the name and phone came from


def test_the_payment_reply_asks_for_proof_of_rights_in_both_languages(runner, app):
    _fill(app)
    assert runner.invoke(args=["mail", "fetch"]).exit_code == 0
    with app.app_context():
        session = get_session()
        case = session.get(Case, _notice(session, CHOSEN[0]).case_id)
        made = drafts.for_case(gather(session, case), site_name="USCNTV")
        assert made["asks_payment"]
        assert "licence history" in made["need_info"]["body"]
        assert "proof" in made["need_info"]["subject"]
    from moderation import replies
    from moderation.replies.reasons import ReplyFacts
    facts = ReplyFacts.coerce({"case_id": 7, "site_name": "USCNTV", "received_at": utcnow()})
    subject, body = replies.render(replies.PAYMENT_PROOF, "zh", facts)
    assert "授权记录" in body and "权利证明" in subject


def test_notices_export_carries_payment_deadline_and_redacted_sources(runner, app):
    _fill(app)
    assert runner.invoke(args=["mail", "fetch"]).exit_code == 0
    internal = json.loads(runner.invoke(args=["notices", "export", "--no-redact"]).output)
    published = json.loads(runner.invoke(args=["notices", "export"]).output)
    by_subject = {r["subject"]: r for r in internal}
    getty = by_subject["Unlicensed use of imagery - Case 2024-77812"]
    assert (getty["asks_payment"], getty["amount"], getty["currency"]) == (True, 1200.0, "USD")
    assert getty["deadline_at"].startswith("2024-08-15")
    assert getty["sources"]["amount"].startswith("To resolve this matter")
    assert getty["kind_reasons"]
    for record in published:
        assert set(record) >= {"asks_payment", "amount", "deadline_at", "sources"}
        if "phone" in record["sources"]:
            assert record["sources"]["phone"] == "[redacted phone]"
    assert any("phone" in r["sources"] for r in published)


def test_a_letter_sent_only_as_an_attachment_is_kept_and_marked_for_a_person(runner, app):
    box = Path(app.config["MAILDIR"])
    (box / "new").mkdir(parents=True, exist_ok=True)
    pdf = base64.b64encode(b"%PDF-1.4 scanned letter \x00\x01\x02").decode()
    (box / "new" / "scan.letter:2,").write_bytes((
        "From: Agency <claims@agency.example>\r\nTo: desk@uscntv.com\r\n"
        "Subject: Notice\r\nMessage-ID: <scan-1@agency.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        "Content-Type: application/pdf; name=letter.pdf\r\n"
        "Content-Disposition: attachment; filename=letter.pdf\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--b--\r\n").encode())
    assert runner.invoke(args=["mail", "fetch"]).exit_code == 0
    with app.app_context():
        session = get_session()
        message = session.exec(select(MailMessage)).one()
        assert message.classification == "notice"
        assert "letter.pdf" in message.classification_reasons[0]
        assert message.attachments[0]["name"] == "letter.pdf"
        notice = session.exec(select(Notice)).one()
        assert notice.kind is None and notice.case_id is not None
        assert any("person must read" in note for note in notice.uncertain)


def test_a_reviewer_corrects_the_type_and_the_export_keeps_what_was_read(runner, app, client,
                                                                        auth):
    _fill(app)
    assert runner.invoke(args=["mail", "fetch"]).exit_code == 0
    with app.app_context():
        session = get_session()
        notice = _notice(session, CHOSEN[0])
        case = session.get(Case, notice.case_id)
        case_id, version = case.id, case.version
    auth.login()
    stale = client.post(f"/cases/{case_id}/notice-kind",
                        data={"kind": "takedown", "version": version + 5})
    assert stale.status_code == 409
    unknown = client.post(f"/cases/{case_id}/notice-kind",
                          data={"kind": "bogus", "version": version}, follow_redirects=True)
    assert "unknown type" in unknown.get_data(as_text=True)
    done = client.post(f"/cases/{case_id}/notice-kind",
                       data={"kind": "takedown", "version": version}, follow_redirects=True)
    assert "The notice&#39;s type is corrected." in done.get_data(as_text=True)
    with app.app_context():
        session = get_session()
        notice = _notice(session, CHOSEN[0])
        assert notice.kind == "takedown" and notice.asks_payment
        assert notice.field_sources["kind_read"] == "payment_demand"
        event = session.exec(select(AuditEvent).where(
            AuditEvent.action == "notice.kind_corrected")).one()
        assert event.before["kind"] == "payment_demand" and event.after["kind"] == "takedown"
    exported = json.loads(runner.invoke(args=["notices", "export", "--no-redact"]).output)
    record = next(r for r in exported if r["case_id"] == case_id)
    assert record["kind"] == "takedown"
    assert "the desk read it as payment_demand" in record["sources"]["kind"]


MIKE = (b"From: Mike Lee <mike@abcnews.example>\r\nTo: contact@uscntv.com\r\n"
        b"Subject: copied story\r\nMessage-ID: <mike-1@abcnews.example>\r\n"
        b"Date: Mon, 07 Dec 2026 09:00:00 +0000\r\n\r\n"
        b"Hi, your site copied our story https://abcnews.example/story/1 here: "
        b"https://uscntv.com/news/1.html . Take it down now. -- Mike, ABC News\r\n")


def _mike(app) -> Notice:
    box = Path(app.config["MAILDIR"])
    (box / "new").mkdir(parents=True, exist_ok=True)
    (box / "new" / "mike.letter:2,").write_bytes(MIKE)
    assert app.test_cli_runner().invoke(args=["mail", "fetch"]).exit_code == 0
    session = get_session()
    return session.exec(select(Notice)).one()


def test_an_informal_takedown_naming_no_law_is_checked_against_our_own(app):
    # The first example: a request, from the sender, lacking what the law asks.
    with app.app_context():
        notice = _mike(app)
        assert (notice.kind, notice.jurisdiction, notice.claimant_email) == (
            "takedown", None, "mike@abcnews.example")
        # "-- Mike, ABC News" is a typed signature; the statements the DMCA asks for are not there.
        assert {"good_faith", "accuracy", "perjury"} <= set(notice.missing_elements)
        assert any("names no law" in line for line in notice.uncertain)
        case = get_session().get(Case, notice.case_id)
        made = drafts.for_case(gather(get_session(), case), site_name="USCNTV")
        assert "good faith" in made["need_info"]["body"].lower()


def test_without_a_home_law_such_a_letter_needs_only_contact_work_and_page(any_database_url,
                                                                          tmp_path):

    app = make_test_app(tmp_path, any_database_url, HOME_JURISDICTION="")
    try:
        with app.app_context():
            assert _mike(app).missing_elements == []
    finally:
        dispose(app)
