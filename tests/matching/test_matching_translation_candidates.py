"""A Chinese translation reaches its English original through its glossed words, even when
the two share no name or number in Latin script (fixtures/matching/translations_zh/)."""

from pathlib import Path

import pytest

from moderation.matching import Index, Matcher, OriginalText
from moderation.matching.crosslingual import glossed_stems
from moderation.matching.text import analyse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "matching"
ARTICLES = {p.stem: p.read_text(encoding="utf-8")
            for p in sorted((FIXTURES / "bbc" / "articles").glob("*.txt"))}
NAMES = list(ARTICLES)
TRANSLATION = (FIXTURES / "translations_zh" / "politics-214.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    originals = {i: OriginalText(t, "en") for i, t in enumerate(ARTICLES.values())}
    index = Index(tmp_path_factory.mktemp("index"))
    index.add_many(originals.items())
    return Matcher(index, originals.get)


def test_glossed_words_give_the_english_stems_of_a_chinese_text():
    stems = glossed_stems(analyse("委员会警告说,监狱里的死亡人数令人震惊。"))
    assert {"commit", "prison", "death", "warn", "shock"} <= stems


def test_a_translation_without_latin_names_reaches_its_original(matcher):
    original = NAMES.index("politics-214")
    assert original in matcher.candidate_ids([("zh", TRANSLATION)])
    [match] = matcher.match([("zh", TRANSLATION)])
    assert match.original_id == original
    assert match.kind == "translation"


def test_a_chinese_report_with_no_english_original_stays_clean(matcher):
    text = (FIXTURES / "rewrites_zh" / "independent_2.txt").read_text(encoding="utf-8")
    assert matcher.match([("zh", text)]) == []


def test_aligning_a_translation_does_not_load_jieba(tmp_path):
    import subprocess  # nosec B404 - runs this test's own interpreter
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from moderation.matching import OriginalText, compare\n"
        f"f = Path({str(FIXTURES)!r})\n"
        "page = (f / 'seed_page.txt').read_text(encoding='utf-8')\n"
        "chinese = page[:page.index('Biden, Putin hold call')]\n"
        "english = (f / 'abc_biden_putin_call.txt').read_text(encoding='utf-8')\n"
        "m = compare([('zh', chinese)], OriginalText(english, 'en'))\n"
        "print(m.kind, 'jieba' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # nosec B603
                          timeout=120, check=True, env={"MODERATION_CACHE_DIR": str(tmp_path),
                                                        "PATH": "/usr/bin:/bin"})
    assert done.stdout.split() == ["translation", "False"]
