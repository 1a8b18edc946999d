"""Development benchmark: are texts that people rewrote traced to their originals?

    python tests/benchmarks/rewrites.py                 # engine and a naive 5-gram index
    python tests/benchmarks/rewrites.py --seed 3        # another draw of documents

Built from real data (../shared/corpus): P4P's human rewrites and the BBC News corpus.

Originals: the 2,225 BBC articles (less a held-out tenth, see below), the seed page's
original, and documents made of 4 to 7 P4P *original* passages (``p4p_reference.txt``),
joined as paragraphs. Queries:

- ``light`` / ``heavy``: the *rewritten* versions (``p4p_source.txt``) of half to all of a
  document's passages, in order. Graded by how much wording changed, per passage: the share
  of the rewrite's word trigrams found in its original (``kept``). Light: kept >= 0.25;
  heavy: kept < 0.25 (the median P4P passage keeps 0.14); passages keeping 0.9 or more are
  copies, not rewrites, and are left out. A document is made of passages of one grade.
- ``cut``: pieces cut from the original passages (a run of 60-100% of each passage's
  sentences) and joined: kind ``excerpt`` expected (``verbatim`` when they hold 80% of it).
- ``summary``: BBC extractive summaries (a sample) of indexed articles: ``excerpt``.
- ``rewrite_not_indexed``: rewrites of documents whose originals are not indexed: must stay
  clean (nothing reported), since no original of them is known.
- ``same_topic``: BBC articles held out of the index with their versions (articles sharing
  half their text in runs of ten words, as in matching_accuracy.py), wrapped in the site's
  chrome, that share no run of ten words with any indexed article. Each has same-topic
  articles in the index (other reports of the same story, telling the same facts, names,
  numbers): independent texts that must stay clean.
- ``same_topic_sharing``: the other held-out articles: follow-ups that keep some of an
  indexed article's text (quotes, background paragraphs, edited or not). Reported for
  information: reporting them as possible rewrites is not plainly wrong.
- ``msrp_0``: documents of five MSRP sentences against documents of the five sentences they
  were paired with and judged *not* paraphrases of (same news, other facts). Reported for
  information: many of these pairs are partial copies of each other (one sentence adds a
  clause to the other), so a document of them is not an independent text.

- ``short_light``, ``short_heavy``, ``short_cut``, ``short_same_topic``: the short-answer
  shape (short_answers.py): one to three passages of a long original, rewritten or cut,
  sometimes mixed with sentences of the author's own, against an index of their own; and
  short openings of the independent held-out articles, which must stay clean.

"Traced" is top-1: the first match reported is the right original (any kind; the kinds
found are counted too). "Reported" is any match at all, possible rewrites included. A naive
baseline runs on the same queries and originals: the original sharing the most distinct word
5-grams with the query, if it shares at least 5.

Prints a table, then one JSON line with every figure.
"""

import argparse
import collections
import json
import math
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # not this folder: queue.py here would hide the standard queue

from moderation.matching import Index, Matcher, OriginalText  # noqa: E402
from moderation.matching.text import normalize, tokenize  # noqa: E402
from tests.benchmarks import short_answers  # noqa: E402
from tests.benchmarks.matching_accuracy import Corpus, originals, wrap  # noqa: E402

LIGHT_KEPT = 0.25
COPY_KEPT = 0.9
P4P_BASE = 20_000_000
MSRP_BASE = 30_000_000
BASELINE_GRAMS = 5
BASELINE_MIN = 5
# A cut-and-join holding 80% of its original or more is a verbatim copy of it.
# Light revisions may read as edited copies or as rewrites; heavy ones are rewrites.
KINDS_RIGHT = {"rewritten": ("rewritten",), "revised": ("edited", "rewritten"),
               "excerpt": ("excerpt", "verbatim"), "none": ()}


def detokenize(text: str) -> str:
    """P4P/MSRP text is tokenised ("do n't", "word ,"): put it back as people write it."""
    text = text.replace("``", '"').replace("''", '"')
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def kept_trigrams(rewrite: str, original: str) -> float:
    """Share of the rewrite's word trigrams found in the original."""
    def grams(tokens):
        return {tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)}
    r, o = grams(tokenize(rewrite)), grams(tokenize(original))
    return len(r & o) / max(len(r), 1)


_SENTENCE = re.compile(r"(?<=[.!?\"])\s+(?=[A-Z\"])")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


class P4P:
    """Documents of P4P passages, graded, with their queries."""

    def __init__(self, folder: Path, rng: random.Random, held_share: float = 0.2):
        reference = [detokenize(t) for t in lines(folder / "p4p_reference.txt")]
        rewrite = [detokenize(t) for t in lines(folder / "p4p_source.txt")]
        pools: dict[str, list[int]] = {"light": [], "heavy": []}
        self.kept = []
        for i, (o, r) in enumerate(zip(reference, rewrite, strict=True)):
            k = kept_trigrams(r, o)
            self.kept.append(k)
            if k < COPY_KEPT:
                pools["light" if k >= LIGHT_KEPT else "heavy"].append(i)
        self.originals: dict[int, str] = {}
        self.docs: list[tuple[str, int, list[int], bool]] = []  # grade, id, passages, indexed
        next_id = P4P_BASE
        for grade, pool in pools.items():
            rng.shuffle(pool)
            start = 0
            while start + 4 <= len(pool):
                size = rng.randint(4, 7)
                passages = pool[start:start + size]
                start += size
                indexed = rng.random() >= held_share
                self.docs.append((grade, next_id, passages, indexed))
                self.originals[next_id] = "\n\n".join(reference[p] for p in passages)
                next_id += 1
        self.reference, self.rewrite = reference, rewrite

    def grade(self, passage: int) -> str | None:
        """"light", "heavy", or None for a passage copied nearly whole."""
        k = self.kept[passage]
        return None if k >= COPY_KEPT else ("light" if k >= LIGHT_KEPT else "heavy")

    def queries(self, rng: random.Random) -> list[tuple[str, str, int | None, str]]:
        """(class, text, right original id or None, expected kind)."""
        out = []
        for grade, doc_id, passages, indexed in self.docs:
            m = rng.randint(math.ceil(len(passages) / 2), len(passages))
            chosen = sorted(rng.sample(range(len(passages)), m))
            text = "\n\n".join(self.rewrite[passages[c]] for c in chosen)
            if indexed:
                out.append((grade, text, doc_id, "revised" if grade == "light" else "rewritten"))
                pieces = []
                for c in chosen:
                    sents = sentences(self.reference[passages[c]])
                    n = max(1, round(len(sents) * rng.uniform(0.6, 1.0)))
                    first = rng.randint(0, len(sents) - n)
                    pieces.append(" ".join(sents[first:first + n]))
                out.append(("cut", "\n\n".join(pieces), doc_id, "excerpt"))
            else:
                out.append(("rewrite_not_indexed", text, None, "none"))
        return out


def msrp_docs(folder: Path, rng: random.Random, size: int = 5):
    """(original id, original text, query text) of documents of MSRP `_0` pairs."""
    first = [detokenize(t) for t in lines(folder / "msr_source_0.txt")]
    second = [detokenize(t) for t in lines(folder / "msr_reference_0.txt")]
    order = list(range(len(first)))
    rng.shuffle(order)
    out = []
    for k in range(0, len(order) - size + 1, size):
        chunk = order[k:k + size]
        out.append((MSRP_BASE + k // size, " ".join(second[i] for i in chunk),
                    " ".join(first[i] for i in chunk)))
    return out


class Baseline:
    """A naive 5-gram index: the original sharing the most distinct 5-grams (at least 5)."""

    def __init__(self, texts: dict[int, str]):
        self.owners: dict[int, list[int]] = collections.defaultdict(list)
        for oid, text in texts.items():
            for g in self._grams(text):
                self.owners[g].append(oid)

    @staticmethod
    def _grams(text: str) -> set[int]:
        t = tokenize(text)
        return {hash(tuple(t[i:i + BASELINE_GRAMS])) for i in range(len(t) - BASELINE_GRAMS + 1)}

    def match(self, text: str) -> int | None:
        counts = collections.Counter()
        for g in self._grams(text):
            counts.update(self.owners.get(g, ()))
        if not counts:
            return None
        best, n = counts.most_common(1)[0]
        return best if n >= BASELINE_MIN else None


def measure(matcher: Matcher, baseline: "Baseline", queries, right, rows: dict,
            times: list[float]) -> None:
    """Run the queries through the engine and the baseline, counting into ``rows``."""
    for cls, text, expected, want in queries:
        row = rows.setdefault(cls, {"queries": 0, "traced": 0, "traced_strong": 0,
                                    "reported": 0, "reported_strong": 0, "kind_right": 0,
                                    "kinds": collections.Counter(), "baseline_traced": 0,
                                    "baseline_reported": 0, "ms": []})
        t0 = time.perf_counter()
        matches = matcher.match([("en", text)])
        ms = 1000 * (time.perf_counter() - t0)
        times.append(ms)
        row["ms"].append(ms)
        top = matches[0] if matches else None
        strong = [m for m in matches if not getattr(m, "possible", False)]
        row["queries"] += 1
        row["reported"] += bool(matches)
        row["reported_strong"] += bool(strong)
        row["traced"] += right(expected, top.original_id if top else None)
        row["traced_strong"] += right(expected, strong[0].original_id if strong else None)
        kind = (top.kind + ("?" if getattr(top, "possible", False) else "")) if top else "none"
        row["kinds"][kind] += 1
        row["kind_right"] += bool(top) and top.kind in KINDS_RIGHT[want] and right(
            expected, top.original_id)
        got = baseline.match(text)
        row["baseline_reported"] += got is not None
        row["baseline_traced"] += right(expected, got)


def run(corpus_folder: Path, work: Path, seed: int, held_share: float,
        summaries_sample: int, out: dict) -> dict:
    rng = random.Random(seed)
    paraphrase = corpus_folder / "paraphrase"
    corpus = Corpus(corpus_folder)
    # BBC articles held out of the index with their versions: same-topic negatives.
    sample = set(random.Random(11).sample(range(corpus.n), int(held_share * corpus.n)))
    held = set().union(*(corpus.group(i) for i in sample))
    texts: dict[int, OriginalText] = {i: o for i, o in originals(corpus).items() if i not in held}
    p4p = P4P(paraphrase, rng)
    for _, doc_id, _, indexed in p4p.docs:
        if indexed:
            texts[doc_id] = OriginalText(p4p.originals[doc_id])
    msrp = msrp_docs(paraphrase, rng)
    for doc_id, original, _ in msrp:
        texts[doc_id] = OriginalText(original)

    queries = p4p.queries(rng)
    indexed_bbc = [i for i in range(corpus.n) if i not in held]
    for i in random.Random(seed).sample(indexed_bbc, min(summaries_sample, len(indexed_bbc))):
        queries.append(("summary", corpus.summaries[i], i, "excerpt"))
    indexed = set(indexed_bbc)
    independent = []
    for i in sorted(held):
        # Independent: shares no run of ten words with an indexed article. The others reuse
        # some of another article's text (a follow-up keeping background paragraphs).
        cls = "same_topic_sharing" if corpus.shares_runs(i, indexed) else "same_topic"
        if cls == "same_topic":
            independent.append(corpus.texts[i])
        queries.append((cls, wrap(corpus.texts[i])[0], None, "none"))
    for _, _, query in msrp:
        queries.append(("msrp_0", query, None, "none"))

    # The short-answer shape (short_answers.py), against an index of its own.
    bbc_paragraphs = {i: [p for p in corpus.texts[i].partition("\n")[2].split("\n\n")
                          if p.strip()] for i in indexed_bbc}
    own = [sentences(" ".join(corpus.texts[i].partition("\n")[2].split())) for i in sorted(held)]
    short_rng = random.Random(seed + 1)
    short_texts, short_queries = short_answers.build(
        p4p, p4p.grade, bbc_paragraphs, own, sentences, short_rng)
    for text in short_answers.same_topic(independent, short_rng, sentences):
        short_queries.append(("short_same_topic", text, None, "none"))
    short_index_texts = {i: o for i, o in texts.items() if i < P4P_BASE}
    short_index_texts.update((i, OriginalText(t)) for i, t in short_texts.items())

    def right(expected: int | None, got: int | None) -> bool:
        if expected is None or got is None:
            return False
        if expected < P4P_BASE:  # a BBC article: identical copies are as right
            return got in corpus.same[normalize(corpus.texts[expected])]
        return got == expected

    rows: dict[str, dict] = {}
    times: list[float] = []
    for name, index_texts, batch in (("rewrites", texts, queries),
                                     ("short", short_index_texts, short_queries)):
        index = Index(work / name)
        t0 = time.perf_counter()
        index.add_many(index_texts.items())
        index.compact()
        out[f"build_s_{name}"] = round(time.perf_counter() - t0, 2)
        out[f"originals_{name}"] = len(index_texts)
        measure(Matcher(index, index_texts.get),
                Baseline({i: o.text for i, o in index_texts.items()}), batch, right, rows, times)
    out["query_p50_ms"] = round(statistics.median(times), 2)
    out["query_p95_ms"] = round(sorted(times)[int(0.95 * len(times))], 2)
    out["query_max_ms"] = round(max(times), 1)
    for cls, row in rows.items():
        n = row["queries"]
        out[cls] = {
            "queries": n,
            "traced": round(row["traced"] / n, 4), "traced_strong": round(row["traced_strong"] / n, 4),
            "reported": round(row["reported"] / n, 4),
            "reported_strong": round(row["reported_strong"] / n, 4),
            "kind_right": round(row["kind_right"] / n, 4),
            "kinds": dict(row["kinds"].most_common()),
            "baseline_traced": round(row["baseline_traced"] / n, 4),
            "baseline_reported": round(row["baseline_reported"] / n, 4),
            "p50_ms": round(statistics.median(row["ms"]), 2),
        }
    grades = collections.Counter(("light" if k >= LIGHT_KEPT else "heavy") if k < COPY_KEPT
                                 else "copy" for k in p4p.kept)
    out["p4p_passages"] = dict(grades)
    return out


POSITIVE = ("light", "heavy", "cut", "summary", "short_light", "short_heavy", "short_cut")
NEGATIVE = ("rewrite_not_indexed", "same_topic", "same_topic_sharing", "msrp_0",
            "short_same_topic")


def show(out: dict) -> None:
    print(f"originals indexed: {out['originals_rewrites']:,} (built in {out['build_s_rewrites']} s), "
          f"short-answer index {out['originals_short']:,}; "
          f"P4P passages by grade: {out['p4p_passages']}")
    print(f"query time: p50 {out['query_p50_ms']} ms, p95 {out['query_p95_ms']} ms, "
          f"max {out['query_max_ms']} ms")
    print()
    print(f"| {'queries':20} | {'n':>4} | {'traced top-1':>12} | {'strong':>7} | "
          f"{'reported':>8} | {'kind right':>10} | {'5-gram traced':>13} | "
          f"{'5-gram reported':>15} | kinds of the top match")
    print("|" + "|".join("-" * w for w in (22, 6, 14, 9, 10, 12, 15, 17, 24)) + "|")
    for cls in POSITIVE + NEGATIVE:
        row = out.get(cls)
        if not row:
            continue
        print(f"| {cls:20} | {row['queries']:4} | {100 * row['traced']:11.1f}% | "
              f"{100 * row['traced_strong']:6.1f}% | {100 * row['reported']:7.1f}% | "
              f"{100 * row['kind_right']:9.1f}% | {100 * row['baseline_traced']:12.1f}% | "
              f"{100 * row['baseline_reported']:14.1f}% | "
              + ", ".join(f"{k} {v}" for k, v in row["kinds"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--held-out", type=float, default=0.1,
                        help="share of BBC articles held out as same-topic negatives")
    parser.add_argument("--summaries", type=int, default=300)
    args = parser.parse_args()
    out: dict = {"seed": args.seed}
    with tempfile.TemporaryDirectory(prefix="rewrites-bench-") as tmp:
        run(args.corpus, Path(tmp), args.seed, args.held_out, args.summaries, out)
    show(out)
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
