"""Matching many articles at once gives what matching them one by one gives.

`match_articles` reads, keys and matches articles a chunk at a time and raises review items in
bulk; the same articles matched one call per article must leave the same provenance rows,
review items, page targets and audit events.
"""

from pathlib import Path

import pytest
from sqlmodel import select

from moderation import demo, provenance
from moderation.models import (
    Article,
    AuditEvent,
    Case,
    CaseTarget,
    Original,
    Provenance,
    Publisher,
    PublisherDomain,
)
from moderation.plumbing import audit
from moderation.plumbing.db import get_session, transaction
from moderation.provenance import review

from ..conftest import BACKENDS, dispose, fresh_database, make_test_app

BBC = Path(__file__).parents[1] / "fixtures" / "matching" / "bbc" / "articles"


def _texts() -> list[tuple[str, list[str]]]:
    out = []
    for path in sorted(BBC.glob("*.txt"))[:12]:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        out.append((title.strip(), [p for p in body.split("\n\n") if p.strip()]))
    return out


def _fill(app) -> None:
    """Originals by two publishers, and pages that copy, excerpt (credited or not), combine
    two originals, or copy nothing; plus the demo's translated page."""
    demo.load(app, with_mail=False)
    texts = _texts()
    with app.app_context(), transaction() as session:
        wire = Publisher(name="Wire Service", aliases=["Wire"])
        daily = Publisher(name="Daily Paper", aliases=[])
        session.add_all([wire, daily])
        session.flush()
        session.add(PublisherDomain(domain="wire.example", publisher_id=wire.id))
        for n, (title, paragraphs) in enumerate(texts[:10]):
            session.add(Original(url=f"https://wire.example/{n}", title=title,
                                 text="\n\n".join(paragraphs), language="en",
                                 publisher_id=(wire if n % 2 else daily).id))
        pages = []
        for n, (title, paragraphs) in enumerate(texts[:8]):
            if n % 4 == 0:
                body = paragraphs  # a copy
            elif n % 4 == 1:
                body = paragraphs[:3] + ["来源:Wire Service"]  # a credited excerpt
            elif n % 4 == 2:
                body = paragraphs[1:4]  # an uncredited excerpt
            else:
                body = paragraphs[:3] + texts[n + 1][1][:3]  # two originals combined
            pages.append((title, body))
        pages.append(texts[11])  # nobody's original
        for n, (title, body) in enumerate(pages):
            session.add(Article(url=f"https://www.uscntv.com/p/{n}.html", title=title,
                                segments=[{"language": "en", "text": "\n\n".join(body)}]))


def _state(app) -> dict:
    with app.app_context():
        session = get_session()
        url = {a.id: a.url for a in session.exec(select(Article))}
        original = {o.id: o.url for o in session.exec(select(Original))}
        rows = sorted((url[p.article_id], original[p.original_id], p.kind, p.score,
                       p.article_coverage, p.original_coverage, p.attributed, str(p.spans),
                       p.engine_version) for p in session.exec(select(Provenance)))
        items = [(c.kind, c.status, c.subject, c.claimant_name, c.priority, c.reasons,
                  c.target_count) for c in session.exec(select(Case).order_by(Case.id))]
        targets = [(t.case_id, t.url, t.original_id, t.verdict, t.kind, t.score)
                   for t in session.exec(select(CaseTarget).order_by(CaseTarget.id))]
        events = []
        for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq)):
            after = {k: v for k, v in (e.after or {}).items() if k != "due_at"}
            events.append((e.action, e.actor, e.object_type, e.object_id, after))
        keys = sorted((a.url, a.match_key) for a in session.exec(select(Article)))
        assert audit.verify(session).ok
    return {"provenance": rows, "items": items, "targets": targets, "events": events,
            "keys": keys}


def _one_by_one(session, index) -> None:
    ids = session.exec(select(Article.id).order_by(Article.id)).all()
    for article_id in ids:
        provenance.match_articles(session, index, [article_id], raise_review=False)
    found = session.exec(select(Provenance.article_id).distinct()).all()
    for article_id in sorted(found):
        review.raise_items(session, [article_id])
        session.commit()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_batch_leaves_what_one_by_one_leaves(tmp_path, sqlite_template, backend,
                                               monkeypatch):
    monkeypatch.setattr(provenance, "MATCH_CHUNK", 4)  # several chunks, one partly full
    monkeypatch.setattr(review, "CHUNK", 3)
    states = []
    for name, run in (("batch", None), ("single", _one_by_one)):
        folder = tmp_path / name
        databases = fresh_database(backend, folder, sqlite_template)
        app = make_test_app(folder, next(databases))
        try:
            _fill(app)
            with app.app_context():
                session, index = get_session(), provenance.get_index(app)
                provenance.reconcile(session, index)
                if run is None:
                    counts = provenance.match_articles(session, index)
                    assert counts["matched"] >= 8 and counts["raised"] >= 4
                else:
                    run(session, index)
                # A second round after a page took in another original refreshes its item.
                article = session.exec(select(Article).where(
                    Article.url == "https://www.uscntv.com/p/2.html")).one()
                article.segments = [*article.segments,
                                    {"language": "en", "text": "\n\n".join(_texts()[9][1][:3])}]
                session.add(article)
                session.commit()
                if run is None:
                    assert provenance.match_articles(session, index)["refreshed"] == 1
                else:
                    provenance.match_articles(session, index, [article.id], raise_review=False)
                    assert review.raise_items(session, [article.id])["refreshed"] == 1
                    session.commit()
            states.append(_state(app))
        finally:
            dispose(app)
            databases.close()
    batch, single = states
    # The audit trail differs only in the summary events of each matching run.
    runs = [e for e in single["events"] if e[0] == "provenance.match"]
    single["events"] = [e for e in single["events"] if e[0] != "provenance.match"]
    batch["events"] = [e for e in batch["events"] if e[0] != "provenance.match"]
    assert len(runs) > 10  # one per article, and the second round
    assert batch == single
    assert len({row[0] for row in batch["provenance"]}) >= 9  # the demo page and ours
    assert {"review.raise", "case.open", "review.reasons"} <= {e[0] for e in batch["events"]}
