"""Benchmark: POST /api/check served by gunicorn at 10,000 and 100,000 originals.

Usage: python tests/benchmarks/check.py [--sizes 10000,100000] [--clients 8] [--workers 3]
                                        [--requests 400] [--database-url postgresql+psycopg://...]
For each size: synthetic originals (4 to 8 paragraphs of BBC articles under a BBC title, from
tests/benchmarks/matching.py) by 40 publishers, some licensed and some with removals on record,
plus the seed page's ABC original, are written to a fresh SQLite database (or a throw-away
PostgreSQL schema) and indexed. The texts checked are realistic: whole originals in the site's
chrome, excerpts of two or three paragraphs (half of them credited), the seed page, and
unrelated texts (BBC articles kept out of the originals). Baseline, in the same run: check()
in-process, one at a time, without HTTP. Then gunicorn (--workers) serves --clients threads
POSTing at once. Reports p50/p95/max per size, client-side (loopback, including the wait for
a free worker) and server-side (gunicorn's request time), errors, and the risks answered.
Target: p95 <= 200 ms at 100,000 originals.
"""

import argparse
import contextlib
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[0] = str(REPO)  # not this folder: queue.py here would hide the standard queue module

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from tests.benchmarks.matching import read, synthetic, wrap  # noqa: E402
from tests.benchmarks.queue import database  # noqa: E402  (the same fresh database)

TARGET_P95_MS = 200
PUBLISHERS = 40
BATCH = 5000
SEED_PAGE = REPO / "moderation" / "demo" / "seed_page.txt"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def load(app, texts: list[str]) -> dict:
    """Publishers, originals (with their index), a few licences and removals, a token."""
    from moderation import demo, provenance
    from moderation.accounts import tokens
    from moderation.intake import extract_text_page
    from moderation.matching import OriginalText, content_hash
    from moderation.models import (
        Article,
        Case,
        CaseTarget,
        Decision,
        Licence,
        Original,
        Publisher,
        PublisherDomain,
    )
    from moderation.plumbing.db import get_engine, get_session

    started = time.perf_counter()
    engine = get_engine(app)
    with engine.begin() as connection:
        connection.execute(sa.insert(Publisher.__table__), [
            {"id": p + 1, "name": f"Wire {p}", "aliases": [f"Wire{p} News"],
             "created_at": datetime.now(UTC)} for p in range(PUBLISHERS)])
        connection.execute(sa.insert(PublisherDomain.__table__), [
            {"domain": f"wire{p}.example", "publisher_id": p + 1} for p in range(PUBLISHERS)])
        # Publishers 1-5 license full reposts (two with a required credit), 6-8 complained.
        connection.execute(sa.insert(Licence.__table__), [
            {"publisher_id": p, "kind": "licence", "full_repost": True, "translation_allowed": True,
             "credit_wording": f"来源:Wire {p - 1}" if p <= 2 else "", "reference": "",
             "notes": "", "valid_from": date(2000, 1, 1), "created_at": datetime.now(UTC),
             "updated_at": datetime.now(UTC)} for p in range(1, 6)])
    seed = extract_text_page(SEED_PAGE.read_text(encoding="utf-8"))
    rows, batch = [], []
    for number, text in enumerate(texts, start=1):
        title, _, body = text.partition("\n")
        published = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=number % 5000)
        publisher = number % PUBLISHERS + 1
        body = body.strip()
        batch.append({
            "id": number, "url": f"https://wire{publisher - 1}.example/news/{number}",
            "publisher_id": publisher, "title": title, "published_at": published,
            "language": "en", "text": body, "text_hash": "",
            "indexed_hash": content_hash(body, "en", published.date()),
            "created_at": datetime.now(UTC), "updated_at": datetime.now(UTC)})
        if len(batch) >= BATCH:
            with engine.begin() as connection:
                connection.execute(sa.insert(Original.__table__), batch)
            rows += [(r["id"], r["text"], r["published_at"].date()) for r in batch]
            batch = []
    if batch:
        with engine.begin() as connection:
            connection.execute(sa.insert(Original.__table__), batch)
        rows += [(r["id"], r["text"], r["published_at"].date()) for r in batch]
    inserted = time.perf_counter() - started
    with app.app_context():
        session = get_session()
        if session.get_bind().dialect.name == "postgresql":
            session.execute(sa.text("SELECT setval(pg_get_serial_sequence('original', 'id'), "
                                    "(SELECT max(id) FROM original))"))
            session.commit()
        # The seed's ABC original, and removals on record for publishers 6, 7 and 8.
        abc = Publisher(name=demo.PUBLISHER["name"], aliases=demo.PUBLISHER["aliases"])
        session.add(abc)
        session.flush()
        english = seed.segment("en").text
        session.add(Original(url=demo.ORIGINAL_URL, publisher_id=abc.id, language="en",
                             title="Biden, Putin hold call", text=english,
                             published_at=datetime(2021, 12, 30, 21, tzinfo=UTC)))
        for publisher in (6, 7, 8):
            page = Article(url=f"https://www.uscntv.com/old/{publisher}.html")
            case = Case(kind="takedown", status="resolved_removed", subject="notice")
            session.add_all([page, case])
            session.flush()
            original_id = next(r[0] for r in rows if (r[0] % PUBLISHERS) + 1 == publisher)
            session.add(CaseTarget(case_id=case.id, url=page.url, article_id=page.id,
                                   original_id=original_id, verdict="supported"))
            session.add(Decision(case_id=case.id, article_id=page.id, target_url=page.url,
                                 action="remove", reason_code="infringing"))
        _, plain = tokens.create_token(session, name="benchmark", actor="benchmark")
        session.commit()
        index = provenance.get_index(app)
        t0 = time.perf_counter()
        index.add_many((i, OriginalText(t, "en", d)) for i, t, d in rows)
        index.compact()
        indexing = time.perf_counter() - t0
        state = provenance.reconcile(session, index)  # indexes the ABC original only
        if session.get_bind().dialect.name == "postgresql":
            for table in ("original", "licence", "casetarget", "decision", "publisher"):
                session.execute(sa.text(f'ANALYZE "{table}"'))
            session.commit()
    return {"token": plain, "insert_s": round(inserted, 1), "index_s": round(indexing, 1),
            "reconciled": state}


def queries(texts: list[str], unrelated: list[str], count: int, rng: random.Random) -> list:
    """(label, text) pairs: copies, excerpts (half credited), the seed page, unrelated texts."""
    seed = SEED_PAGE.read_text(encoding="utf-8")
    out = []
    for _ in range(count):
        roll = rng.random()
        number = rng.randrange(len(texts))
        title, _, body = texts[number].partition("\n")
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        if roll < 0.4:
            out.append(("copy", wrap(texts[number])[0]))
        elif roll < 0.7:
            start = rng.randrange(max(1, len(paragraphs) - 2))
            text = "Our report\n\n" + "\n\n".join(paragraphs[start:start + rng.choice((2, 3))])
            if rng.random() < 0.5:
                text += f"\n\nSource: Wire {(number + 1) % PUBLISHERS}"
            out.append(("excerpt", text))
        elif roll < 0.8:
            out.append(("seed", seed))
        else:
            out.append(("unrelated", wrap(rng.choice(unrelated))[0]))
    return out


@contextlib.contextmanager
def gunicorn(url: str, instance: Path, workers: int, logs: Path):
    """Serve the app with gunicorn (the desk's own settings) on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, MODERATION_INSTANCE_PATH=str(instance), MODERATION_DATABASE_URL=url,
               MODERATION_BIND=f"127.0.0.1:{port}", MODERATION_WORKERS=str(workers),
               MODERATION_API_CHECK_PER_MINUTE=str(10**9))
    command = [sys.executable, "-m", "gunicorn", "-c", "python:moderation.gunicorn_conf",
               "--access-logfile", str(logs / "access.log"), "--error-logfile",
               str(logs / "error.log"), "--access-logformat", "%(s)s|%(D)s|%(U)s",
               "moderation:create_app()"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (logs / "error.log").read_text(errors="replace")[-3000:]
                raise SystemExit(f"gunicorn did not start:\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def hammer(base: str, token: str, work: list, clients: int) -> dict:
    """``clients`` threads POST the texts of ``work`` (shared, in order) as fast as answered."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    risks: Counter = Counter()
    lock, barrier = threading.Lock(), threading.Barrier(clients)
    pending = list(reversed(work))

    def run() -> None:
        mine, codes, seen = [], Counter(), Counter()
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=120, headers=headers) as client:
            barrier.wait()
            while True:
                with lock:
                    if not pending:
                        break
                    label, text = pending.pop()
                began = time.perf_counter()
                try:
                    response = client.post("/api/check", json={"text": text})
                    codes[str(response.status_code)] += 1
                    if response.status_code == 200:
                        seen[f"{label}:{response.json()['risk']}"] += 1
                except httpx.HTTPError as exc:
                    codes[type(exc).__name__] += 1
                mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)
            statuses.update(codes)
            risks.update(seen)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "statuses": statuses, "risks": risks,
            "wall": time.perf_counter() - started}


def server_times(log: Path, start: int) -> list[float]:
    with log.open("rb") as handle:
        handle.seek(start)
        lines = handle.read().decode(errors="replace").splitlines()
    return [int(line.split("|")[1]) / 1000 for line in lines
            if line.count("|") >= 2 and line.split("|")[2] == "/api/check"]


def in_process(app, work: list) -> dict:
    """The baseline: check() itself, one call at a time, no HTTP, no gunicorn."""
    from moderation import provenance
    from moderation.plumbing.db import get_session
    from moderation.provenance import checking

    times, risks = [], Counter()
    with app.app_context():
        session, index = get_session(), provenance.get_index(app)
        for _, text in work[:3] + [w for w in work if w[0] == "seed"][:1]:
            checking.check(session, index, text=text)  # warm: index pages, the glossary
        for label, text in work:
            began = time.perf_counter()
            result = checking.check(session, index, text=text)
            times.append(1000 * (time.perf_counter() - began))
            risks[f"{label}:{result['risk']}"] += 1
            session.rollback()
    return {"p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1), "calls": len(times), "risks": dict(sorted(risks.items()))}


def run_size(size: int, args, tmp: Path, bbc: list[str], unrelated: list[str]) -> dict:
    from moderation import create_app
    from moderation.plumbing.db import get_engine

    folder = tmp / f"n{size}"
    instance, logs = folder / "instance", folder / "logs"
    logs.mkdir(parents=True)
    instance.mkdir(parents=True)
    rng = random.Random(size)
    with database(args.database_url, instance) as url:
        app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url})
        texts = synthetic(bbc, size, seed=size)
        data = load(app, texts)
        if url.startswith("sqlite"):
            with get_engine(app).connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"{size:,} originals: inserted in {data['insert_s']} s, indexed in "
              f"{data['index_s']} s ({data['reconciled']})", flush=True)
        work = queries(texts, unrelated, args.requests, rng)
        baseline = in_process(app, work[: args.baseline])
        get_engine(app).dispose()
        print(f"  in-process check(): {baseline}", flush=True)
        row = {"originals": size, "load_average_before": os.getloadavg()[0], "insert_s": data["insert_s"], "index_s": data["index_s"],
               "in_process": baseline}
        with gunicorn(url, instance, args.workers, logs) as base:
            # Warm every worker: index pages, connections, and the CC-CEDICT glossary that
            # the first Chinese text loads (seconds, once per process).
            seed = [("seed", SEED_PAGE.read_text(encoding="utf-8"))] * (3 * args.workers)
            hammer(base, data["token"], seed + queries(texts, unrelated, 4 * args.workers, rng),
                   args.clients)
            offset = (logs / "access.log").stat().st_size
            figures = hammer(base, data["token"], work, args.clients)
            time.sleep(0.5)  # the worker logs just after the response is sent
            server = server_times(logs / "access.log", offset)
        lat = [1000 * x for x in figures["latencies"]]
        errors = sum(n for code, n in figures["statuses"].items() if code != "200")
        row["http"] = {
            "requests": len(lat), "errors": errors, "statuses": dict(figures["statuses"]),
            "client_p50_ms": round(percentile(lat, 0.5), 1),
            "client_p95_ms": round(percentile(lat, 0.95), 1),
            "client_max_ms": round(max(lat), 1),
            "server_p50_ms": round(percentile(server, 0.5), 1),
            "server_p95_ms": round(percentile(server, 0.95), 1),
            "server_max_ms": round(max(server), 1) if server else None,
            "req_per_s": round(len(lat) / figures["wall"], 1),
            "risks": dict(sorted(figures["risks"].items())),
        }
        error_log = (logs / "error.log").read_text(errors="replace")
        row["load_average_after"] = os.getloadavg()[0]
        row["server_tracebacks"] = error_log.count("Traceback")
        if row["server_tracebacks"]:
            print(error_log[-3000:])
        print(f"  http: {row['http']}", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--requests", type=int, default=400, help="per size, over HTTP")
    parser.add_argument("--baseline", type=int, default=200, help="in-process calls per size")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL instead of SQLite (a throw-away schema)")
    args = parser.parse_args()
    files = sorted((args.corpus / "bbc-news-summary" / "articles").glob("*/*.txt"))
    every = [read(f) for f in files]
    rng = random.Random(7)
    held = set(rng.sample(range(len(every)), len(every) // 10))
    # Originals are built from 90% of the articles; the rest are texts nobody published.
    bbc = [t for i, t in enumerate(every) if i not in held]
    unrelated = [t for i, t in enumerate(every) if i in held]
    tmp = Path(tempfile.mkdtemp(prefix="check-bench-"))
    rows = []
    try:
        for size in [int(s) for s in args.sizes.split(",") if s]:
            rows.append(run_size(size, args, tmp, bbc, unrelated))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    backend = "postgresql" if args.database_url else "sqlite"
    print(f"\n{'originals':>9} {'in-proc p50':>11} {'p95':>6} {'|':>2} {'http p50':>8} "
          f"{'p95':>6} {'max':>7} {'srv p50':>7} {'srv p95':>7} {'req/s':>6} {'errors':>6}  "
          f"p95 <= {TARGET_P95_MS} ms ({backend}, {args.workers} workers, {args.clients} clients)")
    meets = True
    for row in rows:
        http, base = row["http"], row["in_process"]
        ok = http["client_p95_ms"] <= TARGET_P95_MS and not http["errors"]
        meets &= ok if row["originals"] >= 100_000 else True
        print(f"{row['originals']:>9,} {base['p50_ms']:>11} {base['p95_ms']:>6} {'|':>2} "
              f"{http['client_p50_ms']:>8} {http['client_p95_ms']:>6} {http['client_max_ms']:>7} "
              f"{http['server_p50_ms']:>7} {http['server_p95_ms']:>7} {http['req_per_s']:>6} "
              f"{http['errors']:>6}  {'yes' if ok else 'NO'}")
    print("http = loopback latency seen by the clients (includes waiting for a free worker); "
          "srv = gunicorn's request time; in-proc = check() alone, one call at a time; "
          f"{os.cpu_count()} cores, load average now {os.getloadavg()[0]:.1f}")
    print(json.dumps({"benchmark": "check", "backend": backend, "workers": args.workers,
                      "clients": args.clients, "target_p95_ms": TARGET_P95_MS,
                      "meets_target_at_100k": meets, "sizes": rows}))


if __name__ == "__main__":
    main()
