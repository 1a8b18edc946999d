"""The `moderation` commands through Flask's CLI runner."""

import sqlalchemy as sa
from sqlmodel import select

from moderation.commands.setup import prepare_first_run
from moderation.models import Article, AuditEvent, MailMessage, Notice, Original, User
from moderation.plumbing import audit
from moderation.plumbing.db import get_engine, get_session, schema_exists

from ..conftest import make_test_app


def test_init_db_creates_then_is_idempotent(tmp_path):
    app = make_test_app(tmp_path, f"sqlite:///{tmp_path / 'new.db'}")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "Database ready" in second.output
    with app.app_context():
        assert schema_exists(get_engine())
        assert get_session().exec(select(Article)).all() == []  # init-db never loads demo data


def test_init_db_on_unreachable_database_says_so(tmp_path):
    app = make_test_app(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 1
    assert "cannot open the database postgresql+psycopg://nobody@127.0.0.1:1/none" in result.output
    assert "Traceback" not in result.output


def test_users_create_reads_password_from_stdin(runner, app):
    result = runner.invoke(
        args=["users", "create", "Editor@Example.org", "--role", "admin", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created admin editor@example.org" in result.output
    with app.app_context():
        user = get_session().exec(select(User)).one()
        assert user.role == "admin" and user.email == "editor@example.org"
        assert get_session().exec(select(AuditEvent.action)).all() == ["user.create"]


def test_users_create_prompts_for_a_password(runner, app):
    result = runner.invoke(args=["users", "create", "r@example.org"],
                           input="twelve chars ok\ntwelve chars ok\n")
    assert result.exit_code == 0, result.output
    assert "Created reviewer r@example.org" in result.output


def test_users_create_refuses_a_short_password(runner):
    result = runner.invoke(args=["users", "create", "r@example.org", "--password-stdin"],
                           input="short\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output


def test_users_create_refuses_a_duplicate(runner):
    args = ["users", "create", "dup@example.org", "--password-stdin"]
    runner.invoke(args=args, input="a long enough password\n")
    result = runner.invoke(args=args, input="a long enough password\n")
    assert result.exit_code == 1 and "already an account" in result.output


def test_users_list_shows_accounts(runner):
    runner.invoke(args=["users", "create", "a@example.org", "--password-stdin"],
                  input="a long enough password\n")
    result = runner.invoke(args=["users", "list"])
    assert result.output.strip() == "a@example.org\treviewer\tactive"


def test_audit_verify_passes_on_an_intact_chain(runner, app):
    with app.app_context():
        for n in range(5):
            audit.record(get_session(), "test.event", actor="test", after={"n": n, "名": "值"})
        get_session().commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "5 events checked" in result.output


def test_audit_verify_names_the_first_tampered_row(runner, app):
    with app.app_context():
        session = get_session()
        events = [audit.record(session, "test.event", actor="test", after={"n": n})
                  for n in range(5)]
        session.commit()
        target = events[2].id
        # Tampering means going around the trigger, as someone with database access could.
        session.execute(sa.text("DROP TRIGGER auditevent_no_update"))
        session.execute(sa.text("UPDATE auditevent SET after = :v WHERE id = :id"),
                        {"v": '{"n": 99}', "id": target})
        session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at event id {target}: content does not match its hash" in result.output


def test_audit_verify_finds_a_deleted_row(runner, app):
    with app.app_context():
        session = get_session()
        events = [audit.record(session, "test.event", actor="test") for _ in range(4)]
        session.commit()
        session.execute(sa.text("DROP TRIGGER auditevent_no_delete"))
        session.execute(sa.text("DELETE FROM auditevent WHERE id = :id"), {"id": events[1].id})
        session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at event id {events[2].id}: sequence jumps to 3, expected 2" in result.output


def test_first_run_creates_admin_and_demo_once(tmp_path):
    app = make_test_app(tmp_path, f"sqlite:///{tmp_path / 'fresh.db'}")
    password = prepare_first_run(app)
    assert password and len(password) >= 12
    assert prepare_first_run(app) is None  # second start: nothing new
    with app.app_context():
        session = get_session()
        admin = session.exec(select(User)).one()
        assert admin.email == "admin@localhost" and admin.role == "admin"
        article = session.exec(select(Article)).one()
        original = session.exec(select(Original)).one()
    assert article.title == "拜登、普京在乌克兰紧张局势加剧之际举行电话会议"
    assert article.claimed_source == "美国新闻网"
    assert [s["language"] for s in article.segments] == ["zh", "en"]
    assert original.url.startswith("https://abcnews.go.com/Politics/")
    assert original.text.startswith("President Joe Biden spoke with Russian President")
    with app.app_context():
        session = get_session()
        classes = sorted(session.exec(select(MailMessage.classification)).all())
        seed_notice = next(n for n in session.exec(select(Notice))
                           if article.url in n.target_urls and n.kind == "takedown")
    assert classes == ["auto_reply", "bounce", "notice", "notice", "notice", "notice"]
    assert seed_notice.verification[0]["verdict"] == "supported"
    assert (tmp_path / "instance" / "mail" / "cur").is_dir()
    client = app.test_client()
    client.post("/login", data={"email": "admin@localhost", "password": password})
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "拜登、普京在乌克兰紧张局势加剧之际举行电话会议" in page


def test_doctor_reports_a_healthy_instance(runner):
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 0, result.output
    assert "ok    database reachable" in result.output


def test_doctor_says_what_is_wrong(tmp_path):
    app = make_test_app(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none",
                        DEFAULT_TIMEZONE="Mars/Olympus")
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL  cannot open the database" in result.output
    assert "FAIL  DEFAULT_TIMEZONE 'Mars/Olympus' is not a known time zone" in result.output


def test_commands_speak_the_desks_default_language(tmp_path):
    app = make_test_app(tmp_path, f"sqlite:///{tmp_path / 'zh.db'}", DEFAULT_LOCALE="zh_Hans")
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0 and "数据库已就绪" in result.output
