"""Benchmark: the provenance and transparency reports over 100,000 articles and 10,000 cases.

Usage: python tests/benchmarks/reports.py [--articles 100000] [--cases 10000]
                                          [--database-url postgresql+psycopg://...]
Loads a generated dataset (publishers, one with 1,000 domains; originals; articles with one
or two matches most of the time; cases with target pages, decisions, received notices and
audit events) into SQLite in a temporary instance and, when --database-url is given, into a
throw-away PostgreSQL schema (dropped afterwards). Times, per backend, each report's figures
and each of its forms (JSON, CSV, HTML with charts). Prints a table and one JSON line.
Target: every report form within 5 s.
"""

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# This folder holds a queue.py that would shadow the standard library's module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402

TARGET_SECONDS = 5.0
SEED = 20240601
BATCH = 5000
START = datetime(2023, 1, 1, tzinfo=UTC)
KINDS = ("verbatim", "excerpt", "edited", "translation")
WORDS = ("market", "election", "storm", "league", "court", "minister", "vaccine", "trade",
         "新闻", "经济", "选举", "法院", "体育", "科技")


def _insert(session, table, rows: list[dict]) -> None:
    for first in range(0, len(rows), BATCH):
        session.execute(sa.insert(table), rows[first:first + BATCH])
        session.commit()


def load(app, n_articles: int, n_cases: int) -> dict:
    """Fill the database with explicit ids; returns row counts and the load time."""
    from moderation.models import (
        Article,
        AuditEvent,
        Case,
        CaseTarget,
        Decision,
        MailMessage,
        Notice,
        Original,
        Provenance,
        Publisher,
        PublisherDomain,
    )
    from moderation.plumbing.db import get_session

    rng, started = random.Random(SEED), time.perf_counter()
    n_publishers, n_originals = 200, max(n_articles // 5, 10)
    now = START + timedelta(days=540)
    with app.app_context():
        session = get_session()
        _insert(session, Publisher, [
            {"id": i, "name": f"出版方 {i}" if i % 3 == 0 else f"Publisher {i}", "aliases": [],
             "created_at": START} for i in range(1, n_publishers + 1)])
        _insert(session, PublisherDomain, [
            {"id": k + 1, "domain": f"d{k}.example", "publisher_id": 1 if k < 1000
             else rng.randint(2, n_publishers)} for k in range(1400)])
        text = " ".join(rng.choices(WORDS, k=300))
        _insert(session, Original, [
            {"id": i, "url": f"https://orig.example/{i}", "publisher_id": rng.randint(1, n_publishers)
             if i % 50 else None, "title": f"Original {i}", "text": text[: rng.randint(400, 2000)],
             "text_hash": "", "created_at": START, "updated_at": START}
            for i in range(1, n_originals + 1)])
        articles, provenance = [], []
        for i in range(1, n_articles + 1):
            when = START + timedelta(minutes=rng.randint(0, 540 * 1440))
            articles.append({
                "id": i, "url": f"https://www.uscntv.com/a/{i}.html", "title": f"文章 {i}",
                "published_at": when if i % 10 else None, "created_at": when, "updated_at": when,
                "claimed_source": rng.choice(("美国新闻网", "ABC News", "路透社", None)),
                "status": "removed" if i % 40 == 0 else "published", "segments": [],
                "text_hash": ""})
            for original in rng.sample(range(1, n_originals + 1), rng.choice((0, 1, 1, 1, 2))):
                provenance.append({
                    "article_id": i, "original_id": original, "kind": rng.choice(KINDS),
                    "score": rng.uniform(0.3, 1), "article_coverage": rng.random(),
                    "original_coverage": rng.random(), "spans": [],
                    "attributed": rng.random() < 0.3, "engine_version": "bench", "created_at": now})
        _insert(session, Article, articles)
        _insert(session, Provenance, provenance)
        cases, targets, decisions, mail, notices, events = [], [], [], [], [], []
        for i in range(1, n_cases + 1):
            created = START + timedelta(minutes=rng.randint(0, 520 * 1440))
            decided = created + timedelta(hours=rng.uniform(1, 400)) if i % 4 else None
            cases.append({
                "id": i, "kind": "takedown", "status": "resolved_removed" if decided else "open",
                "priority": 0, "subject": f"Notice {i}", "claimant_name": "",
                "claimant_email": f"c{i % 300}@claims.example", "jurisdiction": rng.choice(
                    ("US", "EU", "CN", None)), "target_count": 1, "supported_count": 1,
                "complete": True, "decided_at": decided, "version": 1, "created_at": created,
                "updated_at": decided or created, "closed_at": None})
            for k in range(rng.choice((1, 1, 2))):
                article = rng.randint(1, n_articles)
                url = f"https://www.uscntv.com/a/{article}.html#{k}"
                targets.append({"case_id": i, "url": url, "article_id": article,
                                "original_id": rng.randint(1, n_originals), "verdict": "supported"})
                if decided:
                    decisions.append({
                        "case_id": i, "article_id": article, "target_url": url,
                        "action": rng.choice(("remove", "keep")), "reason_code": "copyright",
                        "statement_of_reasons": "", "automated": rng.random() < 0.5,
                        "decided_at": decided, "superseded": False})
            mail.append({"id": i, "sha256": f"{i:064x}", "raw": b"x", "source": "bench",
                         "references": [], "subject": f"Notice {i}", "from_name": "",
                         "from_addr": f"c{i % 300}@claims.example", "recipients": [],
                         "received_at": created, "headers": {}, "text": "", "html": "",
                         "attachments": [], "authentication": {}, "classification_reasons": [],
                         "warnings": [], "case_id": i})
            notices.append({"message_id": i, "kind": rng.choice(
                ("takedown", "takedown", "counter_notice", "retraction")), "claimant": {},
                "claimant_email": f"c{i % 300}@claims.example", "works": [], "target_urls": [],
                "original_urls": [], "statements": {}, "jurisdiction": cases[-1]["jurisdiction"],
                "missing_elements": [], "verification": [], "case_id": i, "created_at": created})
            if i % 20 == 0:
                action = rng.choice(("case.reject", "case.restore", "case.uphold"))
                events.append({"seq": len(events) + 1, "at": created + timedelta(days=3),
                               "actor": "bench", "action": action, "object_type": "case",
                               "object_id": str(i), "after": {"reason": rng.choice(
                                   ("incomplete", "abusive"))} if action == "case.reject" else {},
                               "prev_hash": "0" * 64, "hash": "0" * 64})
        for table, rows in ((Case, cases), (CaseTarget, targets), (Decision, decisions),
                            (MailMessage, mail), (Notice, notices), (AuditEvent, events)):
            _insert(session, table, rows)
        if session.get_bind().dialect.name == "postgresql":
            for table in ("publisher", "publisherdomain", "original", "article", "provenance",
                          "case", "casetarget", "decision", "mailmessage", "notice",
                          "auditevent"):
                session.execute(sa.text(f'ANALYZE "{table}"'))
            session.commit()
    return {"articles": n_articles, "provenance": len(provenance), "cases": n_cases,
            "decisions": len(decisions), "load_seconds": round(time.perf_counter() - started, 1)}


def timings(app) -> dict:
    """Seconds for each report's figures and forms, and for the two report pages."""
    from moderation import reports
    from moderation.plumbing.db import get_session
    from moderation.reports.provenance import publishers

    results = {}
    with app.app_context():
        session = get_session()
        steps = {
            "provenance figures": lambda: reports.build(session, "provenance"),
            "provenance figures, 3 months": lambda: reports.build(
                session, "provenance", reports.Period.from_dates("2024-01-01", "2024-03-31")),
            "publishers table": lambda: publishers(session, None, None),
            "provenance json (every article)": lambda: reports.render(session, "provenance",
                                                                      "json"),
            "provenance csv (every article)": lambda: reports.render(session, "provenance", "csv"),
            "provenance html": lambda: reports.render(session, "provenance", "html"),
            "transparency figures": lambda: reports.build(session, "transparency"),
            "transparency csv": lambda: reports.render(session, "transparency", "csv"),
            "transparency html": lambda: reports.render(session, "transparency", "html"),
        }
        for name, step in steps.items():
            started = time.perf_counter()
            step()
            results[name] = round(time.perf_counter() - started, 3)
            session.rollback()
    return results


def run(base_url: str | None, args, tmp: Path) -> dict:
    from moderation import create_app
    from moderation.plumbing.db import make_engine, upgrade

    schema = None
    if base_url is None:
        url = f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.db'}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with sa.create_engine(base_url).begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = f"{base_url}?options=-csearch_path%3D{schema}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        app = create_app({"INSTANCE_PATH": str(tmp / "instance"), "DATABASE_URL": url,
                          "DEFAULT_LOCALE": "en"})
        loaded = load(app, args.articles, args.cases)
        result = {"load": loaded, "seconds": timings(app)}
        app.extensions["moderation.engine"].dispose()
        return result
    finally:
        if schema:
            admin = sa.create_engine(base_url)
            with admin.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--database-url", default=None,
                        help="also run on this PostgreSQL database (a throw-away schema)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = run(None, args, Path(tmp))
        if args.database_url:
            results["postgresql"] = run(args.database_url, args, Path(tmp))
    backends = list(results)
    print(f"{'step (seconds)':<34}" + "".join(f"{b:>12}" for b in backends))
    for step in results["sqlite"]["seconds"]:
        print(f"{step:<34}" + "".join(f"{results[b]['seconds'][step]:>12}" for b in backends))
    print(f"{'(load, not timed above)':<34}"
          + "".join(f"{results[b]['load']['load_seconds']:>12}" for b in backends))
    slowest = max(s for b in backends for s in results[b]["seconds"].values())
    verdict = "meets" if slowest <= TARGET_SECONDS else "MISSES"
    print(f"slowest step {slowest} s {verdict} the {TARGET_SECONDS} s target")
    print(json.dumps({"benchmark": "reports", "articles": args.articles, "cases": args.cases,
                      "target_seconds": TARGET_SECONDS, "meets_target": slowest <= TARGET_SECONDS,
                      **results}))


if __name__ == "__main__":
    main()
