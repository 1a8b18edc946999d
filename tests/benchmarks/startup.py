"""Benchmark: the everyday commands as a user runs them, start-up included.

    python tests/benchmarks/startup.py [--corpus ../shared/corpus] [--runs 7]

A fresh instance (SQLite in a temporary folder) gets the 2,225 BBC articles as originals
through `moderation originals import`; then each command is run ``--runs`` times as a
separate process, after one warm-up run (bytecode and the dictionary cache written):
`moderation --help`, and `moderation check` of the seed page (a Chinese translation
followed by its English original, in the site's chrome). The baseline, in the same run, is
the interpreter starting and doing nothing. Wall time and CPU time (user + system, steadier
on a shared machine) are medians. Targets: check <= 0.6 s, --help < 0.5 s (wall).
Prints a table, then one JSON line.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "tests" / "fixtures" / "matching" / "seed_page.txt"
TARGETS = {"moderation check": 0.6, "moderation --help": 0.5}


def timed(command: list[str], env: dict) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the child's user + system) and exit status of one run."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system)
    if done.returncode not in (0, 3, 4, 5):  # check's exit status says the risk
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode(errors='replace')}")
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    articles = args.corpus / "bbc-news-summary" / "articles"
    if not articles.is_dir():
        raise SystemExit(f"no BBC articles under {args.corpus}")
    desk = shutil.which("moderation") or str(Path(sys.executable).parent / "moderation")
    work = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    env = dict(os.environ, MODERATION_INSTANCE_PATH=str(work / "instance"),
               MODERATION_DEFAULT_LOCALE="en")
    env.pop("MODERATION_DATABASE_URL", None)
    out = {"benchmark": "startup", "load_average_before": os.getloadavg()[0]}
    try:
        t0 = time.perf_counter()
        timed([desk, "init-db"], env)
        timed([desk, "originals", "import", "--publisher", "BBC", str(articles)], env)
        out["originals_import_s"] = round(time.perf_counter() - t0, 1)
        commands = {
            "baseline: python -c pass": [sys.executable, "-c", "pass"],
            "moderation --help": [desk, "--help"],
            "moderation check": [desk, "check", str(SEED)],
        }
        rows = []
        for name, command in commands.items():
            timed(command, env)  # warm: bytecode, the dictionary cache, the page cache
            runs = [timed(command, env) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            target = TARGETS.get(name)
            verdict = "" if target is None else ("ok" if wall <= target else "OVER TARGET")
            rows.append((name, wall, cpu, target, verdict))
            key = name.split(":")[0].replace("moderation ", "").strip("- ")
            out[f"{key}_wall_s"] = round(wall, 3)
            out[f"{key}_cpu_s"] = round(cpu, 3)
            if name == "moderation check":
                out["check_exit_status"] = runs[-1][2]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out["load_average_after"] = os.getloadavg()[0]
    print(f"{'command':<28} {'wall s':>8} {'cpu s':>8} {'target':>7}  verdict")
    for name, wall, cpu, target, verdict in rows:
        shown = f"{target:7.2f}" if target is not None else f"{'-':>7}"
        print(f"{name:<28} {wall:8.3f} {cpu:8.3f} {shown}  {verdict}")
    print(f"medians of {args.runs} runs; {os.cpu_count()} cores, load average "
          f"{out['load_average_before']:.1f} before, {out['load_average_after']:.1f} after")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
