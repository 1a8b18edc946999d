"""Load run: the production shape under load and faults, then an account of what was kept.

gunicorn (``--workers``) serves the desk from PostgreSQL to ``--clients`` reviewers who browse
the queue, search, open cases, claim and decide them, while ``--fetchers`` separate
``moderation mail fetch --watch`` processes ingest ``--messages`` notices from a real Dovecot
and send replies through a real SMTP server (aiosmtpd). During the run PostgreSQL is restarted,
one fetcher is killed with SIGKILL (and started again), and the SMTP server is down for a
minute. Afterwards the script checks that every message is stored exactly once, every decision
is audited, the audit chain verifies and every queued reply has been sent.

    python tests/benchmarks/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Prints a table and one JSON line. Restarting PostgreSQL needs root and ``pg_ctlcluster``
(``--no-faults`` runs without faults). Not part of the test suite: it takes 10+ minutes.
"""

import argparse
import contextlib
import html
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_queue = _module("bench_queue", HERE / "queue.py")
bench_mail = _module("bench_mail", HERE / "mail.py")
from tests.support import dovecot as dovecot_kit  # noqa: E402

PASSWORD = bench_queue.PASSWORD
SCENARIOS = ("queue", "queue_filtered", "search", "case_page", "claim", "decide")
WEIGHTS = (35, 15, 10, 25, 8, 7)


class Inbox:
    """The SMTP server's handler: counts what it accepts."""

    def __init__(self):
        self.count = 0
        self.message_ids: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        found = re.search(rb"^Message-ID:\s*(\S+)", envelope.original_content,
                          re.IGNORECASE | re.MULTILINE)
        with self.lock:
            self.count += 1
            self.message_ids[found.group(1) if found else b"?"] += 1
        return "250 accepted"


class Smtp:
    """An SMTP server on a fixed port that can be taken down and brought back."""

    def __init__(self):
        self.inbox = Inbox()
        self.port = dovecot_kit._free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@contextlib.contextmanager
def dovecot(messages: list[bytes]):
    """A throw-away Dovecot whose INBOX already holds the messages (written as Maildir files)."""
    tmp = Path(tempfile.mkdtemp(prefix="dovecot-load-", dir="/tmp"))
    port = dovecot_kit._free_port()
    config = dovecot_kit._prepare(tmp, port)
    inbox = tmp / "mail" / dovecot_kit.USER
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True)
    for number, raw in enumerate(messages):
        (inbox / "new" / f"{1700000000 + number}.M{number}P1.load").write_bytes(raw)
    subprocess.run(["chown", "-R", "dovecot:dovecot", str(tmp / "mail")], check=True)
    output = open(tmp / "stdout.log", "wb")
    process = subprocess.Popen([dovecot_kit.DOVECOT, "-c", str(config), "-F"], stdout=output,
                               stderr=subprocess.STDOUT)
    try:
        if not dovecot_kit._wait_for_port(port, process):
            raise SystemExit("Dovecot did not start: " + (tmp / "dovecot.log").read_text())
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        output.close()
        shutil.rmtree(tmp, ignore_errors=True)


def fetcher_env(url: str, instance: Path, imap_port: int, smtp_port: int) -> dict:
    return dict(os.environ, MODERATION_INSTANCE_PATH=str(instance), MODERATION_DATABASE_URL=url,
                MODERATION_IMAP_HOST="127.0.0.1", MODERATION_IMAP_PORT=str(imap_port),
                MODERATION_IMAP_SECURITY="none", MODERATION_IMAP_USER=dovecot_kit.USER,
                MODERATION_IMAP_PASSWORD=dovecot_kit.PASSWORD,
                MODERATION_SMTP_HOST="127.0.0.1", MODERATION_SMTP_PORT=str(smtp_port),
                MODERATION_SMTP_SECURITY="none", MODERATION_MAIL_FROM="desk@uscntv.com")


def start_fetcher(env: dict, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "flask", "--app", "moderation", "mail", "fetch", "--watch",
               "--interval", "2"]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=open(log, "ab"),
                            stderr=subprocess.STDOUT)


def _token(text: str) -> str | None:
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', text)
    found = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return html.unescape(found.group(1)) if found else None


class Reviewer(threading.Thread):
    """One member of staff: browses, opens cases, claims and decides, until told to stop."""

    def __init__(self, number: int, base: str, stop: threading.Event, results: list, lock):
        super().__init__(daemon=True)
        self.rng = random.Random(number)
        self.email = f"reviewer{number}@load.example"
        self.base, self.stop, self.results, self.lock = base, stop, results, lock
        self.claimed: list[int] = []
        self.decided: list[int] = []

    def timed(self, scenario: str, method: str, path: str, **kwargs):
        started = time.perf_counter()
        try:
            response = self.client.request(method, path, **kwargs)
            status = response.status_code
        except httpx.HTTPError:
            response, status = None, 0
        with self.lock:
            self.results.append((time.time(), scenario, status,
                                 (time.perf_counter() - started) * 1000))
        return response

    def sign_in(self) -> None:
        while not self.stop.is_set():
            try:
                self.client = bench_queue.sign_in(self.base, self.email)
                return
            except (SystemExit, httpx.HTTPError):
                time.sleep(1)  # the database may be restarting

    def case_ids(self, text: str) -> list[int]:
        return [int(n) for n in re.findall(r'href="/cases/(\d+)"', text)]

    def run(self) -> None:
        self.sign_in()
        while not self.stop.is_set():
            scenario = self.rng.choices(SCENARIOS, WEIGHTS)[0]
            if scenario == "queue":
                self.timed("queue", "GET", "/")
            elif scenario == "queue_filtered":
                self.timed("queue_filtered", "GET",
                           self.rng.choice(["/?jurisdiction=US", "/?overdue=1", "/?kind=review",
                                            "/?verdict=all_supported", "/?sort=newest"]))
            elif scenario == "search":
                self.timed("search", "GET", "/?q=" + self.rng.choice(
                    ["legal", "Times", "uscntv", "Herald", "新闻"]))
            elif scenario == "case_page":
                page = self.timed("queue", "GET", "/?status=all&sort=newest")
                ids = self.case_ids(page.text) if page is not None and page.status_code == 200 \
                    else []
                if ids:
                    self.timed("case_page", "GET", f"/cases/{self.rng.choice(ids)}")
            elif scenario == "claim":
                self.claim()
            elif scenario == "decide" and self.claimed:
                self.decide(self.claimed.pop())

    def _form(self, case_id: int):
        page = self.timed("case_page", "GET", f"/cases/{case_id}")
        if page is None or page.status_code != 200:
            return None, None, None
        version = re.search(r'name="version" value="(\d+)"', page.text)
        return page.text, _token(page.text), version.group(1) if version else None

    def claim(self) -> None:
        page = self.timed("queue", "GET", "/?unassigned=1&kind=takedown")
        ids = self.case_ids(page.text) if page is not None and page.status_code == 200 else []
        if not ids:
            return
        case_id = self.rng.choice(ids[:20])
        _text, token, version = self._form(case_id)
        if token and version:
            answer = self.timed("claim", "POST", f"/cases/{case_id}/claim",
                                data={"csrf_token": token, "version": version})
            if answer is not None and answer.status_code == 302:
                self.claimed.append(case_id)

    def decide(self, case_id: int) -> None:
        text, token, version = self._form(case_id)
        if not (text and token and version):
            return
        targets = sorted(set(re.findall(r'name="action-(\d+)"', text)))
        if not targets:
            return
        data = {"csrf_token": token, "version": version,
                "statement": "The page reproduces the claimant's article without a licence.",
                "subject": "Your notice", "body": "We have removed the page named in your notice."}
        for target in targets:
            data[f"action-{target}"] = "remove"
            data[f"reason-{target}"] = "copyright"
        answer = self.timed("decide", "POST", f"/cases/{case_id}/decide", data=data)
        if answer is not None and answer.status_code == 302:
            self.decided.append(case_id)


def faults(plan: dict, fetchers: list, env: dict, logs: Path, smtp: Smtp, events: list,
           stop: threading.Event, start: float) -> None:
    """Inject the faults at their planned seconds into the run."""
    def at(second: float) -> bool:
        while time.monotonic() - start < second:
            if stop.wait(0.5):
                return False
        return True

    if at(plan["postgres"]):
        began = time.monotonic()
        result = subprocess.run(["pg_ctlcluster", plan["cluster"][0], plan["cluster"][1],
                                 "restart"], capture_output=True, text=True)
        events.append(("postgres restarted", round(time.monotonic() - start),
                       round(time.monotonic() - began, 1), result.returncode))
    if at(plan["kill"]):
        fetchers[0].send_signal(signal.SIGKILL)
        fetchers[0].wait()
        events.append(("fetcher 1 killed (SIGKILL)", round(time.monotonic() - start), 0, 0))
        time.sleep(5)
        fetchers[0] = start_fetcher(env, logs / "fetcher-1.log")
        events.append(("fetcher 1 started again", round(time.monotonic() - start), 0, 0))
    if at(plan["smtp"]):
        smtp.stop()
        events.append(("SMTP down", round(time.monotonic() - start), 60, 0))
        stop.wait(60)
        smtp.start()
        events.append(("SMTP back", round(time.monotonic() - start), 0, 0))


def stored_count(url: str) -> int:
    engine = sa.create_engine(url, pool_pre_ping=True)
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql("SELECT count(*) FROM mailmessage").scalar()
    except sa.exc.DBAPIError:
        return -1
    finally:
        engine.dispose()


def accounting(url: str, expected: int, decided: list[int]) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as c:
        q = c.exec_driver_sql
        figures = {
            "messages_stored": q("SELECT count(*) FROM mailmessage").scalar(),
            "duplicate_message_ids": q(
                "SELECT count(*) FROM (SELECT message_id FROM mailmessage WHERE message_id "
                "IS NOT NULL GROUP BY message_id HAVING count(*) > 1) d").scalar(),
            "duplicate_raw": q("SELECT count(*) FROM (SELECT sha256 FROM mailmessage "
                               "GROUP BY sha256 HAVING count(*) > 1) d").scalar(),
            "notices": q("SELECT count(*) FROM notice").scalar(),
            "cases": q("SELECT count(*) FROM \"case\"").scalar(),
            "decided_cases": q("SELECT count(DISTINCT case_id) FROM decision").scalar(),
            "decided_without_audit": q(
                "SELECT count(DISTINCT d.case_id) FROM decision d WHERE NOT EXISTS (SELECT 1 "
                "FROM auditevent a WHERE a.object_type = 'case' AND a.action = 'case.decide' "
                "AND a.object_id = CAST(d.case_id AS VARCHAR))").scalar(),
            "replies_by_status": dict(q("SELECT status, count(*) FROM reply GROUP BY status")
                                      .all()),
        }
    engine.dispose()
    figures["expected_messages"] = expected
    figures["decisions_reported_by_clients"] = len(set(decided))
    return figures


def setup(url: str, instance: Path, count: int, clients: int, articles: int):
    """Seed the site's pages and staff; generate the mail."""
    from moderation import accounts, create_app
    from moderation.plumbing.db import transaction

    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url})
    pages = bench_mail._pages(articles)
    bench_mail._seed(app, pages)
    with app.app_context(), transaction() as session:
        for number in range(clients):
            accounts.create_user(session=session, email=f"reviewer{number}@load.example",
                                 password=PASSWORD, role="reviewer")
    messages, kinds = bench_mail.generate(count, pages)
    return messages, kinds


def percentile(values: list[float], share: float) -> float:
    return bench_queue.percentile(values, share) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL (a schema is made)")
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--fetchers", type=int, default=2)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--drain-minutes", type=float, default=30.0,
                        help="after the run, how long to wait for the fetchers to finish")
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the logs folder")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="desk-load-"))
    instance, logs = tmp / "instance", tmp / "logs"
    instance.mkdir()
    logs.mkdir()
    cluster = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split()
    plan = {"cluster": cluster[:2], "postgres": args.minutes * 60 * 0.25,
            "kill": args.minutes * 60 * 0.45, "smtp": args.minutes * 60 * 0.65}
    databases = bench_queue.database(args.database_url, tmp)
    url = databases.__enter__()
    try:
        t0 = time.monotonic()
        messages, kinds = setup(url, instance, args.messages, args.clients, args.articles)
        print(f"setup: {len(messages)} messages generated in {time.monotonic() - t0:.0f} s "
              f"({dict(kinds)})", flush=True)
        smtp = Smtp()
        smtp.start()
        with dovecot(messages) as imap_port, \
                bench_queue.gunicorn(url, instance, args.workers, logs) as (base, _master):
            env = fetcher_env(url, instance, imap_port, smtp.port)
            fetchers = [start_fetcher(env, logs / f"fetcher-{n + 1}.log")
                        for n in range(args.fetchers)]
            stop, lock, results, events = threading.Event(), threading.Lock(), [], []
            reviewers = [Reviewer(n, base, stop, results, lock) for n in range(args.clients)]
            start = time.monotonic()
            for reviewer in reviewers:
                reviewer.start()
            injector = None
            if not args.no_faults:
                injector = threading.Thread(target=faults, daemon=True, args=(
                    plan, fetchers, env, logs, smtp, events, stop, start))
                injector.start()
            progress = []
            while time.monotonic() - start < args.minutes * 60:
                time.sleep(15)
                progress.append((round(time.monotonic() - start), stored_count(url)))
                print(f"  t={progress[-1][0]:>4} s  stored={progress[-1][1]}  "
                      f"requests={len(results)}", flush=True)
            stop.set()
            for reviewer in reviewers:
                reviewer.join(timeout=60)
            if injector:
                injector.join(timeout=90)
            run_seconds = time.monotonic() - start
            deadline = time.monotonic() + args.drain_minutes * 60
            while stored_count(url) < args.messages and time.monotonic() < deadline:
                time.sleep(10)
            drained_seconds = time.monotonic() - start
            time.sleep(5)  # one more pass sends what the last messages queued
            for process in fetchers:
                process.terminate()
                process.wait(timeout=60)
        final_send = finish_replies(env)
        smtp.stop()
        verify = subprocess.run([sys.executable, "-m", "flask", "--app", "moderation", "audit",
                                 "verify"], cwd=REPO, env=env, capture_output=True, text=True)
        figures = accounting(url, args.messages, [c for r in reviewers for c in r.decided])
        figures["replies_received_twice"] = sum(
            1 for n in smtp.inbox.message_ids.values() if n > 1)
        report(args, results, events, figures, verify, run_seconds, drained_seconds,
               smtp.inbox.count, final_send, progress)
    finally:
        databases.__exit__(None, None, None)
        if args.keep:
            print(f"logs kept in {logs}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def finish_replies(env: dict) -> str:
    """Send what is still queued, as the next passes would once their backoff has passed.

    Replies that failed while the SMTP server was down wait out a backoff of minutes; rather
    than wait, this pass sends with the clock moved on by the longest backoff.
    """
    code = ("from datetime import timedelta\n"
            "from moderation import create_app\n"
            "from moderation.plumbing.db import get_session\n"
            "from moderation.models import utcnow\n"
            "from moderation.replies.outbox import SMTPSettings, send_due\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            "    settings = SMTPSettings.from_config(app.config)\n"
            "    print(send_due(get_session(), settings,"
            " now=utcnow() + timedelta(hours=3)).sent)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                            text=True)
    return (result.stdout.strip() or result.stderr.strip()[-500:])


def report(args, results, events, figures, verify, run_seconds, drained_seconds, smtp_received,
           final_send, progress) -> None:
    by = defaultdict(list)
    errors = Counter()
    for _when, scenario, status, ms in results:
        by[scenario].append(ms)
        if status == 0 or status >= 500:
            errors[scenario] += 1
    print()
    print(f"{'scenario':<16}{'requests':>10}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}")
    for scenario in SCENARIOS:
        values = by.get(scenario, [])
        print(f"{scenario:<16}{len(values):>10}{errors[scenario]:>8}"
              f"{percentile(values, 0.5):>10.0f}{percentile(values, 0.95):>10.0f}")
    every = [ms for _w, _s, _st, ms in results]
    total_errors = sum(errors.values())
    print(f"{'all':<16}{len(every):>10}{total_errors:>8}{percentile(every, 0.5):>10.0f}"
          f"{percentile(every, 0.95):>10.0f}")
    print("\nfaults:")
    for name, second, lasted, code in events:
        print(f"  t={second:>4} s  {name}" + (f" ({lasted} s, exit {code})" if lasted else ""))
    print("\nafterwards:")
    for key, value in figures.items():
        print(f"  {key}: {value}")
    print(f"  smtp_received: {smtp_received} (+ final pass sent {final_send}); "
          f"replies received twice: {figures['replies_received_twice']}")
    print(f"  audit verify: exit {verify.returncode}: {verify.stdout.strip()[-200:]}")
    print(f"  run {run_seconds:.0f} s; all messages stored after {drained_seconds:.0f} s")
    ok = (figures["messages_stored"] == figures["expected_messages"]
          and figures["duplicate_message_ids"] == 0 and figures["duplicate_raw"] == 0
          and figures["decided_without_audit"] == 0 and verify.returncode == 0
          and figures["replies_by_status"].get("queued", 0) == 0
          and figures["replies_received_twice"] == 0)
    print("RESULT:", "PASS" if ok else "FAIL")
    print(json.dumps({
        "benchmark": "load", "clients": args.clients, "workers": args.workers,
        "fetchers": args.fetchers, "minutes": args.minutes, "messages": args.messages,
        "requests": len(every), "errors": total_errors,
        "error_rate": round(total_errors / len(every), 5) if every else None,
        "p50_ms": round(percentile(every, 0.5), 1), "p95_ms": round(percentile(every, 0.95), 1),
        "by_scenario": {s: {"n": len(by.get(s, [])), "errors": errors[s],
                            "p95_ms": round(percentile(by.get(s, []), 0.95), 1)}
                        for s in SCENARIOS},
        "faults": events, "ingest_progress": progress, "drained_seconds": round(drained_seconds),
        "smtp_received": smtp_received, "audit_verify_exit": verify.returncode,
        "pass": ok, **{k: v for k, v in figures.items()},
    }, default=str))


if __name__ == "__main__":
    main()
