"""Migrating on start-up: a schema already at the newest revision costs one small query."""

from alembic.config import Config
from alembic.script import ScriptDirectory

from moderation.plumbing import db


def test_the_head_read_from_the_files_is_alembics_head():
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    assert [db.head_revision()] == ScriptDirectory.from_config(config).get_heads()


def test_a_schema_at_head_is_not_migrated_again_and_an_older_one_is(tmp_path, monkeypatch):
    import alembic.command

    engine = db.make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    assert db.stored_revisions(engine) is None and not db.at_head(engine)
    db.upgrade(engine)  # a new database: created by Alembic
    assert db.stored_revisions(engine) == {db.head_revision()} and db.at_head(engine)

    calls = []
    real = alembic.command.upgrade
    monkeypatch.setattr(alembic.command, "upgrade", lambda *a: calls.append(a) or real(*a))
    db.upgrade(engine)
    assert calls == []  # at head: Alembic is not asked

    # One revision behind (as after installing a newer desk): Alembic runs the missing step.
    alembic.command.downgrade(db.alembic_config(engine), "-1")
    behind = db.stored_revisions(engine)
    assert behind and behind != {db.head_revision()} and not db.at_head(engine)
    db.upgrade(engine)
    assert len(calls) == 1 and db.at_head(engine)
    engine.dispose()
