"""Benchmark: `articles import` of 300 reposts, then `match --all`, against 20,000 originals.

    python tests/benchmarks/import_match.py [--articles 300] [--originals 20000]

The originals are the site benchmark's (4 to 8 paragraphs of BBC articles under a BBC title),
written to a fresh SQLite database and indexed. The reposts are pages of our site (a
Chinese headline and lead, then most of one original's English, in the site's chrome),
saved as HTML files. Both commands run as a user runs them: separate processes, start-up
included. `articles import` matches the new articles as it stores them; `match --all`
afterwards finds them unchanged and skips them. The baseline, in the same run, is the same
`articles import` into an instance with no originals (intake and storage, nothing to match).
Target: import + match --all <= 20 ms per article (wall). CPU time (user + system of the
commands) is given too: steadier on a shared machine.
Prints a table, then one JSON line.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[0] = str(REPO)  # not this folder: queue.py here would hide the standard queue module

from moderation import create_app  # noqa: E402
from moderation.plumbing import db  # noqa: E402
from tests.benchmarks.matching import synthetic  # noqa: E402
from tests.benchmarks.matching_accuracy import read  # noqa: E402
from tests.benchmarks.site import _load_originals, _page  # noqa: E402

TARGET_MS = 20.0


def run(command: list[str], env: dict) -> tuple[float, float, str]:
    """Wall and CPU seconds (the child's user + system) of one command, and its output."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system)
    output = done.stdout.decode(errors="replace")
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}\n"
                         f"{done.stderr.decode(errors='replace')[-3000:]}")
    return wall, cpu, output.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--originals", type=int, default=20_000)
    args = parser.parse_args()
    files = sorted((args.corpus / "bbc-news-summary" / "articles").glob("*/*.txt"))
    if not files:
        raise SystemExit(f"no BBC articles under {args.corpus}")
    texts = synthetic([read(f) for f in files], args.originals)
    rng = random.Random(11)
    desk = shutil.which("moderation") or str(Path(sys.executable).parent / "moderation")
    out = {"benchmark": "import_match", "articles": args.articles,
           "originals": args.originals, "load_average_before": os.getloadavg()[0]}
    work = Path(tempfile.mkdtemp(prefix="import-match-bench-"))
    try:
        pages = work / "pages"
        pages.mkdir()
        for n in rng.sample(range(len(texts)), args.articles):
            (pages / f"{n}.html").write_bytes(_page(n, texts[n], rng))
        envs = {}
        for name, originals in (("desk", texts), ("empty", [])):
            instance, url = work / name, f"sqlite:///{work / name / 'desk.db'}"
            instance.mkdir()
            app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url})
            with app.app_context():
                db.upgrade(db.get_engine())
            if originals:
                out["originals_load_s"] = round(_load_originals(app, originals), 1)
            with app.app_context():
                db.get_engine().dispose()
            envs[name] = dict(os.environ, MODERATION_INSTANCE_PATH=str(instance),
                              MODERATION_DATABASE_URL=url, MODERATION_DEFAULT_LOCALE="en")
        importing = [desk, "articles", "import", str(pages),
                     "--base-url", "https://www.uscntv.com/news/"]
        rows = []
        wall, cpu, said = run(importing, envs["empty"])
        rows.append(("baseline: import, no originals", wall, cpu, said.splitlines()[-1]))
        wall, cpu, said = run(importing, envs["desk"])
        rows.append(("articles import (matches them)", wall, cpu, said.splitlines()[-1]))
        imported = (wall, cpu)
        wall, cpu, said = run([desk, "match", "--all"], envs["desk"])
        rows.append(("match --all (skips them)", wall, cpu,
                     next(line for line in said.splitlines() if line.startswith("Articles:"))))
        total_wall, total_cpu = imported[0] + wall, imported[1] + cpu
    finally:
        shutil.rmtree(work, ignore_errors=True)
    per_wall = 1000 * total_wall / args.articles
    per_cpu = 1000 * total_cpu / args.articles
    base_ms = 1000 * rows[0][1] / args.articles
    out |= {"import_s": round(rows[1][1], 2), "match_all_s": round(rows[2][1], 2),
            "baseline_import_s": round(rows[0][1], 2), "ms_per_article": round(per_wall, 1),
            "cpu_ms_per_article": round(per_cpu, 1), "baseline_ms_per_article": round(base_ms, 1),
            "meets_target": per_wall <= TARGET_MS, "load_average_after": os.getloadavg()[0]}
    print(f"{'run':<34} {'wall s':>8} {'cpu s':>8}  output")
    for name, wall, cpu, said in rows:
        print(f"{name:<34} {wall:8.2f} {cpu:8.2f}  {said}")
    print(f"import + match --all: {per_wall:.1f} ms per article wall ({per_cpu:.1f} ms CPU), "
          f"target <= {TARGET_MS:.0f} ms: {'ok' if per_wall <= TARGET_MS else 'OVER TARGET'}; "
          f"baseline {base_ms:.1f} ms; load average {out['load_average_before']:.1f} before, "
          f"{out['load_average_after']:.1f} after, {os.cpu_count()} cores")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
