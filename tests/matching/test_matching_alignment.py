"""Aligned spans point at the right passages of both texts."""

from pathlib import Path

from moderation.matching import EDITED, EXCERPT, NONE, VERBATIM, OriginalText, compare
from moderation.matching.text import normalize

BBC = Path(__file__).parents[1] / "fixtures" / "matching" / "bbc"


def _pair(name: str) -> tuple[str, str]:
    return ((BBC / "articles" / name).read_text(encoding="utf-8"),
            (BBC / "summaries" / name).read_text(encoding="utf-8"))


def test_verbatim_spans_cover_equal_text_on_both_sides():
    original, _ = _pair("business-014.txt")
    article = "Read this first.\n\n" + original + "\n\nShare this story."
    match = compare([("en", article)], OriginalText(original))
    assert match.kind == VERBATIM
    for span in match.spans:
        a = article[span.article_start:span.article_end]
        o = original[span.original_start:span.original_end]
        assert normalize(a) == normalize(o) and span.similarity == 1.0
    assert "Share this story" not in "".join(
        article[s.article_start:s.article_end] for s in match.spans)


def test_summary_sentences_point_at_their_sentences_in_the_article():
    original, summary = _pair("politics-099.txt")
    match = compare(summary, original)
    assert match.kind == EXCERPT
    assert match.article_coverage > 0.95
    assert 0.2 < match.original_coverage < 0.8
    for span in match.spans:
        assert normalize(summary[span.article_start:span.article_end]) in normalize(original)
        assert normalize(original[span.original_start:span.original_end]) == normalize(
            summary[span.article_start:span.article_end])


def test_edited_sentences_align_with_lower_similarity():
    original = ("The minister announced a new plan for schools on Monday. "
                "Teachers' unions said the plan did not go far enough. "
                "The opposition called for an urgent debate in parliament. "
                "Parents will be consulted over the coming months.")
    edited = ("The minister unveiled a new plan for schools on Monday. "
              "Teachers' unions said the plan did not go far enough. "
              "Opposition parties demanded an urgent debate in parliament. "
              "Parents will be consulted over the coming months.")
    match = compare(edited, original)
    assert match.kind == EDITED
    sims = {edited[s.article_start:s.article_end].split()[0]: s.similarity for s in match.spans}
    assert sims["Teachers'"] == 1.0 and sims["Parents"] == 1.0
    assert 0.6 < sims["The"] < 0.97
    assert all(s.kind in (VERBATIM, EDITED) for s in match.spans)
    # Offsets of an edited pair still frame the same sentence on both sides.
    third = next(s for s in match.spans if edited[s.article_start:].startswith("Opposition"))
    assert original[third.original_start:third.original_end].startswith("The opposition")


def test_unrelated_texts_do_not_match():
    a, _ = _pair("sport-109.txt")
    b, _ = _pair("tech-070.txt")
    match = compare(a, b)
    assert match.kind == NONE and match.score == 0.0 and match.spans == ()


def test_spans_of_several_segments_name_their_segment():
    original, summary = _pair("tech-256.txt")
    first, second = summary[: len(summary) // 2], summary[len(summary) // 2:]
    match = compare([("en", "Intro line of our own."), ("en", first), ("other", second)],
                    original)
    assert {s.segment for s in match.spans} == {1, 2}
    for s in match.spans:
        text = [None, first, second][s.segment]
        assert normalize(text[s.article_start:s.article_end]) in normalize(original)
