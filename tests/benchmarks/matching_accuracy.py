"""Accuracy of the matching engine on the BBC News Summary corpus (2,225 articles).

    python tests/benchmarks/matching_accuracy.py              # summaries, pages, seed, held out
    python tests/benchmarks/matching_accuracy.py --folds 10   # also every article held out once

tests/benchmarks/matching.py runs the same measures before its speed runs. Prints a table,
then one JSON line with every figure.

"Held out" articles are left out of the index with their versions: articles holding at least
half of each other's text (either way) in runs of ten words, as a summary holds all of its
article. A held-out article then is in no indexed original, and any match reported for it
is wrong; what it may still share with indexed ones are quotes and background paragraphs of
other stories on the same news.
"""

import argparse
import collections
import json
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # not this folder: queue.py here would hide the standard queue

from moderation.matching import Index, Matcher, OriginalText  # noqa: E402
from moderation.matching.text import TOKEN_RE, normalize, tokenize  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "matching"
CHROME = json.loads((FIXTURES / "site_chrome.json").read_text(encoding="utf-8"))
SEED_ID = 10_000_000
SEED_DAY = date(2021, 12, 31)
SEED_PAGE = (FIXTURES / "seed_page.txt").read_text(encoding="utf-8")
# The English original inside the seed page (the rest is its Chinese translation and chrome).
SEED_START = SEED_PAGE.index("Biden, Putin hold call")
SEED_END = SEED_PAGE.index("whatever Putin decides.") + len("whatever Putin decides.")
# Share of either text found word for word in the other that makes two articles versions.
VERSION_SHARE = 0.5
RUN = 10
# Sentence ends in the BBC summaries, which join their sentences without a space.
SENTENCE_RE = re.compile(r"(?<=[.!?])(?=[A-Z\"'])")


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


def percent(x: float) -> str:
    return f"{100 * x:.2f}%"


class Corpus:
    """Articles, summaries, duplicates and versions of the BBC corpus."""

    def __init__(self, folder: Path):
        root = folder / "bbc-news-summary"
        files = sorted((root / "articles").glob("*/*.txt"))
        self.names = [f"{f.parent.name}-{f.stem}" for f in files]
        self.texts = [read(f) for f in files]
        self.summaries = [read(root / "summaries" / f.parent.name / f.name) for f in files]
        self.n = len(self.texts)
        self.same = collections.defaultdict(set)       # identical texts (punctuation aside)
        self.same_body = collections.defaultdict(set)  # identical bodies under other titles
        for i, t in enumerate(self.texts):
            self.same[normalize(t)].add(i)
            self.same_body[self.body(i)].add(i)
        self.runs = [self._runs(tokenize(t)) for t in self.texts]
        self.shared = self._containment()
        self.versions = collections.defaultdict(set)
        for (a, b), share in self.shared.items():
            if share >= VERSION_SHARE:
                self.versions[a].add(b)
                self.versions[b].add(a)

    def body(self, i: int) -> str:
        return normalize(self.texts[i].partition("\n")[2])

    def identical(self, i: int) -> set[int]:
        return self.same[normalize(self.texts[i])] | self.same_body[self.body(i)]

    @staticmethod
    def _runs(tokens: list[str]) -> tuple[list[int], int]:
        return [hash(tuple(tokens[k:k + RUN])) for k in range(len(tokens) - RUN + 1)], len(tokens)

    def _containment(self) -> dict[tuple[int, int], float]:
        """(a, b) -> share of a's words inside runs of ten words also found in b."""
        owners = collections.defaultdict(set)
        for i, (runs, _) in enumerate(self.runs):
            for h in runs:
                owners[h].add(i)
        sets = [set(runs) for runs, _ in self.runs]
        out = {}
        for a, (runs, length) in enumerate(self.runs):
            for b in set().union(*(owners[h] for h in runs)) - {a} if runs else ():
                covered = bytearray(length)
                for k, h in enumerate(runs):
                    if h in sets[b]:
                        covered[k:k + RUN] = b"\x01" * RUN
                out[a, b] = sum(covered) / length
        return out

    def group(self, i: int) -> set[int]:
        """The article, its identical copies and its versions (transitively)."""
        found, todo = set(), [i]
        while todo:
            k = todo.pop()
            if k in found:
                continue
            found.add(k)
            todo += self.identical(k) | self.versions[k]
        return found

    def shares_runs(self, i: int, indexed: set[int]) -> bool:
        return any((i, b) in self.shared for b in indexed)


def summaries(corpus: Corpus, matcher: Matcher, out: dict) -> None:
    strict = right = right_body = tied = excerpt = 0
    for i, summary in enumerate(corpus.summaries):
        matches = matcher.match([("en", summary)])
        top = matches[0].original_id if matches else None
        strict += top == i
        right += top in corpus.same[normalize(corpus.texts[i])]
        right_body += top in corpus.same_body[corpus.body(i)]
        # Near-duplicates holding every sentence of the summary score alike: the summary
        # cannot tell them apart; count the true article listed among those tied first.
        tied += any(m.original_id == i and m.score == matches[0].score for m in matches)
        excerpt += bool(matches) and matches[0].kind == "excerpt"
    # Articles with the very same summary get the same answer whatever the engine: at most
    # the largest class of them can be right.
    ceiling, ceiling_body = 0, 0
    by_summary = collections.defaultdict(list)
    for i, s in enumerate(corpus.summaries):
        by_summary[normalize(s)].append(i)
    for members in by_summary.values():
        ceiling += max(collections.Counter(normalize(corpus.texts[i]) for i in members).values())
        ceiling_body += max(collections.Counter(corpus.body(i) for i in members).values())
    n = corpus.n
    out.update(summaries_top1_strict=strict / n, summaries_top1=right / n,
               summaries_top1_ceiling=ceiling / n, summaries_top1_same_body=right_body / n,
               summaries_top1_same_body_ceiling=ceiling_body / n,
               summaries_top1_content_ceiling=content_ceiling(corpus) / n,
               summaries_true_among_tied=tied / n, summaries_kind_excerpt=excerpt / n)


def content_ceiling(corpus: Corpus) -> int:
    """How many summaries any engine ranking originals by what they contain can trace.

    Articles of different bodies, each holding every sentence of the other's summary word
    for word, explain either summary alike: whatever breaks the tie picks the same article
    for both, so one of the two is missed. Identical summaries are grouped too, as in the
    same-body ceiling. Each group counts its largest body class.
    """
    texts = [" " + normalize(t) + " " for t in corpus.texts]
    sentences = [[" " + normalize(s) + " " for s in SENTENCE_RE.split(summary) if s.strip()]
                 for summary in corpus.summaries]

    def inside(i: int, j: int) -> bool:
        return all(s in texts[j] for s in sentences[i])

    parent = list(range(corpus.n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_summary = collections.defaultdict(list)
    for i, s in enumerate(corpus.summaries):
        by_summary[normalize(s)].append(i)
    for members in by_summary.values():
        for j in members[1:]:
            parent[root(j)] = root(members[0])
    for (a, b) in corpus.shared:
        if a < b and corpus.body(a) != corpus.body(b) and inside(a, a) and inside(b, b) \
                and inside(a, b) and inside(b, a):
            parent[root(b)] = root(a)
    groups = collections.defaultdict(list)
    for i in range(corpus.n):
        groups[root(i)].append(i)
    return sum(max(collections.Counter(corpus.body(i) for i in members).values())
               for members in groups.values())


def pages(corpus: Corpus, matcher: Matcher, out: dict) -> None:
    top1 = verbatim = 0
    coverages, engine_coverages, times = [], [], []
    for text in corpus.texts:
        page, ranges = wrap(text)
        t0 = time.perf_counter()
        matches = matcher.match([("en", page)])
        times.append(time.perf_counter() - t0)
        ok = bool(matches) and matches[0].original_id in corpus.same[normalize(text)]
        top1 += ok
        verbatim += ok and matches[0].kind == "verbatim"
        if ok:
            coverages.append(body_coverage(page, ranges, matches[0].spans))
            engine_coverages.append(matches[0].article_coverage)
    n = corpus.n
    out.update(wrapped_top1=top1 / n, wrapped_kind_verbatim=verbatim / n,
               wrapped_body_coverage_min=min(coverages),
               wrapped_body_coverage_mean=statistics.mean(coverages),
               wrapped_body_share_ge_095=sum(c >= 0.95 for c in coverages) / n,
               wrapped_article_coverage_mean=statistics.mean(engine_coverages),
               bbc_query_p50_ms=1000 * statistics.median(times))


def seed(matcher: Matcher, out: dict) -> None:
    page, start, end = SEED_PAGE, SEED_START, SEED_END
    chinese, english = page[:start] + page[end:], page[start:end]
    zh_lines = "\n".join(line for line in page.splitlines()
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


def chinese_parts(matcher: Matcher, out: dict) -> None:
    """The seed page's Chinese translation a paragraph, and two, at a time (no English, no
    date): is its original found from so little text? Real machine translation."""
    chinese = SEED_PAGE[:SEED_START]
    paragraphs = [p.strip() for p in chinese.split("\n") if len(p.strip()) > 30][2:]
    for size in (1, 2):
        pieces = ["\n\n".join(paragraphs[i:i + size])
                  for i in range(0, len(paragraphs) - size + 1, size)]
        top1 = sum(bool(m) and m[0].original_id == SEED_ID
                   for m in (matcher.match([("zh", p)]) for p in pieces))
        out[f"seed_zh_{size}_paragraph_top1"] = top1 / len(pieces)


def chinese_translations(corpus: Corpus, matcher: Matcher, out: dict) -> None:
    """Hand-made Chinese translations of BBC articles' openings (fixtures/matching/
    translations_zh/): traced to their English original, and among the candidates?"""
    top1 = candidates = 0
    files = sorted((FIXTURES / "translations_zh").glob("*.txt"))
    for path in files:
        right = corpus.same[normalize(corpus.texts[corpus.names.index(path.stem)])]
        segments = [("zh", path.read_text(encoding="utf-8"))]
        matches = matcher.match(segments)
        top1 += bool(matches) and matches[0].original_id in right
        candidates += bool(right & set(matcher.candidate_ids(segments)))
    out["translations_zh_top1"] = top1 / len(files)
    out["translations_zh_in_candidates"] = candidates / len(files)


def originals(corpus: Corpus) -> dict[int, OriginalText]:
    found = {i: OriginalText(t) for i, t in enumerate(corpus.texts)}
    found[SEED_ID] = OriginalText(SEED_PAGE[SEED_START:SEED_END], "en", SEED_DAY)
    return found


def held_out(corpus: Corpus, work: Path, sample: set[int], versions: bool) -> dict:
    """Index all but ``sample`` (with its copies, and its versions if asked); query those."""
    held = set()
    for i in sample:
        held |= corpus.group(i) if versions else corpus.identical(i)
    kept = {i: o for i, o in originals(corpus).items() if i not in held}
    index = Index(Path(tempfile.mkdtemp(dir=work)))
    index.add_many(kept.items())
    matcher = Matcher(index, kept.get)
    indexed = set(kept) - {SEED_ID}
    reported, sharing, sharing_reported, legit = [], 0, 0, 0
    for i in sorted(held):
        matches = matcher.match([("en", wrap(corpus.texts[i])[0])])
        shares = corpus.shares_runs(i, indexed)
        sharing += shares
        if matches:
            reported.append(i)
            sharing_reported += shares
            # A version of the article was indexed: reporting it is right, not a false match.
            legit += bool(corpus.group(i) & indexed)
    clean = len(held) - sharing
    return {"held_out": len(held), "reported": len(reported) / len(held),
            "sharing": sharing, "sharing_reported": sharing_reported / max(sharing, 1),
            "clean": clean, "clean_reported": (len(reported) - sharing_reported) / max(clean, 1),
            "reported_with_version_indexed": legit, "reported_ids": reported}


def accuracy(corpus_folder: Path, work: Path, out: dict, held_share: float,
             folds: int = 0) -> None:
    corpus = Corpus(corpus_folder)
    found = originals(corpus)
    index = Index(work / "bbc")
    t0 = time.perf_counter()
    index.add_many(found.items())
    index.compact()
    out["bbc_build_s"] = round(time.perf_counter() - t0, 2)
    matcher = Matcher(index, found.get)
    summaries(corpus, matcher, out)
    pages(corpus, matcher, out)
    seed(matcher, out)
    chinese_parts(matcher, out)
    chinese_translations(corpus, matcher, out)

    sample = set(random.Random(11).sample(range(corpus.n), int(held_share * corpus.n)))
    result = held_out(corpus, work, sample, versions=True)
    out.update({"held_out" if k == "held_out" else f"held_out_{k}": v
                for k, v in result.items()})
    # As measured before versions were held out too: a reported version is no mistake.
    result = held_out(corpus, work, sample, versions=False)
    out.update({f"held_identical_only_{k}": v for k, v in result.items() if k != "reported_ids"})
    if folds:
        order = list(range(corpus.n))
        random.Random(3).shuffle(order)
        reported, total = [], 0
        for k in range(folds):
            result = held_out(corpus, work, set(order[k::folds]), versions=True)
            reported += result["reported_ids"]
            total += result["held_out"]
        # An article in the group of several folds' articles is held out (and counted) in each.
        out.update(folds_held_out=total, folds_held_out_reported=len(reported) / total,
                   folds_reported_ids=reported)


def show(out: dict) -> None:
    for key, value in out.items():
        if key == "speed" or key.endswith("_ids"):
            continue
        shown = percent(value) if isinstance(value, float) and value <= 1 else value
        print(f"  {key:38} {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--held-out", type=float, default=0.1)
    parser.add_argument("--folds", type=int, default=0,
                        help="also hold out every article once, in this many folds")
    args = parser.parse_args()
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="matching-accuracy-") as tmp:
        accuracy(args.corpus, Path(tmp), out, args.held_out, args.folds)
    print("accuracy on the BBC corpus (2,225 originals + the seed's original)")
    show(out)
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
