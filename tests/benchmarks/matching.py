"""Benchmark of the matching engine: accuracy on the BBC corpus, then speed at scale.

    python tests/benchmarks/matching.py                      # accuracy + 10k and 100k
    python tests/benchmarks/matching.py --sizes 10000        # quicker
    python tests/benchmarks/matching.py --million            # adds 1,000,000 originals

Prints a table, then one JSON line with every figure.
"""

import argparse
import collections
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[0] = str(REPO)  # not this folder: queue.py here would hide the standard queue module

from rapidfuzz import fuzz, process  # noqa: E402

from moderation.matching import Index, Matcher, OriginalText  # noqa: E402
from moderation.matching.text import TOKEN_RE, normalize, tokenize  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "matching"
CHROME = json.loads((FIXTURES / "site_chrome.json").read_text(encoding="utf-8"))
SEED_ID = 10_000_000
SEED_DAY = date(2021, 12, 31)


def read(path: Path) -> str:
    """Text of a corpus file (one of them is not UTF-8 but Windows-1252)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def wrap(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The article as the site shows it, and where its own text lies in the page."""
    title, _, body = text.partition("\n")
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    half = len(paragraphs) // 2
    page, ranges = CHROME["header"], []
    for piece in [title, CHROME["dateline"], *paragraphs[:half], CHROME["read_more"],
                  *paragraphs[half:]]:
        if piece not in (CHROME["dateline"], CHROME["read_more"]):
            ranges.append((len(page), len(page) + len(piece)))
        page += piece + "\n\n"
    return page + CHROME["footer"], ranges


def body_coverage(page: str, ranges: list[tuple[int, int]], spans) -> float:
    """Share of the article's own tokens inside aligned spans."""
    starts = [m.start() for m in TOKEN_RE.finditer(page)
              if any(a <= m.start() < b for a, b in ranges)]
    edges = sorted((s.article_start, s.article_end) for s in spans)
    covered = sum(1 for t in starts if any(a <= t < b for a, b in edges))
    return covered / max(len(starts), 1)


def ten_grams(text: str) -> set[int]:
    tokens = tokenize(text)
    return {hash(tuple(tokens[i:i + 10])) for i in range(len(tokens) - 9)}


def percent(x: float) -> str:
    return f"{100 * x:.2f}%"


def accuracy(corpus: Path, work: Path, out: dict, held_share: float) -> None:
    root = corpus / "bbc-news-summary"
    files = sorted((root / "articles").glob("*/*.txt"))
    texts = [read(f) for f in files]
    summaries = [read(root / "summaries" / f.parent.name / f.name) for f in files]
    n = len(texts)
    same = collections.defaultdict(set)    # identical texts (spacing and punctuation aside)
    same_body = collections.defaultdict(set)   # identical bodies under other titles
    for i, t in enumerate(texts):
        same[normalize(t)].add(i)
        same_body[normalize(t.partition("\n")[2])].add(i)
    seed = (FIXTURES / "seed_page.txt").read_text(encoding="utf-8")
    start = seed.index("Biden, Putin hold call")
    end = seed.index("whatever Putin decides.") + len("whatever Putin decides.")
    originals = {i: OriginalText(t) for i, t in enumerate(texts)}
    originals[SEED_ID] = OriginalText(seed[start:end], "en", SEED_DAY)

    index = Index(work / "bbc")
    t0 = time.perf_counter()
    index.add_many(originals.items())
    index.compact()
    out["bbc_build_s"] = round(time.perf_counter() - t0, 2)
    matcher = Matcher(index, originals.get)

    strict = right = right_body = tied = excerpt = 0
    for i, summary in enumerate(summaries):
        matches = matcher.match([("en", summary)])
        top = matches[0].original_id if matches else None
        strict += top == i
        right += top in same[normalize(texts[i])]
        right_body += top in same_body[normalize(texts[i].partition("\n")[2])]
        # Near-duplicates holding every sentence of the summary score alike: the summary
        # cannot tell them apart; count the true article listed among those tied first.
        tied += any(m.original_id == i and m.score == matches[0].score for m in matches)
        excerpt += bool(matches) and matches[0].kind == "excerpt"
    out.update(summaries_top1_strict=strict / n, summaries_top1=right / n,
               summaries_top1_same_body=right_body / n, summaries_true_among_tied=tied / n,
               summaries_kind_excerpt=excerpt / n)

    top1 = verbatim = 0
    coverages, engine_coverages, times = [], [], []
    for text in texts:
        page, ranges = wrap(text)
        t0 = time.perf_counter()
        matches = matcher.match([("en", page)])
        times.append(time.perf_counter() - t0)
        ok = bool(matches) and matches[0].original_id in same[normalize(text)]
        top1 += ok
        verbatim += ok and matches[0].kind == "verbatim"
        if ok:
            coverages.append(body_coverage(page, ranges, matches[0].spans))
            engine_coverages.append(matches[0].article_coverage)
    out.update(wrapped_top1=top1 / n, wrapped_kind_verbatim=verbatim / n,
               wrapped_body_coverage_min=min(coverages),
               wrapped_body_coverage_mean=statistics.mean(coverages),
               wrapped_body_share_ge_095=sum(c >= 0.95 for c in coverages) / n,
               wrapped_article_coverage_mean=statistics.mean(engine_coverages),
               bbc_query_p50_ms=1000 * statistics.median(times))

    chinese, english = seed[:start] + seed[end:], seed[start:end]
    zh_lines = "\n".join(line for line in seed.splitlines()
                         if not line.strip() or any("\u4e00" <= c <= "\u9fff" for c in line))
    for key, segments in (("seed_en", [("en", english)]), ("seed_zh", [("zh", chinese)]),
                          ("seed_zh_lines", [("zh", zh_lines)])):
        t0 = time.perf_counter()
        matches = matcher.match(segments, published_at=SEED_DAY)
        ms = 1000 * (time.perf_counter() - t0)
        top = matches[0] if matches else None
        out[key] = {"top1": bool(top) and top.original_id == SEED_ID,
                    "kind": top.kind if top else "none", "score": top.score if top else 0,
                    "ms": round(ms, 1)}

    # Held out: whole groups of identical texts, so that no copy stays in the index.
    rng = random.Random(11)
    held = set()
    for i in rng.sample(range(n), int(held_share * n)):
        held |= same_body[normalize(texts[i].partition("\n")[2])] | same[normalize(texts[i])]
    kept = {i: o for i, o in originals.items() if i not in held}
    index = Index(work / "held")
    index.add_many(kept.items())
    matcher = Matcher(index, kept.get)
    grams = collections.Counter()
    for i in kept:
        if i != SEED_ID:
            grams.update(ten_grams(texts[i]))
    reported, clean, clean_reported = [], 0, 0
    for i in sorted(held):
        matches = matcher.match([("en", wrap(texts[i])[0])])
        # "Clean": shares no run of ten words with any indexed original, i.e. truly in none.
        is_clean = not any(g in grams for g in ten_grams(texts[i]))
        clean += is_clean
        if matches:
            reported.append(i)
            clean_reported += is_clean
    out.update(held_out=len(held), held_out_reported=len(reported) / len(held),
               held_out_clean=clean, held_out_clean_reported=clean_reported / max(clean, 1))


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
    times, right = [], 0
    for p, q in zip(picks, query_texts, strict=True):
        t0 = time.perf_counter()
        matches = matcher.match([("en", q)])
        times.append(time.perf_counter() - t0)
        right += bool(matches) and matches[0].original_id == p
    after = rss_mb()
    times.sort()
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
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([1_000_000] if args.million else [])
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="matching-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_accuracy:
            accuracy(args.corpus, work, out, args.held_out)
            print("accuracy on the BBC corpus (2,225 originals + the seed's original)")
            for key, value in out.items():
                shown = percent(value) if isinstance(value, float) and value <= 1 else value
                print(f"  {key:34} {shown}")
        for size in sizes:
            speed(args.corpus, work, size, args.queries, args.baseline, out)
            row = out["speed"][-1]
            print(f"speed at {size:,} synthetic originals")
            for key, value in row.items():
                print(f"  {key:34} {value}")
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
