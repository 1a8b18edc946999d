"""Benchmark of the matching engine: accuracy on the BBC corpus, then speed at scale.

    python tests/benchmarks/matching.py                      # accuracy + 10k and 100k
    python tests/benchmarks/matching.py --sizes 10000        # quicker
    python tests/benchmarks/matching.py --million            # adds 1,000,000 originals

Prints a table, then one JSON line with every figure.
"""

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[0] = str(REPO)  # not this folder: queue.py here would hide the standard queue module

from rapidfuzz import fuzz, process  # noqa: E402

from moderation.matching import Index, Matcher, OriginalText  # noqa: E402
from tests.benchmarks.matching_accuracy import accuracy, read, show, wrap  # noqa: E402


def synthetic(texts: list[str], count: int, seed: int = 5) -> list[str]:
    """Originals made of 4 to 8 paragraphs of random BBC articles, under a random title."""
    rng = random.Random(seed)
    titles = [t.partition("\n")[0] for t in texts]
    paragraphs = [p for t in texts for p in t.partition("\n")[2].split("\n\n") if p.strip()]
    return [rng.choice(titles) + "\n\n" + "\n\n".join(rng.sample(paragraphs, rng.randint(4, 8)))
            for _ in range(count)]


def excerpt_query(text: str, rng: random.Random) -> str:
    """Most paragraphs of an original (in order), wrapped in the site's chrome."""
    title, _, body = text.partition("\n")
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    keep = sorted(rng.sample(range(len(paragraphs)), max(2, int(0.7 * len(paragraphs)))))
    return wrap(title + "\n\n" + "\n\n".join(paragraphs[k] for k in keep))[0]


def rss_mb() -> float:
    """Resident memory of this process now, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def speed(corpus: Path, work: Path, size: int, queries: int, baseline: int, out: dict) -> None:
    files = sorted((corpus / "bbc-news-summary" / "articles").glob("*/*.txt"))
    texts = synthetic([read(f) for f in files], size)
    folder = work / f"synthetic-{size}"
    index = Index(folder)
    t0 = time.perf_counter()
    index.add_many((i, OriginalText(t)) for i, t in enumerate(texts))
    index.compact()
    build = time.perf_counter() - t0
    disk = index.stats()["disk_bytes"]
    del index
    before = rss_mb()
    t0 = time.perf_counter()
    index = Index(folder)          # a fresh open, as a web worker would
    open_ms = 1000 * (time.perf_counter() - t0)
    matcher = Matcher(index, lambda i: OriginalText(texts[i]))
    rng = random.Random(size)
    picks = [rng.randrange(size) for _ in range(queries)]
    query_texts = [excerpt_query(texts[p], rng) for p in picks]
    matcher.match([("en", query_texts[0])])
    times, cpu, right = [], [], 0
    for p, q in zip(picks, query_texts, strict=True):
        t0, c0 = time.perf_counter(), time.process_time()
        matches = matcher.match([("en", q)])
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        right += bool(matches) and matches[0].original_id == p
    after = rss_mb()
    times.sort()
    cpu.sort()
    # Incremental adds, one original at a time, seen by a second opener (another worker).
    other = Index(folder)
    extra = synthetic(texts[:2000], 50, seed=size)
    t0 = time.perf_counter()
    for k, text in enumerate(extra):
        index.add(size + k, OriginalText(text))
    add_ms = 1000 * (time.perf_counter() - t0) / len(extra)
    t0 = time.perf_counter()
    other.refresh()
    refresh_ms = 1000 * (time.perf_counter() - t0)
    assert len(other) == size + len(extra)
    row = {
        "originals": size, "build_per_s": round(size / build, 1),
        "disk_bytes_per_original": round(disk / size),
        "open_ms": round(open_ms, 1),
        # Memory taken by opening and querying (mapped index pages the queries touched).
        "rss_growth_bytes_per_original": round(max(after - before, 0) * 2**20 / size),
        "query_p50_ms": round(1000 * times[len(times) // 2], 2),
        "query_p95_ms": round(1000 * times[int(len(times) * 0.95)], 2),
        # Processor time of this process: what the engine costs on a machine others share.
        "query_cpu_p50_ms": round(1000 * cpu[len(cpu) // 2], 2),
        "query_cpu_p95_ms": round(1000 * cpu[int(len(cpu) * 0.95)], 2),
        "top1": right / queries,
        "add_one_ms": round(add_ms, 2), "refresh_after_50_adds_ms": round(refresh_ms, 2),
    }
    if baseline:
        b_times, b_right, e_right, e_times = [], 0, 0, []
        for p, q in list(zip(picks, query_texts, strict=True))[:baseline]:
            t0 = time.perf_counter()
            best = process.extractOne(q, texts, scorer=fuzz.token_set_ratio)
            b_times.append(time.perf_counter() - t0)
            b_right += best[2] == p
            t0 = time.perf_counter()
            matches = matcher.match([("en", q)])
            e_times.append(time.perf_counter() - t0)
            e_right += bool(matches) and matches[0].original_id == p
        row.update(baseline_queries=baseline,
                   baseline_mean_s=round(statistics.mean(b_times), 3),
                   baseline_top1=b_right / baseline, engine_top1_same_queries=e_right / baseline,
                   speedup=round(statistics.mean(b_times) / statistics.mean(e_times)))
    out.setdefault("speed", []).append(row)
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated numbers of synthetic originals")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 originals")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--baseline", type=int, default=10,
                        help="queries also run through rapidfuzz extractOne (0: none)")
    parser.add_argument("--held-out", type=float, default=0.1)
    parser.add_argument("--folds", type=int, default=0,
                        help="also hold out every article once, in this many folds")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([1_000_000] if args.million else [])
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="matching-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_accuracy:
            accuracy(args.corpus, work, out, args.held_out, args.folds)
            print("accuracy on the BBC corpus (2,225 originals + the seed's original)")
            show(out)
        for size in sizes:
            speed(args.corpus, work, size, args.queries, args.baseline, out)
            row = out["speed"][-1]
            print(f"speed at {size:,} synthetic originals")
            for key, value in row.items():
                print(f"  {key:34} {value}")
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
