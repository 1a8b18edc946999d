"""Benchmark: the queue and case pages over 100,000 cases, served by gunicorn to concurrent reviewers.

Usage: python tests/benchmarks/queue.py [--cases 100000] [--clients 8] [--workers 4]
                                        [--seconds 15 | --requests N] [--diagnose]
                                        [--database-url postgresql+psycopg://...]
Loads ``--cases`` cases (one to three target pages each; for 1,000 of them a received e-mail,
its notice and a few audit events) into SQLite in a temporary instance and, when
--database-url is given, into a throw-away PostgreSQL schema (dropped afterwards). Starts
gunicorn on each, signs ``--clients`` reviewers in (each with its own session cookie) and
has them request, one scenario after another: the queue, the queue filtered
(?jurisdiction=US&overdue=1), a queue search for a claimant, searches for other text (a URL,
an e-mail domain, Chinese and English words of a subject), searches too short for the
trigram index (one or two characters, a rare one among them), the queue's second keyset page
and a case page. Reports per scenario the client-side latency (loopback: an upper bound of
the server's time, including waits for a free worker) and the server time gunicorn logs for
each request (%(D)s, from the parsed request to the written response). Target: server p95
at most 50 ms. --diagnose also times one request per scenario in-process: its SQL statements,
the plan of the slowest one (EXPLAIN ANALYZE on PostgreSQL) and a cProfile summary.
"""

import argparse
import contextlib
import cProfile
import html
import io
import json
import math
import os
import pstats
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[2]
# This file is named like the standard library's queue module: its folder must not shadow it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402

TARGET_P95_MS = 50
SEED = 20240501
BATCH = 5000
SAMPLE = 1000
PASSWORD = "benchmark reviewer password"
SCENARIOS = ("queue", "queue_filtered", "queue_search", "queue_search_other",
             "queue_search_short", "queue_next_page", "case_page")
# Besides claimant names: a page's URL (one case), URL and e-mail parts shared by many cases,
# and subject words; then text under three characters (trigram indexes cannot help), where
# "星河" occurs in no case, so it is searched for in every row.
OTHER_SEARCHES = ("侵权通知", "Harbor Times《", "@lakeside-herald", "/caijing/", "budget strike")
SHORT_SEARCHES = ("侵权", "Wu", "星河", "x")
FIRST = ("Maria", "John", "Wei", "Li", "Anna", "David", "Sarah", "Ming", "Peter", "Laura",
         "James", "Hui", "Emma", "Thomas", "Yan", "Olivia", "Daniel", "Xin", "Sophie", "Mark",
         "Jing", "Paul", "Lucy", "Chen", "Karen", "Robert", "Fang", "Julia", "Michael", "Lin")
LAST = ("Chen", "Smith", "Wang", "Garcia", "Zhang", "Miller", "Liu", "Brown", "Huang", "Davis",
        "Zhao", "Wilson", "Wu", "Moore", "Zhou", "Taylor", "Xu", "Anderson", "Sun", "Thomas",
        "Ma", "Jackson", "Zhu", "White", "Hu", "Harris", "Guo", "Martin", "He", "Clark",
        "Lin", "Lewis", "Luo", "Walker", "Gao", "Hall", "Liang", "Young", "Song", "King")
PUBLISHERS = ("Northwind Daily", "Harbor Times", "Lakeside Herald", "Pacific Wire",
              "Xinghe Media", "Changjiang News", "Tianshan Daily", "Nanhai Weekly")
WORDS = ("election", "markets", "flooding", "minister", "trade", "talks", "energy", "prices",
         "schools", "council", "study", "profits", "workers", "storm", "court", "ruling",
         "budget", "vaccine", "airline", "strike", "football", "festival", "museum", "bridge")
SECTIONS = ("toutiao", "guoji", "caijing", "shehui", "keji", "wenhua", "tiyu", "jiankang")
OPEN = {"new": 30, "open": 15, "in_review": 15, "needs_info": 7, "counter_notice": 3}
CLOSED = {"resolved_removed": 14, "resolved_kept": 8, "duplicate": 3, "withdrawn": 2,
          "upheld": 2, "restored": 1}
STATUS_NAMES, STATUS_WEIGHTS = zip(*(OPEN | CLOSED).items(), strict=True)


def _claimants(rng: random.Random) -> list[tuple[str, str]]:
    """1,200 distinct claimants (name, e-mail), most active first."""
    pairs = rng.sample([(f, la) for f in FIRST for la in LAST], len(FIRST) * len(LAST))
    return [(f"{f} {la}", f"{f}.{la}@{rng.choice(PUBLISHERS).replace(' ', '-')}.example".lower())
            for f, la in pairs]


def _case_rows(count: int, rng: random.Random, now: datetime, reviewers: list[int],
               claimants: list[tuple[str, str]]) -> tuple[list[dict], list[dict]]:
    """Case and CaseTarget rows: mostly open cases, deadlines before and after now."""
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(claimants))]  # a few very active
    picks = rng.choices(claimants, weights=weights, k=count)
    cases, targets = [], []
    for case_id in range(1, count + 1):
        status = rng.choices(STATUS_NAMES, STATUS_WEIGHTS)[0]
        kind = rng.choices(("takedown", "review", "inquiry"), (85, 12, 3))[0]
        publisher, title = rng.choice(PUBLISHERS), " ".join(rng.sample(WORDS, rng.randint(3, 6)))
        name, email = picks[case_id - 1] if kind != "review" else ("", None)
        if status in OPEN:
            created = now - timedelta(seconds=rng.uniform(0, 45 * 86400))
        else:
            created = now - timedelta(seconds=rng.uniform(45 * 86400, 730 * 86400))
        due = created + timedelta(hours=rng.choice((48, 72, 168, 336)))
        if kind == "review" and rng.random() < 0.4:
            due = None
        closed = None if status in OPEN else created + timedelta(hours=rng.uniform(1, 480))
        assignee = (rng.choice(reviewers) if status not in ("new", "open") or rng.random() < 0.1
                    else None)
        target_count = rng.choices((1, 2, 3), (70, 20, 10))[0]
        supported = rng.choices(range(target_count + 1), [1] * target_count + [3])[0]
        subject = rng.choice((f"DMCA takedown notice: {publisher} article “{title}”",
                              f"侵权通知：{publisher}《{title}》", f"Notice under Article 16 DSA: {title}"))
        cases.append({
            "id": case_id, "kind": kind, "status": status, "assignee_id": assignee,
            "priority": rng.choice((0, 0, 0, 1)),
            "subject": subject if kind != "review" else f"Possible copy of {publisher}: {title}",
            "claimant_name": name, "claimant_email": email,
            "jurisdiction": rng.choices(("US", "EU", "CN", None), (40, 25, 20, 15))[0],
            "due_at": due, "paused_at": created + timedelta(hours=6) if status == "needs_info"
            else None, "duplicate_of_id": None, "target_count": target_count,
            "supported_count": supported, "complete": rng.random() < 0.85,
            "decided_at": closed if status.startswith("resolved") else None,
            "putback_at": now + timedelta(days=10) if status == "counter_notice" else None,
            "version": 1, "created_at": created, "updated_at": closed or created, "closed_at": closed,
        })
        for k in range(target_count):
            ok = k < supported
            targets.append({
                "case_id": case_id, "url": f"https://www.uscntv.com/{rng.choice(SECTIONS)}/"
                f"{created:%Y/%m%d}/{case_id * 3 + k}.html", "article_id": None,
                "original_id": None, "verdict": "supported" if ok else rng.choice(
                    ("not_supported", "original_unavailable", "article_not_found")),
                "kind": "translation" if ok else None, "score": 0.9 if ok else None,
                "decision": ("remove" if ok else "keep") if status.startswith("resolved") else None,
            })
    return cases, targets


def _mail(case: dict, rng: random.Random) -> tuple[object, object]:
    """A received takedown e-mail for a case, and the notice read from it."""
    from moderation.models import MailMessage, Notice

    name, email = case["claimant_name"] or "Rights Desk", case["claimant_email"] or "rights@x.example"
    body = (f"Dear Sir or Madam,\n\nI am {name}, authorised to act for the owner of the article "
            f"below. Your page copies it without permission:\n"
            f"https://www.uscntv.com/toutiao/{case['id']}.html\n\n"
            + " ".join(rng.choices(WORDS, k=180)) + "\n\nI have a good faith belief that this use "
            "is not authorised. Under penalty of perjury, this notice is accurate.\n\n" + name)
    raw = f"From: {name} <{email}>\nSubject: {case['subject']}\n\n{body}".encode()
    message = MailMessage(
        sha256=f"{case['id']:064x}", raw=raw, source="maildir", mailbox_key=f"bench-{case['id']}",
        message_id=f"<bench-{case['id']}@bench.example>", subject=case["subject"], from_name=name,
        from_addr=email, recipients=["desk@uscntv.com"], sent_at=case["created_at"],
        received_at=case["created_at"], text=body, classification="notice",
        headers={"From": [f"{name} <{email}>"], "Subject": [case["subject"]]},
        authentication={"badge": "verified"}, case_id=case["id"])
    notice = Notice(
        kind="takedown", claimant={"name": name, "email": email, "role": "agent"},
        claimant_email=email, target_urls=[f"https://www.uscntv.com/toutiao/{case['id']}.html"],
        original_urls=["https://northwind-daily.example/news/1"], signature=name,
        jurisdiction=case["jurisdiction"], missing_elements=[] if case["complete"] else ["perjury"],
        case_id=case["id"], created_at=case["created_at"])
    return message, notice


def load(app, count: int) -> dict:
    """Fill the database; returns the sampled case ids, searchable names and timings."""
    from moderation import accounts
    from moderation.models import Case, CaseTarget
    from moderation.plumbing import audit
    from moderation.plumbing.db import get_session, transaction

    rng, now, started = random.Random(SEED), datetime.now(UTC), time.perf_counter()
    with app.app_context():
        with transaction() as session:
            users = [accounts.create_user(session=session, email=f"reviewer{i}@bench.example",
                                          password=PASSWORD, role="reviewer", actor="benchmark")
                     for i in range(8)]
        claimants = _claimants(rng)
        cases, targets = _case_rows(count, rng, now, [u.id for u in users], claimants)
        session = get_session()
        for table, rows in ((Case, cases), (CaseTarget, targets)):
            for first in range(0, len(rows), BATCH):
                session.execute(sa.insert(table), rows[first:first + BATCH])
                session.commit()
        if session.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequence on
            session.execute(sa.text("SELECT setval(pg_get_serial_sequence('\"case\"', 'id'), "
                                    "(SELECT max(id) FROM \"case\"))"))
        bulk_seconds = time.perf_counter() - started
        sample = sorted(rng.sample(range(1, count + 1), min(SAMPLE, count)))
        for case_id in sample:
            message, notice = _mail(cases[case_id - 1], rng)
            session.add(message)
            session.flush()
            notice.message_id = message.id
            session.add(notice)
            audit.record(session, "case.open", actor="mailroom", object_type="case",
                         object_id=case_id, after={"status": "new"})
            reviewer = rng.choice(users)
            audit.record(session, "case.claim", actor=reviewer, object_type="case",
                         object_id=case_id, before={"status": "new"},
                         after={"status": "in_review", "assignee_id": reviewer.id})
            audit.record(session, "case.release", actor=reviewer, object_type="case",
                         object_id=case_id, after={"status": "open", "assignee_id": None})
        session.commit()
        if session.get_bind().dialect.name == "postgresql":
            # Autovacuum would do this soon after a load this size (inserts trigger it too):
            # statistics, and the visibility map that lets index-only scans skip the table.
            # Do not time its absence.
            session.commit()
            with session.get_bind().connect().execution_options(
                    isolation_level="AUTOCOMMIT") as connection:
                for table in ("case", "casetarget", "mailmessage", "notice", "auditevent",
                              "user"):
                    connection.execute(sa.text(f'VACUUM ANALYZE "{table}"'))
    names = [name for name, _ in claimants[:200:10]]
    return {"sample": sample, "names": names, "emails": [u.email for u in users],
            "bulk_seconds": round(bulk_seconds, 1),
            "load_seconds": round(time.perf_counter() - started, 1)}


@contextlib.contextmanager
def database(base_url: str | None, tmp: Path):
    """A fresh, migrated database URL: a SQLite file, or a PostgreSQL schema dropped after."""
    from moderation.plumbing.db import make_engine, upgrade

    schema = None
    if base_url is None:
        url = f"sqlite:///{tmp / 'moderation.db'}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with sa.create_engine(base_url).begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = f"{base_url}?options=-csearch_path%3D{schema}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        if schema:
            admin = sa.create_engine(base_url)
            with admin.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            admin.dispose()


def worker_cpu(master: int) -> float | None:
    """CPU seconds the gunicorn workers have used (user and system); None off Linux.

    On a shared machine the request times include waits for a core; CPU time per request
    does not. It counts the Python side and SQLite, not the PostgreSQL server's processes.
    """
    try:
        ticks = 0
        for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def gunicorn(url: str, instance: Path, workers: int, logs: Path):
    """Serve the app with gunicorn on a free loopback port; yields its base URL and pid."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, MODERATION_INSTANCE_PATH=str(instance), MODERATION_DATABASE_URL=url)
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--access-logfile", str(logs / "access.log"), "--error-logfile",
               str(logs / "error.log"), "--access-logformat", "%(s)s|%(D)s|%(U)s|%(q)s",
               "moderation:create_app()"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (logs / "error.log").read_text(errors="replace")[-3000:]
                raise SystemExit(f"gunicorn did not start:\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sign_in(base: str, email: str) -> httpx.Client:
    """A client with its own session cookie, signed in through the real form (with CSRF)."""
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    page = client.get("/login")
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page.text)
    token = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    if token is None:
        raise SystemExit("no csrf_token on /login")
    answer = client.post("/login", data={"email": email, "password": PASSWORD, "next": "/",
                                         "csrf_token": html.unescape(token.group(1))})
    if answer.status_code != 302 or client.get("/").status_code != 200:
        raise SystemExit(f"sign-in of {email} failed: {answer.status_code}")
    return client


def paths(client: httpx.Client, data: dict) -> dict:
    """Each scenario's next path, drawn with the client's own random generator."""
    first = client.get("/")
    link = re.search(r'<a href="([^"]+)" rel="next">', first.text)
    if link is None:
        raise SystemExit("the first queue page has no rel=next link")
    after = html.unescape(link.group(1))
    return {
        "queue": lambda rng: "/",
        "queue_filtered": lambda rng: "/?jurisdiction=US&overdue=1",
        "queue_search": lambda rng: "/?q=" + quote(rng.choice(data["names"])),
        "queue_search_other": lambda rng: "/?q=" + quote(rng.choice(
            (*OTHER_SEARCHES, f"/{rng.choice(data['sample']) * 3}.html"))),
        "queue_search_short": lambda rng: "/?q=" + quote(rng.choice(SHORT_SEARCHES)),
        "queue_next_page": lambda rng: after,
        "case_page": lambda rng: f"/cases/{rng.choice(data['sample'])}",
    }


def hammer(clients: list, makers: list[dict], scenario: str, seconds: float | None,
           requests: int | None) -> dict:
    """All clients request one scenario at once; latencies, statuses and wall time."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    spans: list[tuple[float, float]] = []
    lock, barrier = threading.Lock(), threading.Barrier(len(clients))

    def work(i: int) -> None:
        rng, mine, codes = random.Random(SEED + i), [], Counter()
        quota = (requests // len(clients) + (i < requests % len(clients))) if requests else None
        barrier.wait()
        start = time.perf_counter()
        while (len(mine) < quota) if quota is not None else (time.perf_counter() - start < seconds):
            path = makers[i][scenario](rng)
            began = time.perf_counter()
            try:
                codes[str(clients[i].get(path).status_code)] += 1
            except httpx.HTTPError as exc:
                codes[type(exc).__name__] += 1
            mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)
            statuses.update(codes)
            spans.append((start, time.perf_counter()))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = max(end for _, end in spans) - min(start for start, _ in spans)
    return {"latencies": latencies, "statuses": statuses, "wall": wall}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def server_times(log: Path, start: int) -> list[float]:
    """Milliseconds gunicorn logged for the requests written after byte offset start."""
    with log.open("rb") as handle:
        handle.seek(start)
        lines = handle.read().decode(errors="replace").splitlines()
    return [int(line.split("|")[1]) / 1000 for line in lines if line.count("|") >= 3]


def diagnose(instance: Path, url: str, data: dict, scenario_paths: dict) -> dict:
    """One request per scenario in-process: SQL statements, slowest plan, profile."""
    from moderation import create_app
    from moderation.plumbing.db import get_engine

    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url,
                      "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/login", data={"email": data["emails"][0], "password": PASSWORD})
    engine, statements = get_engine(app), []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        statements.append((time.perf_counter() - conn.info["bench_started"], statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    found, rng = {}, random.Random(SEED)
    for scenario in SCENARIOS:
        path = scenario_paths[scenario](rng)
        client.get(path)  # warm: compiled statements, templates
        statements.clear()
        began = time.perf_counter()
        status = client.get(path).status_code
        total = (time.perf_counter() - began) * 1000
        taken = list(statements)
        sql = sum(t for t, _, _ in taken) * 1000
        slowest = max(taken, key=lambda item: item[0])
        print(f"--- {scenario}: {path} -> {status}; {total:.1f} ms in-process, {len(taken)} "
              f"statements, {sql:.1f} ms in SQL; slowest {slowest[0] * 1000:.1f} ms:")
        print("   ", " ".join(slowest[1].split())[:600])
        prefix = ("EXPLAIN (ANALYZE, BUFFERS) " if engine.dialect.name == "postgresql"
                  else "EXPLAIN QUERY PLAN ")
        with engine.connect() as connection:
            plan = connection.exec_driver_sql(prefix + slowest[1], slowest[2]).fetchall()
        for row in plan:
            print("    |", row[-1])
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(path)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
            r"moderation|sqlalchemy/orm/(session|loading)|jinja2/environment|flask_babel", 14)
        print("\n".join("    " + line for line in out.getvalue().splitlines()
                        if re.match(r"\s*\d", line)))
        found[scenario] = {"in_process_ms": round(total, 1), "sql_ms": round(sql, 1),
                           "statements": len(taken), "slowest_sql_ms": round(slowest[0] * 1000, 1)}
    sa.event.remove(engine, "before_cursor_execute", before)
    sa.event.remove(engine, "after_cursor_execute", after)
    engine.dispose()
    return found


def run(backend: str, base_url: str | None, args, tmp: Path) -> dict:
    from moderation import create_app
    from moderation.plumbing.db import get_engine

    folder = tmp / backend
    instance, logs = folder / "instance", folder / "logs"
    logs.mkdir(parents=True)
    with database(base_url, instance) as url:
        app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url})  # makes the secret
        data = load(app, args.cases)
        if backend == "sqlite":
            with get_engine(app).connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        get_engine(app).dispose()
        print(f"{backend}: {args.cases} cases loaded in {data['load_seconds']} s "
              f"(bulk rows {data['bulk_seconds']} s)", flush=True)
        result: dict = {"load_seconds": data["load_seconds"], "scenarios": {}}
        with gunicorn(url, instance, args.workers, logs) as (base, master):
            clients = [sign_in(base, data["emails"][i % len(data["emails"])])
                       for i in range(args.clients)]
            makers = [paths(client, data) for client in clients]
            for scenario in SCENARIOS:  # warm every worker: connections, templates, statements
                hammer(clients, makers, scenario, None, args.clients * 3)
            for scenario in SCENARIOS:
                offset = (logs / "access.log").stat().st_size
                cpu_before = worker_cpu(master)
                figures = hammer(clients, makers, scenario, args.seconds, args.requests)
                time.sleep(0.3)  # the worker logs just after the response is sent
                cpu_after = worker_cpu(master)
                server = server_times(logs / "access.log", offset)
                errors = sum(n for code, n in figures["statuses"].items() if code != "200")
                lat = [x * 1000 for x in figures["latencies"]]
                result["scenarios"][scenario] = {
                    "requests": len(lat), "errors": errors, "statuses": dict(figures["statuses"]),
                    "client_p50_ms": round(percentile(lat, 0.5), 1),
                    "client_p95_ms": round(percentile(lat, 0.95), 1),
                    "server_p50_ms": round(percentile(server, 0.5), 1),
                    "server_p95_ms": round(percentile(server, 0.95), 1),
                    "server_logged": len(server),
                    "worker_cpu_ms_per_req": round((cpu_after - cpu_before) * 1000 / len(lat), 1)
                    if cpu_before is not None and cpu_after is not None and lat else None,
                    "req_per_s": round(len(lat) / figures["wall"], 1),
                }
                print(f"  {scenario}: {result['scenarios'][scenario]}", flush=True)
            for client in clients:
                client.close()
        error_log = (logs / "error.log").read_text(errors="replace")
        result["server_tracebacks"] = error_log.count("Traceback")
        if result["server_tracebacks"]:
            print(error_log[-3000:])
        if args.diagnose:
            result["diagnosis"] = diagnose(instance, url, data, makers[0])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database-url", default=None,
                        help="also run on this PostgreSQL database (a throw-away schema)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--seconds", type=float, default=15.0, help="per scenario")
    parser.add_argument("--requests", type=int, default=None,
                        help="per scenario, instead of --seconds")
    parser.add_argument("--diagnose", action="store_true",
                        help="also time, explain and profile one request per scenario in-process")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="queue-bench-"))
    results = {}
    try:
        results["sqlite"] = run("sqlite", None, args, tmp)
        if args.database_url:
            results["postgresql"] = run("postgresql", args.database_url, args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'backend':<11} {'scenario':<18} {'requests':>8} {'errors':>6} {'cli p50':>8} "
          f"{'cli p95':>8} {'srv p50':>8} {'srv p95':>8} {'req/s':>7} {'cpu/req':>7}  "
          f"p95<={TARGET_P95_MS} ms")
    meets = True
    for backend, result in results.items():
        for scenario, row in result["scenarios"].items():
            ok = row["server_p95_ms"] <= TARGET_P95_MS and not row["errors"]
            meets &= ok
            print(f"{backend:<11} {scenario:<18} {row['requests']:>8} {row['errors']:>6} "
                  f"{row['client_p50_ms']:>8} {row['client_p95_ms']:>8} {row['server_p50_ms']:>8} "
                  f"{row['server_p95_ms']:>8} {row['req_per_s']:>7} "
                  f"{row['worker_cpu_ms_per_req'] or '-':>7}  "
                  f"{'server yes' if ok else 'server NO'}"
                  f"{', client yes' if row['client_p95_ms'] <= TARGET_P95_MS else ', client no'}")
    print("client = loopback latency seen by the reviewers' clients (an upper bound of server time,"
          " incl. waiting for a free worker); server = gunicorn's own request time; cpu/req = "
          "the workers' CPU ms per request (Python and SQLite, not the PostgreSQL server)")
    print(json.dumps({"benchmark": "queue", "cases": args.cases, "clients": args.clients,
                      "workers": args.workers, "seconds": args.seconds, "requests": args.requests,
                      "target_p95_ms": TARGET_P95_MS, "meets_target": meets, **results}))


if __name__ == "__main__":
    main()
