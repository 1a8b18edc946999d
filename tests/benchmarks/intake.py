"""Benchmark: read the BBC corpus as originals, from .txt files and from a generated JSON Lines file.

Usage: python tests/benchmarks/intake.py [--corpus ../shared/corpus] [--limit N]
                                         [--database-url postgresql+psycopg://...]
Prints a table and one JSON line. Target: at least 300 originals/s per input form, both for
reading alone and for the whole import into the database (SQLite in a temporary instance,
and PostgreSQL in a throw-away schema when --database-url is given).
"""

import argparse
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[0] = str(REPO)  # not this folder: queue.py here would hide the standard queue module

from moderation.intake import Record, decode_bytes, iter_records  # noqa: E402

TARGET_PER_SECOND = 300
BASE_URL = "https://www.bbc.co.uk/news/"


def _articles(corpus: Path, limit: int | None) -> list[Path]:
    files = sorted((corpus / "bbc-news-summary" / "articles").glob("*/*.txt"))
    if not files:
        raise SystemExit(f"no articles under {corpus / 'bbc-news-summary' / 'articles'}")
    return files[:limit] if limit else files


def _write_jsonl(files: list[Path], root: Path, target: Path) -> None:
    with target.open("w", encoding="utf-8") as out:
        for path in files:
            text = decode_bytes(path.read_bytes()).text
            title, _, body = text.partition("\n")
            record = {
                "url": BASE_URL + path.relative_to(root).with_suffix("").as_posix(),
                "title": title.strip(),
                "text": body,
                "publisher": "BBC News",
                "language": "en",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _run(make: Callable[[], Iterator[object]]) -> tuple[int, int, int, float]:
    records = errors = characters = 0
    started = time.perf_counter()
    for item in make():
        if isinstance(item, Record):
            records += 1
            characters += len(item.page.body)
        else:
            errors += 1
    return records, errors, characters, time.perf_counter() - started


def _peak_heap(make: Callable[[], Iterator[object]]) -> int:
    tracemalloc.start()
    for _ in make():
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def _import(make: Callable[[], Iterator[object]], url: str | None, tmp: Path) -> dict:
    """Time the whole import (read, extract, store) into a fresh database."""
    import uuid
    from datetime import UTC

    import sqlalchemy as sa

    from moderation import create_app
    from moderation.library.imports import store_records
    from moderation.plumbing.db import get_session, make_engine, upgrade

    schema = None
    if url is None:
        url = f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.db'}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with sa.create_engine(url).begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = f"{url}?options=-csearch_path%3D{schema}"
    upgrade(make_engine(url))
    app = create_app({"INSTANCE_PATH": str(tmp / "instance"), "DATABASE_URL": url})
    try:
        with app.app_context():
            started = time.perf_counter()
            report = store_records(get_session(), make(), kind="original", zone=UTC)
            seconds = time.perf_counter() - started
    finally:
        if schema:
            base = url.split("?")[0]
            with sa.create_engine(base).begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    return {"stored": report.new, "failed": report.failed, "seconds": round(seconds, 3),
            "originals_per_s": round(report.new / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N articles")
    parser.add_argument("--database-url", default=None,
                        help="also import into this PostgreSQL database (a throw-away schema)")
    args = parser.parse_args()
    files = _articles(args.corpus, args.limit)
    root = args.corpus / "bbc-news-summary" / "articles"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        for path in files:  # a copy, so --limit applies to the folder walk too
            target = folder / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
        jsonl = Path(tmp) / "articles.jsonl"
        _write_jsonl(files, root, jsonl)
        forms = {
            "txt": lambda: iter_records(folder, publisher="BBC News", base_url=BASE_URL),
            "jsonl": lambda: iter_records(jsonl),
        }
        _run(forms["jsonl"])  # warm-up: imports, regex compilation
        results = {}
        for name, make in forms.items():
            records, errors, characters, seconds = _run(make)
            results[name] = {
                "records": records,
                "errors": errors,
                "seconds": round(seconds, 3),
                "records_per_s": round(records / seconds, 1),
                "mb_per_s": round(characters / seconds / 1e6, 2),
                "peak_heap_mb": round(_peak_heap(make) / 2**20, 1),
                "sqlite": _import(make, None, Path(tmp)),
            }
            if args.database_url:
                results[name]["postgresql"] = _import(make, args.database_url, Path(tmp))
    peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(
        f"{'input':<6} {'records':>8} {'errors':>6} {'seconds':>8} {'rec/s':>8} {'MB/s':>6} {'heap MB':>8}"
    )
    for name, row in results.items():
        print(
            f"{name:<6} {row['records']:>8} {row['errors']:>6} {row['seconds']:>8} "
            f"{row['records_per_s']:>8} {row['mb_per_s']:>6} {row['peak_heap_mb']:>8}"
        )
    print(f"{'import into':<18} {'stored':>8} {'failed':>6} {'seconds':>8} {'orig/s':>8}")
    for name, row in results.items():
        for backend in ("sqlite", "postgresql"):
            if backend in row:
                db = row[backend]
                print(f"{name + ' -> ' + backend:<18} {db['stored']:>8} {db['failed']:>6} "
                      f"{db['seconds']:>8} {db['originals_per_s']:>8}")
    slowest = min(
        min([row["records_per_s"]] + [row[b]["originals_per_s"] for b in ("sqlite", "postgresql")
                                      if b in row])
        for row in results.values()
    )
    verdict = "meets" if slowest >= TARGET_PER_SECOND else "MISSES"
    print(
        f"peak RSS {peak_rss_mb} MB; slowest form {slowest}/s {verdict} the {TARGET_PER_SECOND}/s target"
    )
    print(
        json.dumps(
            {
                "benchmark": "intake",
                "articles": len(files),
                "peak_rss_mb": peak_rss_mb,
                "target_per_s": TARGET_PER_SECOND,
                "meets_target": slowest >= TARGET_PER_SECOND,
                **results,
            }
        )
    )


if __name__ == "__main__":
    main()
