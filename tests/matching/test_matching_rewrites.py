"""Rewritten text on real data: human rewrites (P4P) traced, independent reports left clean."""

import time
from pathlib import Path

import pytest

from moderation.matching import (
    EDITED,
    ENGINE_VERSION,
    REWRITE_STRONG,
    REWRITTEN,
    Index,
    Matcher,
    OriginalText,
    compare,
)
from moderation.matching.paraphrase import align_rewrites, similarity
from moderation.matching.text import analyse
from moderation.models import REWRITE_STRONG as STORED_REWRITE_STRONG

FIXTURES = Path(__file__).parents[1] / "fixtures" / "matching"
REWRITES = FIXTURES / "rewrites"
BBC = FIXTURES / "bbc"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


ARTICLES = {p.name: _read(p) for p in sorted((BBC / "articles").glob("*.txt"))}
HEAVY, HEAVY_ID = _read(REWRITES / "heavy_original.txt"), 900
LIGHT, LIGHT_ID = _read(REWRITES / "light_original.txt"), 901
ORIGINALS = {i: OriginalText(t) for i, t in enumerate(ARTICLES.values())}
ORIGINALS[HEAVY_ID] = OriginalText(HEAVY)
ORIGINALS[LIGHT_ID] = OriginalText(LIGHT)


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    index = Index(tmp_path_factory.mktemp("index"))
    index.add_many(ORIGINALS.items())
    return Matcher(index, ORIGINALS.get)


def test_a_heavy_rewrite_is_traced_to_its_original_as_rewritten(matcher):
    rewrite = _read(REWRITES / "heavy_rewrite.txt")
    matches = matcher.match([("en", rewrite)])
    assert matches and matches[0].original_id == HEAVY_ID
    top = matches[0]
    assert top.kind == REWRITTEN and not top.possible and top.score >= REWRITE_STRONG
    # Passages say what happened: reworded ones are "rewritten", with their similarity.
    reworded = [s for s in top.spans if s.kind == REWRITTEN]
    assert reworded and all(0.3 <= s.similarity <= 1 for s in reworded)
    for span in reworded:
        assert rewrite[span.article_start:span.article_end].strip()
        assert HEAVY[span.original_start:span.original_end].strip()
    # Few 5-word runs survive a heavy rewrite: a naive shingle index misses it.
    assert top.article_coverage > 0.4


def test_a_light_rewrite_is_traced_as_an_edited_copy(matcher):
    rewrite = _read(REWRITES / "light_rewrite.txt")
    matches = matcher.match([("en", rewrite)])
    assert matches and matches[0].original_id == LIGHT_ID
    assert matches[0].kind in (EDITED, REWRITTEN) and matches[0].score >= 0.45


def test_rewrites_do_not_match_other_originals(matcher):
    for name, text in ARTICLES.items():
        found = [m.original_id for m in matcher.match([("en", text)])]
        assert HEAVY_ID not in found and LIGHT_ID not in found, name


def test_an_independent_report_of_the_same_story_stays_clean():
    # politics-262 retells facts of politics-099 (one shared quote, background in other
    # words): another report of the story, not a rewrite of it.
    article = _read(BBC / "shared" / "queries" / "politics-262.txt")
    match = compare(article, _read(BBC / "articles" / "politics-099.txt"))
    assert match.kind == "none"
    held_out = {p.name: _read(p) for p in sorted((BBC / "held_out").glob("*.txt"))}
    for name, text in held_out.items():
        for original in ARTICLES.values():
            assert compare(text, original).kind == "none", name


def test_a_credited_long_quotation_is_not_a_rewrite():
    original = ARTICLES["politics-099.txt"]
    paragraphs = [p for p in original.split("\n\n")[1:] if p.strip()]
    quoted = "\n\n".join(paragraphs[:3])
    article = ("Our correspondent looks at what the minister said this week, and what it may "
               "mean for voters in the spring.\n\n"
               f'As BBC News reported: "{quoted}"\n\n'
               "Opposition members say they will press the point when parliament returns, "
               "and several local groups have asked for a public meeting on the subject.\n\n"
               "Source: BBC News")
    match = compare(article, original)
    assert match.kind != REWRITTEN
    assert all(s.kind != REWRITTEN for s in match.spans)


def test_sentences_about_other_things_have_no_seed():
    a = analyse("The council approved the new budget for schools. Parents welcomed it.")
    o = analyse("A storm hit the coast overnight. Thousands of homes lost power.")
    sim, _ = similarity(_bags(a), _bags(o))
    assert not sim.any()
    assert align_rewrites(a, o) == []


def _bags(text):
    from moderation.matching.paraphrase import sentence_terms
    return sentence_terms(text)


def test_a_one_megabyte_article_stays_fast(matcher):
    rewrite = _read(REWRITES / "heavy_rewrite.txt")
    lines = "\n".join(f"Item {n}: a short line of a long list." for n in range(2000))
    page = rewrite + "\n\n" + lines + "\n\n"
    page += ("Filler paragraph about nothing in particular. " * 40 + "\n\n") * 600
    assert len(page) > 1_000_000
    start = time.process_time()
    matches = matcher.match([("en", page)])
    assert time.process_time() - start < 3.0
    # The rewrite is a sliver of this page: it may be listed, nothing else may.
    assert {m.original_id for m in matches} <= {HEAVY_ID}
    # On its own, the same rewrite is traced at once.
    start = time.process_time()
    assert matcher.match([("en", rewrite)])[0].original_id == HEAVY_ID
    assert time.process_time() - start < 0.5


def test_the_engine_version_names_the_rewrite_engine_and_the_thresholds_agree():
    assert ENGINE_VERSION.startswith("matching-1.4/")
    assert STORED_REWRITE_STRONG == REWRITE_STRONG
