"""URL canonicalisation: when two addresses name the same page, and when a string is no address."""

import pytest

from moderation.intake import URLError, canonical_url, find_urls

SAME_PAGE = [
    # (written, canonical)
    ("https://example.com/a", "https://example.com/a"),
    ("http://example.com/a", "https://example.com/a"),
    ("HTTPS://Example.COM/a", "https://example.com/a"),
    ("https://www.example.com/a", "https://example.com/a"),
    ("https://m.example.com/a", "https://example.com/a"),
    ("https://mobile.example.com/a", "https://example.com/a"),
    ("https://amp.example.com/a", "https://example.com/a"),
    ("https://www.example.com./a", "https://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com/a/", "https://example.com/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/", "https://example.com/"),
    ("https://example.com//a///b/", "https://example.com/a/b"),
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com/a/index.html", "https://example.com/a"),
    ("https://example.com/index.php", "https://example.com/"),
    ("https://example.com/a?utm_source=x&utm_medium=y&utm_campaign=z", "https://example.com/a"),
    ("https://example.com/a?fbclid=IwAR0", "https://example.com/a"),
    ("https://example.com/a?gclid=abc&msclkid=def", "https://example.com/a"),
    ("https://example.com/a?UTM_Source=x", "https://example.com/a"),
    ("https://example.com/a?mc_cid=1&mc_eid=2&_ga=3", "https://example.com/a"),
    ("https://example.com/a?id=7&utm_source=x", "https://example.com/a?id=7"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("https://example.com/a?q=", "https://example.com/a?q="),
    ("https://example.com/%E6%96%B0%E9%97%BB", "https://example.com/%E6%96%B0%E9%97%BB"),
    ("https://example.com/新闻", "https://example.com/%E6%96%B0%E9%97%BB"),
    ("https://xn--fiqs8s.example/a", "https://中国.example/a"),
    ("//example.com/a", "https://example.com/a"),
    ("example.com/a", "https://example.com/a"),
    ("  https://example.com/a  ", "https://example.com/a"),
    (
        "https://www.uscntv.com/shehui/2022/0618/8812.html",
        "https://uscntv.com/shehui/2022/0618/8812.html",
    ),
]


@pytest.mark.parametrize(("written", "canonical"), SAME_PAGE)
def test_canonical_url_folds_variants_of_one_address(written: str, canonical: str) -> None:
    assert canonical_url(written) == canonical


def test_canonical_url_is_idempotent() -> None:
    for written, _ in SAME_PAGE:
        once = canonical_url(written)
        assert canonical_url(once) == once


def test_canonical_url_keeps_a_short_host_prefix_that_is_the_domain() -> None:
    # "m.com" is a domain of its own, not a mobile prefix.
    assert canonical_url("https://m.com/a") == "https://m.com/a"
    assert canonical_url("https://www.com/a") == "https://www.com/a"


@pytest.mark.parametrize(
    ("relative", "base", "canonical"),
    [
        ("/b", "https://www.example.com/a/page.html", "https://example.com/b"),
        ("c.html", "https://example.com/a/page.html", "https://example.com/a/c.html"),
        ("../d", "https://example.com/a/b/page", "https://example.com/a/d"),
        ("https://other.example/x", "https://example.com/", "https://other.example/x"),
    ],
)
def test_canonical_url_resolves_relative_addresses(
    relative: str, base: str, canonical: str
) -> None:
    assert canonical_url(relative, base=base) == canonical


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "ftp://example.com/a",
        "mailto:desk@example.com",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://",
        "https://example.com:99999/a",
        "not a url",
        "/relative/only",
    ],
)
def test_canonical_url_refuses_what_is_not_a_web_address(bad: str) -> None:
    with pytest.raises(URLError):
        canonical_url(bad)


def test_url_error_is_a_value_error_for_callers_that_catch_those() -> None:
    assert issubclass(URLError, ValueError)


def test_find_urls_reads_addresses_out_of_free_text() -> None:
    text = (
        "Our story https://www.harbourledger.example/business/dock?utm_source=x. was copied at "
        "http://www.uscntv.com/a/1.html，请删除。(see https://example.com/b)"
    )
    assert find_urls(text) == [
        "https://www.harbourledger.example/business/dock?utm_source=x",
        "http://www.uscntv.com/a/1.html",
        "https://example.com/b",
    ]
    assert find_urls("") == []
