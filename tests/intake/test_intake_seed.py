"""Acceptance: the seed page of our site splits into its translation and its English original."""

from datetime import datetime
from pathlib import Path

import pytest

from moderation.intake import ExtractedPage, extract_text_page

SEED = Path(__file__).parents[1] / "fixtures" / "intake" / "pages" / "seed_biden_putin.txt"
CHROME = [
    "欧洲新闻网 | 中国",
    "投稿邮箱",
    "主页 > 头条 > 正文",
    "阅读更多",
    "PHOTO:",
    "Pool/Getty Images",
    "Oval Offic...",
    "声明:",
    "上一篇",
    "下一篇",
    "热点新闻",
    "重要通知",
    "服务之窗",
    "关于我们| 联系我们",
    "本网站所刊载信息",
    "主办 www.uscntv.com",
    "部分稿件来源于网络",
]


@pytest.fixture(scope="module")
def seed() -> ExtractedPage:
    return extract_text_page(SEED.read_text(encoding="utf-8"))


def test_seed_header_gives_title_time_and_credited_source(seed: ExtractedPage) -> None:
    assert seed.title == "拜登、普京在乌克兰紧张局势加剧之际举行电话会议"
    assert seed.published_at == datetime(2021, 12, 31, 13, 55)
    assert seed.published_at.tzinfo is None
    assert seed.claimed_source == "美国新闻网"


def test_seed_has_exactly_one_chinese_and_one_english_segment(seed: ExtractedPage) -> None:
    assert [s.language for s in seed.segments] == ["zh", "en"]
    assert seed.language == "zh"


def test_seed_chinese_segment_is_the_whole_translation(seed: ExtractedPage) -> None:
    chinese = seed.segment("zh")
    assert chinese.text.startswith("周四,乔·拜登总统与俄罗斯总统弗拉基米尔·普京进行了交谈")
    assert chinese.text.endswith("为普京的任何决定做好准备。")
    # The paragraph with "(Ned Price)" stays in the translation.
    assert "内德·普莱斯(Ned Price)" in chinese.text


def test_seed_english_segment_is_the_original_after_its_headline(seed: ExtractedPage) -> None:
    english = seed.segment("en")
    assert english.text.startswith(
        "President Joe Biden spoke with Russian President Vladimir Putin on Thursday"
    )
    assert english.text.endswith("ready for whatever Putin decides.")
    assert english.title == "Biden, Putin hold call amid heightened tensions over Ukraine"
    assert seed.original_title == english.title
    assert english.title not in english.text


@pytest.mark.parametrize("chrome", CHROME)
def test_seed_segments_hold_no_site_chrome(seed: ExtractedPage, chrome: str) -> None:
    for segment in seed.segments:
        assert chrome not in segment.text


def test_seed_keeps_paragraphs_around_removed_lines(seed: ExtractedPage) -> None:
    english = seed.segment("en").text
    # The caption block sat between these two paragraphs; both survive, apart.
    assert 'significant Russian troop presence in and around the border."\n\nThe ominous' in english
    chinese = seed.segment("zh").text
    assert "必须参与这些谈判”。\n\n“是关于我们的。" in chinese


def test_seed_reports_every_removed_line_with_a_reason(seed: ExtractedPage) -> None:
    reasons = dict((line, reason) for reason, line in seed.removed)
    assert reasons["Pool/Getty Images"] == "photo credit"
    assert reasons["阅读更多"] == "read-more link"
    assert reasons["主页 > 头条 > 正文"] == "breadcrumb"
    assert reasons["拜登、普京在乌克兰紧张局势加剧之际举行电话会议"] == "title"
    assert sum(reason == "read-more link" for reason, _ in seed.removed) == 2


def test_seed_hash_ignores_layout_but_not_words(seed: ExtractedPage) -> None:
    text = SEED.read_text(encoding="utf-8")
    relaid = extract_text_page(
        text.replace("\n\n", "\n\n\n").replace("Thursday --", "Thursday  --")
    )
    assert relaid.text_hash == seed.text_hash
    edited = extract_text_page(
        text.replace("ready for whatever Putin decides", "ready for anything")
    )
    assert edited.text_hash != seed.text_hash
