"""Benchmark: follow a 10,000-page copy of our site served on 127.0.0.1, twice.

    python tests/benchmarks/site.py                         # 10,000 pages, 20,000 originals
    python tests/benchmarks/site.py --pages 1000 --originals 2000   # quicker
    python tests/benchmarks/site.py --database-url postgresql+psycopg://postgres@127.0.0.1/test

Each page reposts one of the originals (a Chinese headline and lead, then most of the English
original, in the site's chrome). The first `articles sitemap` pass reads every page (intake
and matching included, per-host delay off); the second runs over the unchanged site. The
baseline, in the same run, is `articles import` of a sample of the same pages saved as files:
the same intake and matching without HTTP. Targets: first pass >= 100 pages/s, second < 10 s.
Prints a table, then one JSON line.
"""

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[2]
sys.path[0] = str(REPO)  # not this folder: queue.py here would hide the standard queue module

from sqlmodel import func, select  # noqa: E402

from moderation import create_app, provenance  # noqa: E402
from moderation.intake import text_hash  # noqa: E402
from moderation.intake.site import SiteFetcher  # noqa: E402
from moderation.library.following import FollowReport, follow, sitemap_targets  # noqa: E402
from moderation.models import Article, Original, Provenance  # noqa: E402
from moderation.plumbing import db, sqlitetools  # noqa: E402
from tests.benchmarks.matching import rss_mb, synthetic  # noqa: E402
from tests.benchmarks.matching_accuracy import read  # noqa: E402
from tests.support.siteserver import Route, Site, article_html, sitemap_xml, start, stop  # noqa: E402

FIRST_TARGET = 100.0  # pages per second
SECOND_TARGET = 10.0  # seconds
LEAD = "据外媒报道,当地时间周二发生了一件引起广泛关注的事件,以下为原文。"


def _page(number: int, text: str, rng: random.Random) -> bytes:
    title, _, body = text.partition("\n")
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    keep = sorted(rng.sample(range(len(paragraphs)), max(2, int(0.7 * len(paragraphs)))))
    chinese = f"第{number}号新闻:{title.strip()[:30]}"
    return article_html(chinese, [LEAD, title.strip(), *(paragraphs[k] for k in keep)],
                        date="2024-05-01 08:00").encode("utf-8")


def _load_originals(app, texts: list[str]) -> float:
    started = time.perf_counter()
    with app.app_context():
        session = db.get_session()
        for start_at in range(0, len(texts), 2000):
            session.add_all(
                Original(url=f"https://publisher.example/story/{n}", title=t.partition("\n")[0],
                         text=t.partition("\n")[2].strip(), language="en",
                         text_hash=text_hash(t))
                for n, t in enumerate(texts[start_at:start_at + 2000], start=start_at))
            session.commit()
        provenance.reconcile(session, provenance.get_index())
    return time.perf_counter() - started


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        session = db.get_session()
        return (session.exec(select(func.count()).select_from(Article)).one(),
                session.exec(select(func.count(func.distinct(Provenance.article_id)))).one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--originals", type=int, default=20_000)
    parser.add_argument("--baseline", type=int, default=500,
                        help="pages imported from files for the baseline")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    files = sorted((args.corpus / "bbc-news-summary" / "articles").glob("*/*.txt"))
    if not files:
        raise SystemExit(f"no BBC articles under {args.corpus}")
    texts = synthetic([read(f) for f in files], args.originals)
    rng = random.Random(7)
    site = Site()
    httpd, thread = start(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n",
                                       content_type="text/plain")
    pages = []
    for n in range(args.pages):
        body = _page(n, texts[n], rng)
        pages.append(body)
        site.routes[f"/news/{n}.html"] = Route(body)
    half = (args.pages + 1) // 2
    for part, numbers in enumerate((range(half), range(half, args.pages))):
        site.routes[f"/sitemap-{part}.xml"] = Route(
            sitemap_xml((f"{base}/news/{n}.html", "2024-05-01") for n in numbers),
            content_type="application/xml")
    site.routes["/sitemap.xml"] = Route(
        sitemap_xml([(f"{base}/sitemap-0.xml", None), (f"{base}/sitemap-1.xml", None)],
                    index=True), content_type="application/xml")

    rows, out = [], {"benchmark": "site", "pages": args.pages, "originals": args.originals}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        config = {"INSTANCE_PATH": str(work / "instance"), "SITE_DOMAINS": ["127.0.0.1"],
                  "SITE_FETCH_DELAY": 0.0, "DEFAULT_LOCALE": "en",
                  "DATABASE_URL": args.database_url or f"sqlite:///{work / 'site.db'}"}
        app = create_app(config)
        with app.app_context():
            db.upgrade(db.get_engine())
        out["originals_load_s"] = round(_load_originals(app, texts), 1)
        runner = app.test_cli_runner()

        # Baseline: the same intake and matching from files, in a separate database.
        folder = work / "saved"
        folder.mkdir()
        for n in range(min(args.baseline, args.pages)):
            (folder / f"{n}.html").write_bytes(pages[n])
        base_config = {**config, "INSTANCE_PATH": str(work / "baseline"),
                       "DATABASE_URL": f"sqlite:///{work / 'baseline.db'}"}
        if args.database_url:
            base_app = create_app(base_config)
            with base_app.app_context():
                db.upgrade(db.get_engine())
            _load_originals(base_app, texts)
        else:  # the same originals and index, copied rather than loaded again
            shutil.copytree(work / "instance", work / "baseline")
            sqlitetools.copy(work / "site.db", work / "baseline.db", read_only=False)
            base_app = create_app(base_config)
        t0 = time.perf_counter()
        result = base_app.test_cli_runner().invoke(
            args=["articles", "import", str(folder), "--base-url", base + "/saved/"])
        baseline_s = time.perf_counter() - t0
        if result.exit_code != 0:
            raise SystemExit(result.output)
        baseline_rate = min(args.baseline, args.pages) / baseline_s
        rows.append(("baseline: articles import from files", min(args.baseline, args.pages),
                     baseline_s, baseline_rate, ""))

        if not args.database_url:
            # Where the time goes: the same pass with matching left out, on a copy.
            sqlitetools.copy(work / "baseline.db", work / "nomatch.db", read_only=False)
            bare = create_app({**config, "INSTANCE_PATH": str(work / "nomatch"),
                               "DATABASE_URL": f"sqlite:///{work / 'nomatch.db'}"})
            with bare.app_context(), SiteFetcher(["127.0.0.1"], delay=0) as fetcher:
                session, report = db.get_session(), FollowReport()
                t0 = time.perf_counter()
                follow(session, fetcher, sitemap_targets(session, fetcher,
                                                         [base + "/sitemap.xml"], report),
                       zone=ZoneInfo("UTC"), report=report, workers=4)
                bare_s = time.perf_counter() - t0
            bare_rate = (report.new + report.changed) / bare_s
            rows.append(("first pass without matching", report.new + report.changed, bare_s,
                         bare_rate, ""))
            out["without_matching_pages_per_s"] = round(bare_rate, 1)

        t0 = time.perf_counter()
        first = runner.invoke(args=["articles", "sitemap", base + "/sitemap.xml"])
        first_s = time.perf_counter() - t0
        if first.exit_code != 0:
            raise SystemExit(first.output)
        articles, matched = _counts(app)
        first_rate = articles / first_s
        rows.append(("first pass (sitemap, all pages)", articles, first_s, first_rate,
                     "ok" if first_rate >= FIRST_TARGET else "BELOW TARGET"))
        requests_before = len(site.requests())
        t0 = time.perf_counter()
        second = runner.invoke(args=["articles", "sitemap", base + "/sitemap.xml"])
        second_s = time.perf_counter() - t0
        if second.exit_code != 0:
            raise SystemExit(second.output)
        asked = site.requests(requests_before)
        rows.append(("second pass (unchanged site)", len(asked), second_s, None,
                     "ok" if second_s < SECOND_TARGET else "OVER TARGET"))
    stop(httpd, thread)

    print(f"{'run':<40} {'items':>7} {'seconds':>9} {'pages/s':>9}  verdict")
    for name, items, seconds, rate, verdict in rows:
        shown = f"{rate:9.1f}" if rate is not None else f"{'-':>9}"
        print(f"{name:<40} {items:>7} {seconds:9.2f} {shown}  {verdict}")
    print(f"articles stored: {articles:,}; with a matched original: {matched:,}; "
          f"requests in the second pass: {len(asked)} ({sorted({s for _, s in asked})})")
    out |= {"first_s": round(first_s, 2), "first_pages_per_s": round(first_rate, 1),
            "second_s": round(second_s, 2), "second_requests": len(asked),
            "baseline_pages_per_s": round(baseline_rate, 1), "articles": articles,
            "matched": matched, "rss_mb": round(rss_mb(), 1),
            "first_ok": first_rate >= FIRST_TARGET, "second_ok": second_s < SECOND_TARGET}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
