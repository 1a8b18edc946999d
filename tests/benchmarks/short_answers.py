"""The short-answer shape for tests/benchmarks/rewrites.py: a short text that reuses one to
three passages of a much longer original, sometimes mixed with sentences of its own.

People answering a question from a source article cut a few pieces of it, or revise them
lightly or heavily, and often join them with sentences of their own; the source is long and
the answer explains a small part of it. Built from P4P and the BBC corpus:

- Originals (``long``): 8 to 14 P4P *original* passages joined as paragraphs (an
  encyclopedia-length text of 400-800 words), or an indexed BBC article with two or three P4P
  original passages inserted between its paragraphs (``inside``).
- Queries: one to three passages of such an original, of one grade (see rewrites.py), given
  as their rewritten versions (``short_light``, ``short_heavy``) or as pieces cut from the
  originals (``short_cut``); half of them get one to three sentences of a held-out BBC
  article (unrelated, own text) before, between or after the passages.
- ``short_same_topic``: the first 100-250 words of each held-out BBC article that shares no
  run of ten words with the index: a short independent text on a topic the index knows, which
  must stay clean.

The queries run against an index of their own (the BBC articles and these originals), since
every P4P passage is already used by the longer documents of rewrites.py.
"""

import random

SHORT_BASE = 40_000_000
LONG_PASSAGES = (8, 14)
INSIDE_PASSAGES = (2, 3)
MIXED_SHARE = 0.5
# What each class should be called (rewrites.KINDS_RIGHT): light revisions may read as
# edited copies or as rewrites.
_KINDS = {"short_light": "revised", "short_heavy": "rewritten", "short_cut": "excerpt"}


def _own_sentences(rng: random.Random, pool: list[list[str]], n: int) -> list[str]:
    sents = rng.choice(pool)
    if len(sents) <= n:
        return sents
    first = rng.randint(0, len(sents) - n)
    return sents[first:first + n]


def build(p4p, grade_of, bbc_paragraphs: dict[int, list[str]], own: list[list[str]],
          sentences, rng: random.Random):
    """(originals {id: text}, queries [(class, text, right id or None, expected kind)]).

    ``p4p``: the rewrites.P4P passages; ``grade_of(i)``: "light", "heavy" or None (a copy);
    ``bbc_paragraphs``: indexed BBC articles as paragraphs; ``own``: sentences of held-out
    BBC articles (texts of our own); ``sentences``: splits a passage into sentences.
    """
    passages = [i for i in range(len(p4p.reference)) if grade_of(i)]
    rng.shuffle(passages)
    bbc_ids = sorted(bbc_paragraphs)
    originals: dict[int, str] = {}
    queries = []
    next_id, start = SHORT_BASE, 0
    while True:
        inside = rng.random() < 0.5
        size = rng.randint(*(INSIDE_PASSAGES if inside else LONG_PASSAGES))
        chosen = passages[start:start + size]
        if len(chosen) < size:
            break
        start += size
        texts = [p4p.reference[p] for p in chosen]
        if inside:
            paragraphs = list(bbc_paragraphs[rng.choice(bbc_ids)])
            for t in texts:
                paragraphs.insert(rng.randint(1, len(paragraphs)), t)
            originals[next_id] = "\n\n".join(paragraphs)
        else:
            originals[next_id] = "\n\n".join(texts)
        by_grade: dict[str, list[int]] = {}
        for p in chosen:
            by_grade.setdefault(grade_of(p), []).append(p)
        grade = rng.choice(sorted(by_grade))
        picked = sorted(rng.sample(by_grade[grade], min(rng.randint(1, 3), len(by_grade[grade]))),
                        key=chosen.index)
        mixed = rng.random() < MIXED_SHARE
        for cls, pieces in ((f"short_{grade}", [p4p.rewrite[p] for p in picked]),
                            ("short_cut", [_cut(sentences(p4p.reference[p]), rng)
                                           for p in picked])):
            if mixed:
                pieces = list(pieces)
                for _ in range(rng.randint(1, 2)):
                    pieces.insert(rng.randint(0, len(pieces)),
                                  " ".join(_own_sentences(rng, own, rng.randint(1, 3))))
            queries.append((cls, "\n\n".join(pieces), next_id,
                            _KINDS[cls]))
        next_id += 1
    return originals, queries


def _cut(sents: list[str], rng: random.Random) -> str:
    n = max(1, round(len(sents) * rng.uniform(0.6, 1.0)))
    first = rng.randint(0, len(sents) - n)
    return " ".join(sents[first:first + n])


def same_topic(texts: list[str], rng: random.Random, sentences) -> list[str]:
    """The opening 100-250 words of each text, whole sentences."""
    out = []
    for text in texts:
        body = text.partition("\n")[2]
        want, words, kept = rng.randint(100, 250), 0, []
        for s in sentences(" ".join(body.split())):
            kept.append(s)
            words += len(s.split())
            if words >= want:
                break
        out.append(" ".join(kept))
    return out
