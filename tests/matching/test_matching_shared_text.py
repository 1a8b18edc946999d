"""Articles sharing a quote or a background paragraph with an original are not its copies.

BBC stories on the same news reuse quotes and background sentences. Such an article shares
aligned passages with an indexed original but explains a small share of it and of itself;
a summary of the original, made of its sentences, is nearly all explained by it.
"""

import json
from pathlib import Path

import pytest

from moderation.matching import EXCERPT, NONE, Index, Matcher, OriginalText, compare
from moderation.matching.scoring import MIN_COVERAGE

BBC = Path(__file__).parents[1] / "fixtures" / "matching" / "bbc"
SHARED = BBC / "shared"
CHROME = json.loads((BBC.parent / "site_chrome.json").read_text(encoding="utf-8"))
ORIGINAL_NAMES = ["politics-099.txt", "business-014.txt", "tech-070.txt", "sport-109.txt"]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _wrapped(text: str) -> str:
    """The article as our site shows it: chrome around title and body."""
    title, _, body = text.partition("\n")
    return f"{CHROME['header']}{title}\n\n{CHROME['dateline']}\n\n{body}\n\n{CHROME['footer']}"


# Query article -> (indexed original it shares passages with, summary of that original).
CASES = {
    # One quote from a book ("There is nothing you could ever say to me now...") and three
    # lightly reworded background sentences.
    "politics-262.txt": (BBC / "articles" / "politics-099.txt",
                         BBC / "summaries" / "politics-099.txt"),
    # One background paragraph (two sentences) about the Elvis reissues.
    "entertainment-234.txt": (SHARED / "originals" / "entertainment-233.txt",
                              SHARED / "summaries" / "entertainment-233.txt"),
}
PATHS = [BBC / "articles" / n for n in ORIGINAL_NAMES] + [SHARED / "originals" /
                                                         "entertainment-233.txt"]
ORIGINALS = {i: OriginalText(_text(p)) for i, p in enumerate(PATHS)}
IDS = {p: i for i, p in enumerate(PATHS)}


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    index = Index(tmp_path_factory.mktemp("shared-index"))
    index.add_many(ORIGINALS.items())
    return Matcher(index, ORIGINALS.get)


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_article_sharing_a_quote_with_an_original_matches_nothing(matcher, name):
    article = _text(SHARED / "queries" / name)
    assert matcher.match([("en", article)]) == []
    assert matcher.match([("en", _wrapped(article))]) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_shared_passages_are_found_but_too_small_a_share(name):
    article = _text(SHARED / "queries" / name)
    original, _ = CASES[name]
    match = compare([("en", article)], _text(original))
    assert match.kind == NONE
    # The overlap is there (aligned, word for word in part), only not a copy of the original.
    assert match.spans and any(s.kind == "verbatim" for s in match.spans)
    assert match.score >= 0.25
    assert match.article_coverage < MIN_COVERAGE and match.original_coverage < MIN_COVERAGE
    # Asked to, the engine still reports such overlap (a pre-publication check may want it).
    assert compare([("en", article)], _text(original), min_coverage=0).kind != NONE


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_original_s_own_summary_is_still_an_excerpt(matcher, name):
    original, summary = CASES[name]
    matches = matcher.match([("en", _text(summary))])
    assert matches and matches[0].original_id == IDS[original]
    assert matches[0].kind == EXCERPT and matches[0].article_coverage > 0.9


@pytest.mark.parametrize("ids", [(0, 1), (1, 0), (2, 3), (0, 2, 3), (3, 1, 4), (4, 2, 0)])
def test_an_article_made_of_several_originals_lists_them_all(matcher, ids):
    # Each source alone explains a third or half of the article (under the minimum coverage),
    # together all of it.
    texts = [_text(PATHS[i]) for i in ids]
    article = "\n\n".join(t[k * len(t) // len(ids):(k + 1) * len(t) // len(ids)]
                           for k, t in enumerate(texts))
    matches = matcher.match([("en", article)])
    assert sorted(m.original_id for m in matches) == sorted(ids)
    # (A cut in mid-sentence can make a short source's share "edited".)
    assert all(m.kind in (EXCERPT, "edited") for m in matches)
