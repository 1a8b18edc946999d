"""Exports leave private persons' phone numbers, addresses and e-mail out unless told not to."""

import csv
import hashlib
import io
import json
from pathlib import Path

from sqlmodel import select

from moderation.models import AuditEvent, MailMessage, Notice, Publisher, PublisherDomain
from moderation.plumbing.db import get_session, transaction
from moderation.reports.redaction import ADDRESS, EMAIL, PHONE

NOTICES = Path(__file__).parents[1] / "fixtures" / "mail" / "notices"

CLAIMANTS = [
    # (from, claimant) - a private person on webmail, in Chinese
    ("zhangwei@qq.com", {"name": "张伟", "email": "zhangwei@qq.com", "phone": "138-0013-8000",
                         "address": "北京市朝阳区建国路88号"}),
    # an agent who says whom they act for: the organisation's address is kept
    ("legal@abcnews.example", {"name": "Jane Roe", "organisation": "ABC News",
                               "email": "legal@abcnews.example", "phone": "+1 212 555 0100",
                               "address": "77 W 66th Street, New York, NY 10023"}),
    # a person at their own domain, acting for nobody
    ("bob@bobs-blog.example", {"name": "Bob", "email": "bob@bobs-blog.example"}),
    # someone at a known publisher's domain
    ("desk@nytimes.example", {"name": "NYT desk", "email": "desk@nytimes.example"}),
    # the same private person again
    ("zhangwei@qq.com", {"name": "张伟", "email": "zhangwei@qq.com"}),
]


def _notices(app) -> None:
    with app.app_context(), transaction() as session:
        publisher = Publisher(name="The New York Times")
        session.add(publisher)
        session.flush()
        session.add(PublisherDomain(domain="nytimes.example", publisher_id=publisher.id))
        for number, (sender, claimant) in enumerate(CLAIMANTS):
            raw = f"From: {sender}\r\nSubject: n{number}\r\n\r\n{number}".encode()
            message = MailMessage(sha256=hashlib.sha256(raw).hexdigest(), raw=raw,
                                  from_addr=sender, classification="notice",
                                  subject=f"请删除 call me at 13912345678 ({number})")
            session.add(message)
            session.flush()
            session.add(Notice(message_id=message.id, kind="takedown", claimant=claimant,
                               claimant_email=claimant["email"], jurisdiction="CN"))


def test_notices_export_is_redacted_by_default(any_app):
    _notices(any_app)
    runner = any_app.test_cli_runner()
    result = runner.invoke(args=["notices", "export"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    person, agent, blogger, publisher, _again = records
    assert person["claimant"] | {"name": "张伟"} == {
        "name": "张伟", "email": EMAIL, "organisation": None, "phone": PHONE, "address": ADDRESS}
    assert person["from"] == EMAIL and person["subject"] == f"请删除 call me at {PHONE} (0)"
    assert agent["claimant"]["email"] == agent["from"] == "legal@abcnews.example"
    assert agent["claimant"]["phone"] == PHONE and agent["claimant"]["address"] == ADDRESS
    assert blogger["claimant"]["email"] == blogger["from"] == EMAIL
    assert publisher["claimant"]["email"] == "desk@nytimes.example"
    for private in ("zhangwei@qq.com", "bob@bobs-blog.example", "138-0013-8000", "13912345678",
                    "建国路88号", "555 0100", "66th Street"):
        assert private not in result.output, private

    internal = runner.invoke(args=["notices", "export", "--no-redact"])
    assert internal.exit_code == 0
    for private in ("zhangwei@qq.com", "bob@bobs-blog.example", "138-0013-8000", "13912345678"):
        assert private in internal.output


def test_real_notices_keep_no_phone_or_address_in_the_export(runner, app):
    paths = sorted(NOTICES.glob("*.eml"))
    assert runner.invoke(args=["mail", "import", *map(str, paths)]).exit_code == 0
    internal = json.loads(runner.invoke(args=["notices", "export", "--no-redact"]).output)
    published = runner.invoke(args=["notices", "export"]).output
    phones = [r["claimant"]["phone"] for r in internal if r["claimant"]["phone"]]
    addresses = [r["claimant"]["address"] for r in internal if r["claimant"]["address"]]
    assert len(phones) >= 3 and len(addresses) >= 3  # the fixtures do carry them
    for value in phones + addresses:
        assert value not in published, value
    # The Chinese rights holder and ABC News say whom they act for; a freelancer does not.
    assert "legal@xinghe-media.example" in published and "copyright@disney.example" in published
    assert "chen.wei@freelance-writer.example" not in published


def _claimants(rows: list[dict]) -> dict[str, int]:
    return {row["claimant"]: row["notices"] for row in rows}


def test_transparency_exports_merge_private_claimants(runner, app, client, auth):
    _notices(app)
    result = runner.invoke(args=["report", "transparency", "--format", "json", "--no-mail"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert _claimants(report["notices"]["by_claimant"]) == {
        EMAIL: 3, "legal@abcnews.example": 1, "desk@nytimes.example": 1}
    assert report["notices"]["claimants"] == 4  # the distinct count is not changed
    internal = json.loads(runner.invoke(args=["report", "transparency", "--format", "json",
                                              "--no-mail", "--no-redact"]).output)
    assert _claimants(internal["notices"]["by_claimant"])["zhangwei@qq.com"] == 2
    with app.app_context():
        runs = get_session().exec(select(AuditEvent).where(
            AuditEvent.action == "report.generate").order_by(AuditEvent.seq)).all()
        assert [run.after["redacted"] for run in runs] == [True, False]

    auth.login()
    downloaded = client.get("/reports/transparency.json").get_json()
    assert _claimants(downloaded["notices"]["by_claimant"])[EMAIL] == 3
    table = client.get("/reports/transparency.csv").get_data().decode("utf-8-sig")
    keys = {row["key"] for row in csv.DictReader(io.StringIO(table))
            if row["section"] == "notices.by_claimant"}
    assert keys == {EMAIL, "legal@abcnews.example", "desk@nytimes.example"}
    assert "zhangwei@qq.com" not in table and "bob@bobs-blog.example" not in table
