"""Aligned pairs shown as passages (spans), each with its own kind."""

from .alignment import Pair
from .evidence import EXACT, SegmentPairs
from .results import EDITED, EXCERPT, REWRITTEN, TRANSLATION, VERBATIM, Span
from .text import Analysed


def spans(part: SegmentPairs, original: Analysed) -> list[Span]:
    """The passages of one segment's pairs: exact pairs following each other on both sides
    merge into one; every other pair is a passage of its own."""
    out: list[Span] = []
    pairs = sorted(part.pairs, key=lambda p: (p.a_lo, p.o_lo))
    run: list[Pair] = []

    def flush() -> None:
        if not run:
            return
        a_start, _ = part.text.char_span(run[0].a_lo, run[0].a_hi)
        _, a_end = part.text.char_span(run[-1].a_lo, run[-1].a_hi)
        o_start, _ = original.char_span(run[0].o_lo, run[0].o_hi)
        _, o_end = original.char_span(run[-1].o_lo, run[-1].o_hi)
        weights = [part.text.token_weight(p.a_lo, p.a_hi) for p in run]
        sim = sum(w * p.similarity for w, p in zip(weights, run, strict=True)) / max(
            sum(weights), 1e-9)
        if part.translation or part.rewrite:
            kind = TRANSLATION if part.translation else REWRITTEN
        elif sim >= EXACT:
            kind = VERBATIM
        else:
            kind = EXCERPT if all(p.cut or p.similarity >= EXACT for p in run) else EDITED
        out.append(Span(part.segment, a_start, a_end, o_start, o_end, round(sim, 4), kind))
        run.clear()

    for p in pairs:
        # Exact pairs that follow each other on both sides merge into one passage.
        if run and not part.translation and not part.rewrite and p.similarity >= EXACT \
                and run[-1].similarity >= EXACT \
                and p.o_lo >= run[-1].o_hi and p.o_lo - run[-1].o_hi <= 1 \
                and p.a_lo - run[-1].a_hi <= 1:
            run.append(p)
            continue
        flush()
        run.append(p)
    flush()
    return out
