"""Property tests: extractors and canonical_url raise nothing but the library's own errors."""

import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from moderation.intake import (
    ExtractedPage,
    URLError,
    canonical_url,
    decode_bytes,
    extract_html_page,
    extract_text_page,
    split_segments,
    text_hash,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Pieces that real pages are made of, so generated inputs reach the interesting code paths.
HTML_PIECES = st.sampled_from(
    [
        "<html>",
        "<head>",
        "<title>",
        "</title>",
        "<meta charset='gbk'>",
        "<body>",
        "<p>",
        "</p>",
        "<h1>",
        "</h1>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<![CDATA[",
        "<?xml version='1.0' encoding='utf-8'?>",
        "<time datetime='2021-13-45T99:99'>",
        "<meta property='article:published_time' content='x'>",
        "<link rel=canonical href='http://[::1'>",
        "<script type='application/ld+json'>{\"datePublished\": [1]}</script>",
        "<html lang='zh-CN'>",
        "阅读更多",
        "PHOTO: x",
        "上一篇:",
        "2021-12-31 13:55 美国新闻网",
        "\x00",
        "&#0;",
        "&amp;",
        "Biden",
        "拜登",
        "\n",
        "\n\n",
        " | ",
        " > ",
    ]
)
TEXT_PIECES = st.sampled_from(
    [
        "标题",
        "2021-12-31 13:55   美国新闻网   - ",
        "2021-02-30 25:61",
        "阅读更多",
        "PHOTO: caption",
        "Pool/Getty Images",
        "caption...",
        "声明:",
        "上一篇:x",
        "热点新闻",
        "关于我们| 联系我们| 广告服务| 供稿服务",
        "来源:",
        "Read more",
        "The quick brown fox.",
        "周四,拜登总统与普京总统进行了交谈。",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        "\ufeff",
        "\x00",
        " ",
    ]
)


def _consistent(page: ExtractedPage) -> None:
    assert page.body == "\n\n".join(s.text for s in page.segments)
    assert all(s.language in ("zh", "en", "other") for s in page.segments)
    assert len(page.text_hash) == 64


@FAST
@given(st.one_of(st.text(), st.lists(TEXT_PIECES | st.text(max_size=20)).map("".join)))
def test_text_extraction_never_raises(text: str) -> None:
    _consistent(extract_text_page(text))


@FAST
@given(st.one_of(st.text(), st.lists(HTML_PIECES | st.text(max_size=20)).map("".join)))
@example("<link rel=canonical href='http://[::1'><p>A page with a broken canonical link.</p>")
def test_html_extraction_never_raises(html: str) -> None:
    _consistent(extract_html_page(html, url="https://example.com/a/"))


@FAST
@given(st.binary(max_size=2000))
def test_decoding_never_raises(data: bytes) -> None:
    decoded = decode_bytes(data)
    assert isinstance(decoded.text, str)


@FAST
@given(st.lists(st.text(max_size=80), max_size=8))
def test_segments_keep_every_paragraph(paragraphs: list[str]) -> None:
    segments = split_segments(paragraphs)
    rebuilt = " ".join(" ".join(filter(None, (s.title, s.text))) for s in segments)
    assert text_hash(rebuilt) == text_hash(" ".join(p.strip() for p in paragraphs if p.strip()))


URLISH = st.lists(
    st.sampled_from(
        [
            "http://",
            "https://",
            "HTTPS://",
            "ftp://",
            "//",
            "www.",
            "m.",
            "example.com",
            "xn--",
            ":",
            "80",
            ":443",
            "/",
            "//",
            "?",
            "&",
            "=",
            "utm_source",
            "fbclid",
            "#",
            "%",
            "%zz",
            "[",
            "]",
            "@",
            ".",
            "新闻",
            " ",
            "\n",
            "\x00",
        ]
    )
    | st.text(alphabet=string.printable, max_size=6),
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(URLISH, st.text()), st.one_of(st.none(), URLISH))
@example("x", "http://[")
@example("http://[]", "http://")
@example("http://[::1]/a", None)
def test_canonical_url_raises_only_url_error(url: str, base: str | None) -> None:
    try:
        result = canonical_url(url, base=base)
    except URLError:
        return
    assert result.startswith("https://")
    assert canonical_url(result) == result
