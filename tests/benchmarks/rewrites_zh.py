"""Development benchmark: are Chinese rewrites (洗稿) of Chinese originals traced?

    python tests/benchmarks/rewrites_zh.py              # with the BBC corpus as distractors
    python tests/benchmarks/rewrites_zh.py --no-corpus  # the Chinese originals alone

There is no Chinese paraphrase corpus here, so the cases are small and written by hand
(tests/fixtures/matching/rewrites_zh/, its README says how): three Chinese originals cut
from the seed page's Chinese text, a light and a heavy rewrite of each, and three
independent Chinese reports of the same news. Queries:

- ``light`` / ``heavy``: the rewrites; traced when the first match is their original.
- ``copy``: an original wrapped in the site's chrome: ``verbatim`` expected.
- ``excerpt``: every other paragraph of an original: ``excerpt`` expected.
- ``independent``: same news, other words, other facts: nothing may be reported.

The originals are indexed among the 2,225 BBC articles (unless ``--no-corpus``). Besides
the search, ``compare()`` of each rewrite with its original and of each independent text
with every original gives the scores the engine sees. Prints a table, then one JSON line.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # not this folder: queue.py here would hide the standard queue

from moderation.matching import Index, Matcher, OriginalText, compare  # noqa: E402
from moderation.matching.segmenter import segmenter  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "matching"
CASES = FIXTURES / "rewrites_zh"
CHROME = json.loads((FIXTURES / "site_chrome.json").read_text(encoding="utf-8"))
KEYS = ("a", "b", "c")
ZH_BASE = 20_000_000


def text(name: str) -> str:
    return (CASES / f"{name}.txt").read_text(encoding="utf-8")


def wrapped(body: str) -> str:
    """An article as the site shows it: chrome, date line, a "read more" in the middle."""
    title, _, rest = body.partition("\n")
    paragraphs = [p for p in rest.split("\n\n") if p.strip()]
    half = len(paragraphs) // 2
    return "\n\n".join([CHROME["header"], title, CHROME["dateline"], *paragraphs[:half],
                        CHROME["read_more"], *paragraphs[half:], CHROME["footer"]])


def excerpt(body: str) -> str:
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    return "\n\n".join(paragraphs[1::2])


def queries() -> list[tuple[str, str, str | None, tuple[str, ...] | None]]:
    """(group, name, expected original key or None, expected kinds or None)."""
    out = []
    for k in KEYS:
        # Synonyms swapped in sentences kept whole leave many runs of characters: "edited"
        # says that as well as "rewritten" does.
        out.append(("light", f"light_{k}", k, ("rewritten", "edited")))
        out.append(("heavy", f"heavy_{k}", k, ("rewritten",)))
        out.append(("copy", f"copy_{k}", k, ("verbatim",)))
        out.append(("excerpt", f"excerpt_{k}", k, ("excerpt",)))
    out += [("independent", f"independent_{i}", None, None) for i in (1, 2, 3)]
    return out


def unindexed_queries() -> list[tuple[str, str, str | None, tuple[str, ...] | None]]:
    """Rewrites and copies whose originals are not indexed: nothing may be reported (among
    the BBC articles, only a wrong translation could be)."""
    return [("not_indexed", f"{grade}_{k}", None, None)
            for k in KEYS for grade in ("light", "heavy", "copy")]


def query_text(name: str) -> str:
    kind, _, k = name.partition("_")
    if kind == "copy":
        return wrapped(text(f"original_{k}"))
    if kind == "excerpt":
        return excerpt(text(f"original_{k}"))
    return wrapped(text(name))


def load_corpus(folder: Path) -> dict[int, OriginalText]:
    found = {}
    root = folder / "bbc-news-summary" / "articles"
    if not root.is_dir():
        raise SystemExit(f"no BBC corpus in {folder} (give --corpus, or --no-corpus)")
    for i, path in enumerate(sorted(root.glob("*/*.txt"))):
        data = path.read_bytes()
        try:
            found[i] = OriginalText(data.decode("utf-8"), "en")
        except UnicodeDecodeError:
            found[i] = OriginalText(data.decode("cp1252", errors="replace"), "en")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--no-corpus", action="store_true")
    args = parser.parse_args()
    out: dict = {}

    t0 = time.perf_counter()
    compare("拜登与普京通话。", "拜登和普京通电话。")  # reads CC-CEDICT (its cache) once
    out["cedict_load_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    segmenter()  # and jieba's dictionary (its cache), as the first rewrite aligned would
    out["jieba_load_s"] = round(time.perf_counter() - t0, 2)

    originals = {} if args.no_corpus else load_corpus(args.corpus)
    ids = {k: ZH_BASE + n for n, k in enumerate(KEYS)}
    for k, i in ids.items():
        originals[i] = OriginalText(text(f"original_{k}"), "zh")
    out["originals"] = len(originals)
    with tempfile.TemporaryDirectory() as work:
        index = Index(Path(work) / "index")
        index.add_many(originals.items())
        index.compact()
        matcher = Matcher(index, originals.get)
        rows, times = [], []
        groups: dict[str, dict] = {}
        cases = [(matcher, q) for q in queries()]
        if not args.no_corpus:
            bbc = {i: o for i, o in originals.items() if i < ZH_BASE}
            bbc_index = Index(Path(work) / "bbc")
            bbc_index.add_many(bbc.items())
            cases += [(Matcher(bbc_index, bbc.get), q) for q in unindexed_queries()]
        for matcher, (group, name, key, kind) in cases:
            body = query_text(name)
            t0 = time.perf_counter()
            matches = matcher.match([("zh", body)])
            times.append(time.perf_counter() - t0)
            top = matches[0] if matches else None
            if key is None:
                ok = not matches
            else:
                ok = top is not None and top.original_id == ids[key]
            g = groups.setdefault(group, {"n": 0, "right": 0, "kind_right": 0, "strong": 0})
            g["strong"] += ok and top is not None and not top.possible
            g["n"] += 1
            g["right"] += ok
            g["kind_right"] += ok and (kind is None or top.kind in kind)
            rows.append((group, name, ok, top.kind if top else "none",
                         round(top.score, 3) if top else 0.0,
                         bool(top and top.possible)))
    print(f"Chinese rewrites among {out['originals']} originals")
    print(f"  {'query':16} {'group':12} {'right':6} {'kind':11} {'score':6} possible")
    for group, name, ok, kind, score, possible in rows:
        print(f"  {name:16} {group:12} {'yes' if ok else 'NO':6} {kind:11} {score:<6} {possible}")
    for group, g in groups.items():
        out[f"{group}_right"] = g["right"] / g["n"]
        out[f"{group}_kind_right"] = g["kind_right"] / g["n"]
        if group not in ("independent", "not_indexed"):  # reuse established, not possible
            out[f"{group}_strong"] = g["strong"] / g["n"]
    out["query_p50_ms"] = round(1000 * statistics.median(times), 1)
    out["query_max_ms"] = round(1000 * max(times), 1)

    # What the alignment sees, pair by pair (no index): rewrites with their originals, and
    # independent texts with every original (the highest score counts).
    scores = {}
    for k in KEYS:
        o = OriginalText(text(f"original_{k}"), "zh")
        for grade in ("light", "heavy"):
            m = compare([("zh", text(f"{grade}_{k}"))], o)
            scores[f"{grade}_{k}"] = round(m.score, 3)
    for i in (1, 2, 3):
        scores[f"independent_{i}"] = round(max(
            compare([("zh", text(f"independent_{i}"))],
                    OriginalText(text(f"original_{k}"), "zh")).score for k in KEYS), 3)
    out["compare_scores"] = scores
    print("  compare() scores: " + ", ".join(f"{k} {v}" for k, v in scores.items()))
    for key, value in out.items():
        if key != "compare_scores":
            print(f"  {key:28} {value}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
