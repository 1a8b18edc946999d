"""Reports for cron: stored in the instance folder, audited, listed, served, mailed."""

import csv
import io
import json
from pathlib import Path

from sqlmodel import select

from moderation.models import AuditEvent
from moderation.plumbing.db import get_session, transaction

from .test_reports import make_dataset


def _runs(app) -> list[AuditEvent]:
    with app.app_context():
        return get_session().exec(select(AuditEvent).where(
            AuditEvent.action == "report.generate").order_by(AuditEvent.seq)).all()


def test_each_run_is_stored_audited_and_written_to_the_output(app, runner, tmp_path):
    with app.app_context(), transaction() as session:
        make_dataset(session)
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["report", "transparency", "--format", "csv", "-o", str(target),
                                 "--since", "2024-01-01"])
    assert result.exit_code == 0, result.output
    [run] = _runs(app)
    assert run.after["report"] == "transparency" and run.after["since"] == "2024-01-01"
    stored = Path(app.instance_path) / "reports" / run.after["file"]
    assert stored.read_bytes() == target.read_bytes()
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert {"section", "key", "value"} == set(rows[0])


def test_the_html_report_is_self_contained_with_inline_charts(app, runner):
    with app.app_context(), transaction() as session:
        make_dataset(session)
    html = runner.invoke(args=["report", "provenance", "--format", "html"]).output
    assert html.lstrip().startswith("<!doctype html>") and "<style>" in html
    assert html.count("<svg") == 2 and "<script" not in html.lower()
    assert 'href="/static' not in html  # nothing to fetch: the file stands alone


def test_the_reports_page_lists_runs_and_serves_their_files(app, runner, client, auth):
    assert runner.invoke(args=["report", "transparency", "--format", "json"]).exit_code == 0
    [run] = _runs(app)
    name = run.after["file"]
    assert client.get(f"/reports/runs/{name}").status_code == 302  # signed-out: to sign-in
    auth.login()
    page = client.get("/reports/").get_data(as_text=True)
    assert "Last run:" in page and f"/reports/runs/{name}" in page
    served = client.get(f"/reports/runs/{name}")
    assert served.status_code == 200
    assert json.loads(served.get_data())["report"] == "transparency"
    assert client.get("/reports/runs/..%2Fmoderation.db").status_code == 404
    assert client.get("/reports/runs/secret_key").status_code == 404


def test_the_reports_page_says_when_nothing_has_run(client, auth):
    auth.login()
    assert "No report has been generated yet." in client.get("/reports/").get_data(as_text=True)


def test_a_run_is_mailed_to_the_configured_recipients(app, runner, smtp_server):
    app.config.update(REPORT_RECIPIENTS="boss@example.org, 法务@example.org",
                      SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none",
                      MAIL_FROM="Desk <desk@uscntv.com>")
    result = runner.invoke(args=["report", "transparency", "--format", "html"])
    assert result.exit_code == 0, result.output
    [message] = smtp_server.messages
    assert "boss@example.org" in message["To"] and "transparency" in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename().endswith(".html")
    assert "<svg" in attachment.get_content() or "No data" in attachment.get_content()
    [run] = _runs(app)
    assert run.after["mailed_to"] == ["boss@example.org", "法务@example.org"]


def test_no_mail_skips_the_recipients(app, runner, smtp_server):
    app.config.update(REPORT_RECIPIENTS=["boss@example.org"], SMTP_HOST="127.0.0.1",
                      SMTP_PORT=smtp_server.port, SMTP_SECURITY="none")
    assert runner.invoke(args=["report", "provenance", "--no-mail"]).exit_code == 0
    assert smtp_server.messages == []


def test_a_mail_failure_keeps_the_file_and_exits_1(app, runner):
    app.config.update(REPORT_RECIPIENTS=["boss@example.org"], SMTP_HOST="")
    result = runner.invoke(args=["report", "transparency", "--format", "json"])
    assert result.exit_code == 1 and "SMTP_HOST is empty" in result.output
    [run] = _runs(app)
    assert run.after["mail_error"] and run.after["mailed_to"] == []
    assert (Path(app.instance_path) / "reports" / run.after["file"]).exists()
