"""Text pages: header reading, chrome removal, and clean texts passing through unchanged."""

from datetime import datetime
from pathlib import Path

import pytest

from moderation.intake import extract_text_page, normalise_text
from moderation.intake.chrome import classify_lines, line_reason
from moderation.intake.textpage import parse_date_line, parse_local_time

PAGES = Path(__file__).parents[1] / "fixtures" / "intake" / "pages"


def test_clean_text_passes_unchanged_apart_from_its_title_line() -> None:
    text = (PAGES / "bbc_business_001.txt").read_text(encoding="utf-8")
    page = extract_text_page(text)
    title, body = text.split("\n", 1)
    assert page.title == title
    assert page.body == body.strip()
    assert [reason for reason, _ in page.removed] == ["title"]


def test_a_known_title_is_not_guessed_from_the_first_line() -> None:
    text = "LONDON\n\nShares rose on Monday after the central bank held rates.\n\nTraders were relieved."
    page = extract_text_page(text, title="Shares rise as rates held")
    assert page.title == "Shares rise as rates held"
    assert page.body.startswith("LONDON\n\nShares rose")


def test_a_known_title_repeated_at_the_top_is_removed() -> None:
    text = "Shares rise as rates held\n\nShares rose on Monday after the bank held rates.\n\nMore text."
    page = extract_text_page(text, title="Shares rise as rates held")
    assert page.body.startswith("Shares rose on Monday")


def test_a_single_paragraph_has_no_title() -> None:
    page = extract_text_page("Only one paragraph of text, written as a sentence.")
    assert page.title is None
    assert page.body == "Only one paragraph of text, written as a sentence."
    assert "no title found" in page.warnings


def test_a_first_line_that_ends_a_sentence_is_body_not_title() -> None:
    page = extract_text_page("The mayor resigned on Friday.\n\nShe had served for ten years.")
    assert page.title is None
    assert page.body.startswith("The mayor resigned")


def test_an_empty_text_gives_an_empty_page_with_a_warning() -> None:
    page = extract_text_page("   \n\n  ")
    assert page.segments == []
    assert "no article text found" in page.warnings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-12-31 13:55", datetime(2021, 12, 31, 13, 55)),
        ("2021/1/5 9:05:30", datetime(2021, 1, 5, 9, 5, 30)),
        ("2022年06月18日 10:05", datetime(2022, 6, 18, 10, 5)),
        ("2022年6月18日", datetime(2022, 6, 18)),
        ("2022.06.18", datetime(2022, 6, 18)),
        ("2022-13-40 10:00", None),
        ("no date here", None),
    ],
)
def test_local_times_are_read_in_the_usual_chinese_site_forms(
    text: str, expected: datetime | None
) -> None:
    assert parse_local_time(text) == expected


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("2021-12-31 13:55   美国新闻网   - ", "美国新闻网"),
        ("2022-06-18 10:05  来源:华夏时报  作者:李明  浏览:1024次", "华夏时报"),
        ("发布时间：2022-06-18 10:05 | 来源：新华网", "新华网"),
        ("2022-06-18", None),
    ],
)
def test_a_date_line_yields_the_credited_source(line: str, source: str | None) -> None:
    found = parse_date_line(line)
    assert found is not None
    assert found[1] == source


def test_a_sentence_with_a_date_is_not_a_date_line() -> None:
    line = (
        "On 2021-12-31 the two presidents spoke by telephone for almost an hour about the troops."
    )
    assert parse_date_line(line) is None


def test_a_header_source_line_is_read_and_removed() -> None:
    text = "标题在这里\n\n来源：新华社\n\n正文第一段，讲述了发生的事情。\n\n正文第二段。"
    page = extract_text_page(text)
    assert page.claimed_source == "新华社"
    assert "来源" not in page.body


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("首页 | 新闻 | 体育 | 财经 | 娱乐", "navigation"),
        ("Home | News | Sport | Business", "navigation"),
        ("首页 新闻 体育 财经 娱乐 科技", "navigation"),
        ("主页 > 头条 > 正文", "breadcrumb"),
        ("Home > News > Local", "breadcrumb"),
        ("阅读更多", "read-more link"),
        ("Read more »", "read-more link"),
        ("声明:本文仅代表作者个人观点", "disclaimer"),
        ("免责声明：转载仅供参考", "disclaimer"),
        ("上一篇:多地发布高温预警", "previous/next link"),
        ("下一篇：夏粮收购进度过半", "previous/next link"),
        ("Next article: Ferry fares to rise", "previous/next link"),
        ("热点新闻", "related/hot list"),
        ("Related articles", "related/hot list"),
        ("投稿邮箱:uscntv@outlook.com", "contact line"),
        ("Copyright © 2021 Valley Sentinel", "footer"),
        ("版权所有 2022 台北觀察報", "footer"),
        ("京ICP备12345678号", "footer"),
        ("PHOTO: Smoke rises behind a ridge.", "photo caption"),
        ("(图片来源:网络)", "photo caption"),
        ("责任编辑：王芳", "share or byline"),
        ("分享到:", "share or byline"),
    ],
)
def test_chrome_lines_are_recognised_with_their_reason(line: str, reason: str) -> None:
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "美国国务院发言人内德·普莱斯(Ned Price)在谈到此次会谈时表示",
        "He said the talks would resume next week.",
        "分享经济正在兴起，越来越多的人参与其中。",
        "打印机市场今年增长了百分之五。",
        "Next week the council will vote again.",
        "Previously, the company had denied any wrongdoing.",
        "The copyright dispute began in 2019 when the publisher sued.",
        "乔·拜登总统",
    ],
)
def test_ordinary_article_lines_are_not_chrome(line: str) -> None:
    assert line_reason(line) is None


def test_photo_credit_counts_only_next_to_a_caption() -> None:
    lines = ["PHOTO: The mayor at the opening.", "", "Jane Doe/AP Photo", "", "Body text follows."]
    assert classify_lines(lines)[2] == "photo credit"
    assert classify_lines(["Body text.", "", "Jane Doe/AP Photo"])[2] is None


def test_cut_off_repeats_of_a_longer_line_are_dropped() -> None:
    lines = [
        "The council voted to add four late-night bus routes.",
        "The council voted to add fo...",
    ]
    assert classify_lines(lines) == [None, "cut-off duplicate"]


def test_items_under_a_hot_list_heading_go_with_it() -> None:
    lines = [
        "Body paragraph that ends here.",
        "热点新闻",
        "全球芯片短缺有望缓解",
        "多国宣布放宽入境限制",
    ]
    assert classify_lines(lines) == [
        None,
        "related/hot list",
        "related/hot list",
        "related/hot list",
    ]


def test_no_bbc_fixture_line_is_taken_for_chrome() -> None:
    text = (PAGES / "bbc_sport_199_cp1252.txt").read_bytes().decode("cp1252")
    page = extract_text_page(text)
    assert normalise_text(page.body) == normalise_text(text.split("\n", 1)[1])
