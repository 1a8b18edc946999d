"""The matching engine on a small sample: BBC articles, summaries, the seed page, bad input."""

import json
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from moderation.matching import (
    ENGINE_VERSION,
    EXCERPT,
    TRANSLATION,
    VERBATIM,
    Index,
    Matcher,
    OriginalText,
    compare,
    comparison,
)
from moderation.matching.candidates import date_prior
from moderation.matching.storage import NO_DAY
from moderation.matching.text import TOKEN_RE

FIXTURES = Path(__file__).parents[1] / "fixtures" / "matching"
SEED_ID = 1000
SEED_DAY = date(2021, 12, 31)


def _read(folder: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8")
            for p in sorted((FIXTURES / "bbc" / folder).glob("*.txt"))}


ARTICLES = _read("articles")
NAMES = list(ARTICLES)
SUMMARIES = _read("summaries")
HELD_OUT = _read("held_out")
SEED_PAGE = (FIXTURES / "seed_page.txt").read_text(encoding="utf-8")
SEED_ORIGINAL = (FIXTURES / "abc_biden_putin_call.txt").read_text(encoding="utf-8")
CHROME = json.loads((FIXTURES / "site_chrome.json").read_text(encoding="utf-8"))
ORIGINALS = {i: OriginalText(t) for i, t in enumerate(ARTICLES.values())}
ORIGINALS[SEED_ID] = OriginalText(SEED_ORIGINAL, "en", SEED_DAY)


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    index = Index(tmp_path_factory.mktemp("index"))
    index.add_many(ORIGINALS.items())
    return Matcher(index, ORIGINALS.get)


def _seed_segments() -> tuple[str, str]:
    start = SEED_PAGE.index("Biden, Putin hold call")
    end = SEED_PAGE.index("whatever Putin decides.") + len("whatever Putin decides.")
    return SEED_PAGE[:start] + SEED_PAGE[end:], SEED_PAGE[start:end]


def wrap(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The article as the site shows it, and where its own text lies in the page."""
    title, body = text.split("\n", 1)
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    half = len(paragraphs) // 2
    page, ranges = CHROME["header"], []
    for piece in [title, CHROME["dateline"], *paragraphs[:half], CHROME["read_more"],
                  *paragraphs[half:]]:
        if piece not in (CHROME["dateline"], CHROME["read_more"]):
            ranges.append((len(page), len(page) + len(piece)))
        page += piece + "\n\n"
    return page + CHROME["footer"], ranges


def _covered_share(page: str, ranges: list[tuple[int, int]], spans) -> float:
    tokens = [m.start() for m in TOKEN_RE.finditer(page)
              if any(a <= m.start() < b for a, b in ranges)]
    covered = [t for t in tokens if any(s.article_start <= t < s.article_end for s in spans)]
    return len(covered) / len(tokens)


def test_every_summary_is_traced_to_its_article_as_an_excerpt(matcher):
    for i, name in enumerate(NAMES):
        matches = matcher.match([("en", SUMMARIES[name])])
        assert matches and matches[0].original_id == i, name
        assert matches[0].kind == EXCERPT, name
        assert matches[0].article_coverage > 0.9, name


def test_articles_wrapped_in_site_chrome_match_verbatim(matcher):
    for i, name in enumerate(NAMES):
        page, body = wrap(ARTICLES[name])
        matches = matcher.match([("en", page)])
        assert matches[0].original_id == i and matches[0].kind == VERBATIM, name
        assert _covered_share(page, body, matches[0].spans) >= 0.95, name
        assert matches[0].original_coverage >= 0.95, name


def test_articles_in_no_original_match_nothing(matcher):
    for name, text in HELD_OUT.items():
        assert matcher.match([("en", text)]) == [], name
        assert matcher.match([("en", wrap(text)[0])]) == [], name


def test_seed_english_segment_matches_its_original_verbatim(matcher):
    _, english = _seed_segments()
    matches = matcher.match([("en", english)])
    assert [m.original_id for m in matches] == [SEED_ID]
    assert matches[0].kind == VERBATIM and matches[0].languages == ("en", "en")
    assert matches[0].article_coverage > 0.99 and matches[0].original_coverage > 0.99


def test_seed_chinese_segment_matches_its_original_as_translation(matcher):
    chinese, _ = _seed_segments()
    matches = matcher.match([("zh", chinese)], published_at=SEED_DAY)
    assert [m.original_id for m in matches] == [SEED_ID]
    match = matches[0]
    assert match.kind == TRANSLATION and match.languages == ("zh", "en")
    assert match.original_coverage > 0.8 and match.score > 0.8
    pairs = {chinese[s.article_start:s.article_end]: SEED_ORIGINAL[s.original_start:s.original_end]
             for s in match.spans}
    zh = next(z for z in pairs if "14 000" in z)
    assert "14,000 people killed" in pairs[zh]
    zh = next(z for z in pairs if z.startswith("在这些会议之后,北约将于1月12日"))
    assert pairs[zh].startswith("After those meetings, NATO will hold a meeting with Russia")


def test_chinese_lines_alone_still_find_the_original(matcher):
    lines = [line for line in SEED_PAGE.splitlines()
             if not line.strip() or any("\u4e00" <= c <= "\u9fff" for c in line)]
    matches = matcher.match([("zh", "\n".join(lines))])
    assert matches[0].original_id == SEED_ID and matches[0].kind == TRANSLATION


def test_the_whole_page_matches_with_copied_and_translated_spans(matcher):
    chinese, english = _seed_segments()
    matches = matcher.match([("zh", chinese), ("en", english)], published_at=SEED_DAY)
    assert [m.original_id for m in matches] == [SEED_ID]
    assert matches[0].kind == VERBATIM
    assert {(s.segment, s.kind) for s in matches[0].spans} == {(0, TRANSLATION), (1, VERBATIM)}
    assert matches[0].article_coverage > 0.85


def test_an_article_combining_two_sources_lists_both(matcher):
    a, b = ARTICLES[NAMES[3]], ARTICLES[NAMES[20]]
    article = a[: len(a) // 2] + "\n\n" + b[len(b) // 2:]
    matches = matcher.match([("en", article)])
    assert sorted(m.original_id for m in matches) == [3, 20]
    assert all(m.kind == EXCERPT for m in matches)


def test_chinese_and_english_originals_of_one_page_are_both_found(tmp_path):
    chinese, english = _seed_segments()
    body = chinese[chinese.index("周四"):chinese.index("声明:文章")]
    originals = {1: OriginalText(SEED_ORIGINAL, "en", SEED_DAY), 2: OriginalText(body, "zh")}
    index = Index(tmp_path)
    index.add_many(originals.items())
    matches = Matcher(index, originals.get).match([("zh", chinese), ("en", english)])
    assert {(m.original_id, m.kind, m.languages) for m in matches} == {
        (1, VERBATIM, ("en", "en")), (2, VERBATIM, ("zh", "zh"))}
    # The English text alone is a translation of the Chinese original (read backwards).
    back = compare([("en", english)], originals[2])
    assert back.kind == TRANSLATION and back.languages == ("en", "zh")


def test_duplicate_originals_are_all_listed(tmp_path):
    text = ARTICLES[NAMES[5]]
    originals = {1: OriginalText(text), 2: OriginalText(text), 3: OriginalText(text),
                 4: OriginalText(ARTICLES[NAMES[6]])}
    index = Index(tmp_path)
    index.add_many(originals.items())
    matches = Matcher(index, originals.get).match([("en", SUMMARIES[NAMES[5]])])
    assert sorted(m.original_id for m in matches) == [1, 2, 3]
    assert len({(m.score, m.kind) for m in matches}) == 1


def test_empty_and_one_word_articles_match_nothing(matcher):
    for segments in ([], [("en", "")], [("zh", "")], [("en", "Ukraine")], [("zh", "普京")],
                     [("other", "   \n\n  ")]):
        assert matcher.match(segments) == [], segments
    assert compare("", SEED_ORIGINAL).kind == "none"


def test_a_one_megabyte_article_is_handled_within_a_second(matcher):
    article = ("\n\n".join(ARTICLES.values()) + "\n\n") * 16
    assert len(article.encode()) > 1_000_000
    # Processor time: other jobs sharing the machine do not count against the engine.
    started = time.process_time()
    matches = matcher.match([("en", article)])
    assert time.process_time() - started < 1.0
    assert matches and all(m.original_id in ORIGINALS for m in matches)


def test_unknown_scripts_match_nothing_and_do_not_crash(matcher):
    texts = ["ข่าวการเมืองวันนี้ รัฐบาลประกาศนโยบายใหม่" * 20,
             "أعلنت الحكومة اليوم عن سياسة جديدة للتعليم " * 20,
             "सरकार ने आज शिक्षा के लिए नई नीति की घोषणा की " * 20,
             "🙂🚀✨ ∑∫≈ ☃☃☃ " * 50,
             "\x00\x01\ufffd\ud800 broken" * 10]
    for text in texts:
        started = time.process_time()
        assert matcher.match([("other", text)]) == []
        assert time.process_time() - started < 1.0


def test_a_lightly_edited_article_is_found_as_edited(matcher):
    text = ARTICLES[NAMES[10]]
    words = text.split(" ")
    # Swap one word in nine for another, as a sub-editor would.
    edited = " ".join("several" if i % 9 == 4 else w for i, w in enumerate(words))
    matches = matcher.match([("en", edited)])
    assert matches[0].original_id == 10 and matches[0].kind == "edited"


def test_compare_checks_one_claimed_original():
    chinese, _ = _seed_segments()
    claim = compare([("zh", chinese)], OriginalText(SEED_ORIGINAL, "en", SEED_DAY), SEED_ID)
    assert claim.kind == TRANSLATION and claim.original_id == SEED_ID
    for name in NAMES[::6]:
        assert compare([("zh", chinese)], ARTICLES[name]).kind == "none"


def test_originals_that_cannot_be_loaded_are_skipped(tmp_path):
    index = Index(tmp_path)
    index.add(1, ARTICLES[NAMES[0]])
    assert Matcher(index, lambda i: None).match(ARTICLES[NAMES[0]]) == []


def test_publication_dates_weigh_candidates():
    day = (SEED_DAY - date(1970, 1, 1)).days
    days = np.array([day, day - 3, day - 60, day + 10, NO_DAY], dtype=np.int32)
    assert date_prior(day, days).tolist() == [1.0, 1.0, 0.8, 0.5, 1.0]
    assert date_prior(None, days).tolist() == [1.0] * 5


def test_results_are_json_ready_and_versioned(matcher):
    match = matcher.match([("en", SUMMARIES[NAMES[0]])])[0]
    data = json.loads(json.dumps(match.to_dict()))
    assert data["kind"] == EXCERPT and data["spans"][0]["kind"] in ("verbatim", "edited")
    assert ENGINE_VERSION.startswith("matching-")


def test_analysed_texts_are_kept_within_their_budget_and_change_no_result(monkeypatch):
    """A text analysed again comes from the cache, with what was derived from it; results
    are the same as from a fresh analysis, and the cache keeps to its size."""
    chinese, _ = _seed_segments()
    comparison.forget_analysed()
    fresh = compare([("zh", chinese)], OriginalText(SEED_ORIGINAL, "en"))
    assert comparison.analysed(SEED_ORIGINAL) is comparison.analysed(SEED_ORIGINAL)
    assert "zh_bags" in comparison.analysed(chinese).memo  # the glosses came along
    again = compare([("zh", chinese)], OriginalText(SEED_ORIGINAL, "en"))
    assert again == fresh and again.kind == TRANSLATION
    budget = len(SEED_ORIGINAL) + len(chinese) + 10
    monkeypatch.setattr(comparison, "ANALYSED_CACHE_CHARS", budget)
    for text in ARTICLES.values():
        comparison.analysed(text)
        assert comparison._analysed_chars <= budget
        assert comparison._analysed_chars == sum(len(t) for t in comparison._analysed)
    assert SEED_ORIGINAL not in comparison._analysed  # the least recently used went first
    comparison.forget_analysed()
