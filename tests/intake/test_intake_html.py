"""HTML pages: metadata sources, fallbacks, and header lines kept out of the body."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from moderation.intake import extract_html_page
from moderation.intake.html import parse_time

BODY = (
    "<p>The harbour authority approved a new ferry terminal on Monday after two years of talks.</p>"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2021-08-09T16:45:00-07:00",
            datetime(2021, 8, 9, 16, 45, tzinfo=timezone(timedelta(hours=-7))),
        ),
        ("2023-03-14T07:30:00Z", datetime(2023, 3, 14, 7, 30, tzinfo=UTC)),
        ("Tue, 14 Mar 2023 07:30:00 GMT", datetime(2023, 3, 14, 7, 30, tzinfo=UTC)),
        ("2021-12-31 13:55", datetime(2021, 12, 31, 13, 55)),
        ("2022年6月18日 10:05", datetime(2022, 6, 18, 10, 5)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_publication_times_are_read_in_common_forms(value: str, expected: datetime | None) -> None:
    assert parse_time(value) == expected


def test_json_ld_graph_gives_headline_and_time() -> None:
    html = (
        '<script type="application/ld+json">{"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle",'
        '"headline": "Terminal approved", "datePublished": "2022-02-01T10:00:00+00:00",'
        '"publisher": {"name": "Port Weekly"}}]}</script>' + BODY
    )
    page = extract_html_page(html)
    assert page.title == "Terminal approved"
    assert page.published_at == datetime(2022, 2, 1, 10, tzinfo=UTC)
    assert page.publisher == "Port Weekly"


def test_broken_json_ld_is_ignored() -> None:
    page = extract_html_page(
        '<script type="application/ld+json">{"headline": </script><h1>Head</h1>' + BODY
    )
    assert page.title == "Head"


def test_time_element_is_used_when_meta_tags_are_missing() -> None:
    page = extract_html_page(
        '<h1>Head</h1><time datetime="2020-05-05T05:05:00+02:00">May 5</time>' + BODY
    )
    assert page.published_at == datetime(2020, 5, 5, 5, 5, tzinfo=timezone(timedelta(hours=2)))


def test_a_relative_og_url_resolves_against_the_page_address() -> None:
    html = '<meta property="og:url" content="/news/terminal?utm_source=x">' + BODY
    page = extract_html_page(html, url="https://www.portweekly.example/other/page")
    assert page.canonical_url == "https://portweekly.example/news/terminal"
    assert extract_html_page(html).canonical_url is None


def test_document_title_loses_the_site_name_which_becomes_the_publisher() -> None:
    page = extract_html_page(
        "<title>Terminal approved | Port Weekly</title><h1>Terminal approved</h1>" + BODY
    )
    assert (page.title, page.publisher) == ("Terminal approved", "Port Weekly")
    only_title = extract_html_page("<title>Terminal approved - Port Weekly</title>" + BODY)
    assert only_title.title == "Terminal approved"


def test_a_chinese_visible_date_line_gives_time_and_source_and_leaves_the_body() -> None:
    html = (
        "<h1>标题</h1><div><span>2021-12-31</span> <span>来源:新华社</span></div>"
        "<p>正文内容在这里,讲述事情的经过。</p>"
    )
    page = extract_html_page(html)
    assert page.published_at == datetime(2021, 12, 31)
    assert page.claimed_source == "新华社"
    assert page.body == "正文内容在这里,讲述事情的经过。"


def test_declared_language_names_a_page_in_another_language() -> None:
    html = (
        '<html lang="fr-FR"><body><p>Le conseil municipal a voté mardi pour ajouter quatre lignes de bus '
        "de nuit, et les habitants sont dans la rue pour fêter la décision.</p></body></html>"
    )
    assert extract_html_page(html).language == "fr"


def test_an_oversized_page_skips_the_main_text_extractor_but_keeps_its_text() -> None:
    html = "<h1>Big</h1>" + "<p>Paragraph of a very long page, with words.</p>" * 10_001
    page = extract_html_page(html)
    assert any("too large" in warning for warning in page.warnings)
    assert page.body.count("Paragraph of a very long page") == 10_001


def test_a_page_of_markup_only_has_no_text() -> None:
    page = extract_html_page(
        "<html><head><style>p{}</style></head><body><script>x()</script></body></html>"
    )
    assert page.segments == []
    assert "no article text found" in page.warnings
