"""Short answers cut or rewritten from a few passages of a long original, mixed with
sentences of their own (real P4P rewrites and BBC text), traced with the right kind; short
independent texts on a known topic stay clean."""

import re
from pathlib import Path

import pytest

from moderation.matching import (
    EDITED,
    EXCERPT,
    REWRITTEN,
    Index,
    Matcher,
    OriginalText,
    compare,
)
from moderation.matching.comparison import prepare
from moderation.matching.quotes import quoted
from moderation.matching.text import analyse

FIXTURES = Path(__file__).parents[1] / "fixtures" / "matching"
REWRITES = FIXTURES / "rewrites"
BBC = FIXTURES / "bbc"
LONG_ID = 950


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


ARTICLES = {p.name: _read(p) for p in sorted((BBC / "articles").glob("*.txt"))}
LONG = _read(REWRITES / "long_original.txt")
ORIGINALS = {i: OriginalText(t) for i, t in enumerate(ARTICLES.values())}
ORIGINALS[LONG_ID] = OriginalText(LONG)


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    index = Index(tmp_path_factory.mktemp("index"))
    index.add_many(ORIGINALS.items())
    return Matcher(index, ORIGINALS.get)


def _words(text: str) -> int:
    return len(text.split())


def test_the_answers_are_short_and_cover_little_of_their_original():
    for name in ("short_heavy", "short_light", "short_cut"):
        answer = _read(REWRITES / f"{name}.txt")
        assert 50 <= _words(answer) <= 300 and _words(answer) * 3 < _words(LONG)


def test_a_short_heavy_rewrite_mixed_with_own_sentences_is_traced_as_rewritten(matcher):
    answer = _read(REWRITES / "short_heavy.txt")
    matches = matcher.match([("en", answer)])
    assert matches and matches[0].original_id == LONG_ID
    top = matches[0]
    assert top.kind == REWRITTEN and not top.possible
    # The reworded passages are shown; the sentence of the answer's own is not.
    own = answer.split("\n\n")[0]
    assert all(s.article_start >= len(own) for s in top.spans)
    assert any(s.kind == REWRITTEN for s in top.spans)
    assert top.original_coverage < 0.5


def test_a_short_light_revision_is_traced_as_edited(matcher):
    matches = matcher.match([("en", _read(REWRITES / "short_light.txt"))])
    assert matches and matches[0].original_id == LONG_ID
    assert matches[0].kind in (EDITED, REWRITTEN) and not matches[0].possible


def test_pieces_cut_from_a_long_original_and_joined_with_own_text_are_an_excerpt(matcher):
    answer = _read(REWRITES / "short_cut.txt")
    matches = matcher.match([("en", answer)])
    assert matches and matches[0].original_id == LONG_ID
    top = matches[0]
    assert top.kind == EXCERPT
    assert {s.kind for s in top.spans} <= {EXCERPT, "verbatim"}
    # Less than half of the answer is cut from the original, and a sliver of the original.
    assert top.article_coverage < 0.8 and top.original_coverage < 0.2


def test_the_same_pieces_inside_a_quotation_are_not_reuse():
    answer = _read(REWRITES / "short_cut.txt")
    pieces = answer.split("\n\n")
    quoted_answer = f'As the book puts it, "{pieces[0]}"\n\n{pieces[1]}\n\n"{pieces[2]}"'
    assert compare(answer, LONG).kind == EXCERPT
    assert compare(quoted_answer, LONG).kind == "none"


def test_short_openings_of_independent_reports_stay_clean(matcher):
    for path in sorted((BBC / "held_out").glob("*.txt")):
        body = " ".join(_read(path).partition("\n")[2].split())
        opening = " ".join(re.split(r"(?<=[.!?])\s+", body)[:6])
        assert matcher.match([("en", opening)]) == [], path.name


def test_quotation_marks_mark_the_words_inside():
    text = analyse('He said: "we will build it here" and left. Then “another one” came.')
    inside = [t for t, q in zip(text.tokens, quoted(text), strict=True) if q]
    assert inside == ["we", "will", "build", "it", "here", "another", "one"]


INSIDE_ID = 951


def test_a_light_revision_keeping_a_single_indexed_run_reaches_its_original(tmp_path):
    # A sentence of the author's own, then one P4P passage lightly revised, from a BBC
    # article that holds the original passage among its paragraphs: the revision keeps a
    # few 5-word runs of it, and only one of them is among the original's winnowed
    # fingerprints. No other original shares a run with the answer, so that one is enough
    # for an alignment, which then shows the revision.
    original = _read(REWRITES / "inside_original.txt")
    answer = _read(REWRITES / "inside_light.txt")
    originals = dict(ORIGINALS)
    originals[INSIDE_ID] = OriginalText(original)
    index = Index(tmp_path / "index")
    index.add_many(originals.items())
    matcher = Matcher(index, originals.get)
    # Every 5-word run of the answer looked up: the original is offered on its one run.
    assert matcher.candidates.by_runs(prepare([("en", answer)])) == [INSIDE_ID]
    matches = matcher.match([("en", answer)])
    assert matches and matches[0].original_id == INSIDE_ID
    top = matches[0]
    assert top.kind in (EDITED, REWRITTEN)
    # The answer's own sentences are not shown as taken from the original.
    own = answer.split("\n\n")[0]
    assert all(s.article_start >= len(own) for s in top.spans)
    assert top.original_coverage < 0.2


def test_one_long_sentence_lightly_revised_among_own_paragraphs_is_found():
    # Two paragraphs of the author's own, then one P4P passage revised lightly (one long
    # sentence, a few words changed): its character similarity counts it for half, which
    # alone would be too weak a score, but lightly edited pieces making a quarter of the
    # answer are reuse of the long original, as cut pieces are.
    answer = _read(REWRITES / "short_light_2.txt")
    found = compare(answer, _read(REWRITES / "long_original_2.txt"))
    assert found.kind in (EDITED, REWRITTEN) and found.score >= 0.25
    own = "\n\n".join(answer.split("\n\n")[:2])
    assert found.spans and all(s.article_start >= len(own) for s in found.spans)
    assert found.original_coverage < 0.15
