"""The side-by-side evidence: both texts cut into plain and aligned pieces (no Flask)."""

from dataclasses import dataclass

from ..matching import Match, compare
from ..models import Article, Original
from . import article_segments, original_text


@dataclass
class Piece:
    text: str
    mark: int | None = None  # the number of the aligned passage, or None for plain text
    kind: str = ""


@dataclass
class Evidence:
    match: Match
    article_sides: list[tuple[str, list[Piece]]]  # (language, pieces) per article segment
    original_side: list[Piece]
    pairs: list[tuple[int, str, str, float, str]]  # (passage, article text, original text, similarity, kind)


def _cut(text: str, marks: list[tuple[int, int, int, str]]) -> list[Piece]:
    """Split ``text`` at the (start, end, number, kind) ranges, which may not overlap."""
    pieces, position = [], 0
    for start, end, number, kind in sorted(marks):
        start, end = max(start, position), min(end, len(text))
        if end <= start:
            continue
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[start:end], number, kind))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def build(article: Article, original: Original) -> Evidence:
    """Align the article with the original now, and lay out both texts for reading."""
    segments = article_segments(article)
    match = compare(segments, original_text(original))
    by_segment: dict[int, list] = {}
    original_marks, pairs = [], []
    for number, span in enumerate(match.spans, start=1):
        by_segment.setdefault(span.segment, []).append(
            (span.article_start, span.article_end, number, span.kind))
        original_marks.append((span.original_start, span.original_end, number, span.kind))
        segment_text = segments[span.segment][1] if span.segment < len(segments) else ""
        pairs.append((number, segment_text[span.article_start:span.article_end],
                      original.text[span.original_start:span.original_end],
                      span.similarity, span.kind))
    sides = [(language, _cut(text, by_segment.get(i, [])))
             for i, (language, text) in enumerate(segments)]
    return Evidence(match, sides, _cut(original.text or "", original_marks), pairs)
