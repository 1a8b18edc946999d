"""Chinese rewrites (洗稿) of Chinese originals: found as rewritten; copies stay copies;
independent reports of the same news stay clean (fixtures/matching/rewrites_zh/)."""

import subprocess  # nosec B404 - runs this test's own interpreter
import sys
from pathlib import Path

import pytest

from moderation.matching import Index, Matcher, OriginalText, compare
from moderation.matching.segmenter import segmenter

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "matching" / "rewrites_zh"
KEYS = ("a", "b", "c")


def _text(name: str) -> str:
    return (CASES / f"{name}.txt").read_text(encoding="utf-8")


def _original(key: str) -> OriginalText:
    return OriginalText(_text(f"original_{key}"), "zh")


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    originals = {n: _original(k) for n, k in enumerate(KEYS, start=1)}
    index = Index(tmp_path_factory.mktemp("index"))
    index.add_many(originals.items())
    return Matcher(index, originals.get)


@pytest.mark.parametrize("key", KEYS)
def test_a_heavy_chinese_rewrite_is_found_as_rewritten(key):
    match = compare([("zh", _text(f"heavy_{key}"))], _original(key))
    assert match.kind == "rewritten"
    assert any(s.kind == "rewritten" for s in match.spans)


@pytest.mark.parametrize("key", KEYS)
def test_each_rewrite_is_traced_to_its_own_original_among_the_three(matcher, key):
    for grade in ("light", "heavy"):
        matches = matcher.match([("zh", _text(f"{grade}_{key}"))])
        assert matches, grade
        assert matches[0].original_id == KEYS.index(key) + 1, grade
        assert matches[0].kind in ("rewritten", "edited"), grade


def test_a_copy_stays_verbatim_and_paragraphs_of_it_an_excerpt(matcher):
    body = _text("original_b")
    assert matcher.match([("zh", body)])[0].kind == "verbatim"
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    found = matcher.match([("zh", "\n\n".join(paragraphs[1::2]))])
    assert found[0].original_id == 2 and found[0].kind == "excerpt"


@pytest.mark.parametrize("number", [1, 2, 3])
def test_an_independent_report_of_the_same_news_stays_clean(matcher, number):
    text = _text(f"independent_{number}")
    assert matcher.match([("zh", text)]) == []
    for key in KEYS:
        assert compare([("zh", text)], _original(key)).kind == "none"


def test_segmentation_drops_function_words_and_keeps_names():
    text = "美国国务卿安东尼·布林肯周三再次与乌克兰总统沃洛季米尔·泽伦斯基通话。"
    words = {text[w.start:w.end]: w for w in segmenter().words(text)}
    assert words["乌克兰"].content and words["乌克兰"].name
    assert words["国务卿"].content and not words["国务卿"].name
    assert not words["与"].content
    assert "再次" in words and not words["再次"].content  # an adverb
    assert "·" not in words


def test_jieba_keeps_its_dictionary_cache_in_the_cache_folder(tmp_path):
    code = ("from moderation.matching.segmenter import segmenter; "
            "print(len(segmenter().words('拜登与普京通话')))")
    env = {"MODERATION_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):  # built, then read back
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,  # nosec B603
                              text=True, timeout=120, check=True)
        assert done.stdout.strip() == "4"
        assert "Building prefix dict" not in done.stderr
    assert list((tmp_path / "moderation").glob("jieba*.cache"))
    assert list((tmp_path / "moderation").glob("jieba-classes-*.marshal"))
