"""`match --all` skips articles whose text, engine version and candidate originals are unchanged."""

import hashlib

from sqlmodel import select

from moderation import demo, provenance
from moderation.models import Article, Original, Provenance
from moderation.plumbing.db import get_session, transaction


def _match(runner, *extra):
    result = runner.invoke(args=["match", "--all", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _add_original(app, url: str, text: str) -> None:
    with app.app_context(), transaction() as session:
        session.add(Original(url=url, title="t", text=text, language="en",
                             text_hash=hashlib.sha256(text.encode()).hexdigest()))


def _demo_original(app) -> Original:
    with app.app_context():
        session = get_session()
        row = session.exec(select(Provenance)).one()
        return session.get(Original, row.original_id)


def test_a_second_match_all_skips_the_unchanged_article_and_keeps_its_rows(runner, app):
    demo.load(app, with_mail=False)
    with app.app_context():
        before = [(r.original_id, r.kind, r.score) for r in get_session().exec(select(Provenance))]
    assert "1 matched, 0 without a known original, 0 unchanged" in _match(runner, "--force")
    assert "0 matched, 0 without a known original, 1 unchanged" in _match(runner)
    with app.app_context():
        after = [(r.original_id, r.kind, r.score) for r in get_session().exec(select(Provenance))]
    assert after == before


def test_force_redoes_them(runner, app):
    demo.load(app, with_mail=False)
    _match(runner)
    assert "1 matched, 0 without a known original, 0 unchanged" in _match(runner, "--force")


def test_a_changed_text_is_matched_again(runner, app):
    demo.load(app, with_mail=False)
    _match(runner)
    with app.app_context(), transaction() as session:
        article = session.exec(select(Article)).first()
        article.segments = [*article.segments, {"language": "zh", "text": "编者按:本文有更新。"}]
        session.add(article)
    assert "1 matched, 0 without a known original, 0 unchanged" in _match(runner)


def test_a_new_engine_version_matches_again(runner, app, monkeypatch):
    demo.load(app, with_mail=False)
    _match(runner)
    monkeypatch.setattr(provenance, "ENGINE_VERSION", "matching-next")
    assert "0 unchanged" in _match(runner)


def test_a_new_candidate_original_matches_again_an_unrelated_one_does_not(runner, app):
    demo.load(app, with_mail=False)
    _match(runner)
    _add_original(app, "https://example.org/weather", "Rain is expected across the north on "
                  "Tuesday with strong winds along the coast and snow on high ground later.")
    assert "0 matched, 0 without a known original, 1 unchanged" in _match(runner)
    copy = _demo_original(app).text
    _add_original(app, "https://example.org/syndicated-copy", copy)
    output = _match(runner)
    assert "1 matched, 0 without a known original, 0 unchanged" in output
