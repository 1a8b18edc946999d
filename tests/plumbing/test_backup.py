"""Backup and restore: SQLite online backup and pg_dump/pg_restore, round trips and bad files."""

import gzip
import io
import json
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from moderation import demo
from moderation.models import Article, AuditEvent, MailMessage
from moderation.plumbing import audit, backup, pgtools
from moderation.plumbing.db import get_engine, get_session, make_engine, transaction, upgrade

from ..conftest import BACKENDS, PG_URL, add_user, dispose, make_test_app


@pytest.fixture(params=BACKENDS)
def scratch(request, tmp_path):
    """Make empty databases of one backend; PostgreSQL ones are created and dropped here."""
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT") if request.param != "sqlite" \
        else None
    made: list[str] = []

    def make(name: str) -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / name / 'instance' / 'moderation.db'}"
        database = f"moderation_backup_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
        made.append(database)
        return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)

    make.backend = request.param
    yield make
    if admin is not None:
        with admin.connect() as connection:
            for database in made:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.dispose()


def desk(tmp_path: Path, name: str, url: str):
    return make_test_app(tmp_path / name, url)


def snapshot(app) -> dict:
    """Row counts and the content of the mail, to compare two databases."""
    with app.app_context():
        counts = backup.counts(get_engine())
        mail = sorted(get_session().exec(select(MailMessage.sha256, MailMessage.raw)).all())
    return {"counts": counts, "mail": mail}


def filled(tmp_path: Path, url: str):
    """A desk with the demo (articles, originals, mail, notices, cases), a user and a report."""
    app = desk(tmp_path, "source", url)
    with app.app_context():
        upgrade(get_engine())
    demo.load(app)
    add_user(app, "admin@example.org", "admin")
    report = app.test_cli_runner().invoke(args=["report", "transparency", "--no-mail"])
    assert report.exit_code == 0, report.output
    return app


def test_round_trip_into_a_fresh_instance_gives_the_same_rows(scratch, tmp_path):
    source = filled(tmp_path, scratch("source"))
    before = snapshot(source)
    assert all(before["counts"][k] for k in ("articles", "originals", "notices", "cases"))
    archive = tmp_path / "desk.tar.gz"
    made = source.test_cli_runner().invoke(args=["backup", "-o", str(archive)])
    assert made.exit_code == 0, made.output
    assert f"to {archive}" in made.output and "Rows: 1 articles, 1 originals" in made.output
    assert "secret_key" in made.output and archive.stat().st_mode & 0o077 == 0

    target = desk(tmp_path, "target", scratch("target"))
    restored = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "Audit log intact" in restored.output and "Traceback" not in restored.output
    after = snapshot(target)
    assert after["mail"] == before["mail"]
    assert after["counts"] == {**before["counts"],
                               "audit_events": before["counts"]["audit_events"] + 1}
    with target.app_context():
        assert audit.verify(get_session()).ok
        last = get_session().exec(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert last.action == "backup.restore" and last.after["file"] == "desk.tar.gz"
    reports = sorted(p.name for p in (Path(target.instance_path) / "reports").iterdir())
    assert reports == sorted(p.name for p in (Path(source.instance_path) / "reports").iterdir())
    assert reports and reports[0].startswith("transparency-")
    dispose(source)
    dispose(target)


def test_restore_over_data_needs_yes(scratch, tmp_path):
    app = filled(tmp_path, scratch("source"))
    archive = tmp_path / "desk.tar.gz"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    with app.app_context(), transaction() as session:
        session.add(Article(url="https://uscntv.com/after-the-backup.html", title="later"))
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1 and "already holds data" in refused.output
    assert "--yes" in refused.output
    assert snapshot(app)["counts"]["articles"] == 2  # nothing was touched
    done = runner.invoke(args=["restore", "--yes", str(archive)])
    assert done.exit_code == 0, done.output
    with app.app_context():
        urls = get_session().exec(select(Article.url)).all()
        assert "https://uscntv.com/after-the-backup.html" not in urls and len(urls) == 1
        assert audit.verify(get_session()).ok
    dispose(app)


def test_sqlite_backup_is_consistent_while_another_connection_writes(app, tmp_path):
    """Each write adds an article and its audit event together; every backup must agree."""
    url = app.config["DATABASE_URL"]
    stop, written, errors = threading.Event(), [0], []

    def writer():
        engine = make_engine(url)
        try:
            while not stop.is_set():
                with Session(engine) as session:
                    n = written[0]
                    session.add(Article(url=f"https://uscntv.com/w/{n}.html", title=str(n)))
                    audit.record(session, "test.write", object_type="article", object_id=n)
                    session.commit()
                written[0] += 1
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            engine.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    runner, archives = app.test_cli_runner(), []
    try:
        while written[0] < 20:
            stop.wait(0.01)
        for number in range(3):
            archives.append(tmp_path / f"during-{number}.tar.gz")
            result = runner.invoke(args=["backup", "-o", str(archives[-1])])
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        thread.join()
    assert not errors and written[0] > 20
    seen = []
    for number, archive in enumerate(archives):
        fresh = desk(tmp_path, f"fresh-{number}", f"sqlite:///{tmp_path / f'fresh-{number}.db'}")
        result = fresh.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        counts = snapshot(fresh)["counts"]
        # The restore adds one event of its own; the rest pair up with the articles.
        assert counts["audit_events"] - 1 == counts["articles"]
        seen.append(counts["articles"])
        dispose(fresh)
    assert seen == sorted(seen) and 20 <= seen[0] and seen[-1] <= written[0]


def test_backup_goes_to_instance_backups_by_default(runner, app):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    [made] = (Path(app.instance_path) / "backups").iterdir()
    assert made.name.startswith("moderation-") and made.name.endswith("Z.tar.gz")
    with tarfile.open(made) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        assert set(archive.getnames()) == {"manifest.json", "database.sqlite3"}
    assert manifest["format"] == "moderation-desk-backup" and manifest["backend"] == "sqlite"
    assert manifest["revision"] and len(manifest["sha256"]) == 64


def _archive(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_bad_files_are_refused_in_words(runner, app, tmp_path):
    good = tmp_path / "good.tar.gz"
    assert runner.invoke(args=["backup", "-o", str(good)]).exit_code == 0
    data = good.read_bytes()
    with tarfile.open(good) as archive:
        manifest = archive.extractfile("manifest.json").read()
        database = archive.extractfile("database.sqlite3").read()
    tampered = bytearray(database)
    tampered[-100] ^= 0xFF
    cases = {
        "random.bin": (bytes(range(256)) * 8, "is not a backup"),
        "cut.tar.gz": (data[: len(data) // 2], "damaged or cut short"),
        "notgzip.tar.gz": (gzip.compress(b"hello"), "damaged or cut short"),
        "other.tar.gz": (_archive({"readme.txt": b"hi"}), "not a complete moderation desk"),
        "foreign.tar.gz": (_archive({"manifest.json": b'{"format": "x"}'}), "not a moderation"),
        "tampered.tar.gz": (_archive({"manifest.json": manifest,
                                      "database.sqlite3": bytes(tampered)}),
                            "does not match its checksum"),
        "garbage.db": (b"SQLite format 3\x00" + bytes(5000), "damaged"),
        "broken.pgdump": (b"PGDMP" + bytes(200), "not a readable PostgreSQL dump"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = runner.invoke(args=["restore", "--yes", str(path)])
        assert result.exit_code == 1, (name, result.output)
        assert expected in result.output, (name, result.output)
        assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    # A SQLite database that is not the desk's, and a backup of the other backend.
    other = tmp_path / "other.db"
    engine = sa.create_engine(f"sqlite:///{other}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (text TEXT)")
    engine.dispose()
    result = runner.invoke(args=["restore", "--yes", str(other)])
    assert result.exit_code == 1 and "not one of the moderation desk" in result.output
    # A database made by a newer version of the desk (a schema revision unknown here).
    future = tmp_path / "future.db"
    with app.app_context():
        source = make_url(app.config["DATABASE_URL"]).database
    engine = sa.create_engine(f"sqlite:///{source}")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"VACUUM INTO '{future}'")
    engine.dispose()
    engine = sa.create_engine(f"sqlite:///{future}")
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0999_future'")
    engine.dispose()
    result = runner.invoke(args=["restore", "--yes", str(future)])
    assert result.exit_code == 1 and "revision 0999_future is unknown" in result.output
    with app.app_context():
        assert audit.verify(get_session()).ok  # the database was left as it was


def test_the_password_is_passed_in_the_environment_only():
    dsn, env = pgtools.conninfo(
        "postgresql+psycopg://desk:s3cret@db.example.org:5433/desk?sslmode=require")
    assert "s3cret" not in dsn and env["PGPASSWORD"] == "s3cret"
    assert dsn == "postgresql://desk@db.example.org:5433/desk?sslmode=require"


def test_missing_pg_dump_is_said_plainly(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pgtools.ToolError, match="pg_dump was not found on PATH"):
        pgtools.find("pg_dump")
    monkeypatch.undo()
    assert Path(pgtools.find("pg_dump")).name == "pg_dump"  # installed where the tests run
