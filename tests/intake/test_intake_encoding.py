"""Decoding page bytes: declared, sniffed and detected charsets, and the lossy last resort."""

import codecs

import pytest

from moderation.intake import decode_bytes, looks_binary
from moderation.intake.encoding import normalise_encoding, sniff_declared

SIMPLIFIED = "美国和欧洲盟友威胁称,如果莫斯科袭击乌克兰,将对其实施前所未有的经济处罚。"
TRADITIONAL = "美國和歐洲盟友威脅稱,如果莫斯科襲擊烏克蘭,將對其實施前所未有的經濟處罰。"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("gb18030", "gb18030"),
        ("big5", "big5hkscs"),
        ("Big5-HKSCS", "big5hkscs"),
        ("utf8", "utf-8"),
        ("UTF-8", "utf-8"),
        ("latin1", "cp1252"),
        ("iso-8859-1", "cp1252"),
        ("x-unknown", None),
        (None, None),
        ("", None),
    ],
)
def test_charset_labels_map_to_the_codec_that_reads_them(
    label: str | None, codec: str | None
) -> None:
    assert normalise_encoding(label) == codec


def test_utf8_is_read_as_is() -> None:
    decoded = decode_bytes(SIMPLIFIED.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.replaced) == (SIMPLIFIED, "utf-8", False)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_byte_order_marks_choose_the_encoding_and_are_dropped(bom: bytes, codec: str) -> None:
    decoded = decode_bytes(bom + "标题 Title".encode(codec))
    assert decoded.text == "标题 Title"
    assert decoded.method == "bom"


def test_gbk_without_declaration_is_detected_as_gb18030() -> None:
    decoded = decode_bytes(SIMPLIFIED.encode("gbk"))
    assert (decoded.text, decoded.encoding, decoded.method) == (SIMPLIFIED, "gb18030", "detected")


def test_big5_without_declaration_is_detected_as_big5hkscs() -> None:
    decoded = decode_bytes(TRADITIONAL.encode("big5"))
    assert (decoded.text, decoded.encoding) == (TRADITIONAL, "big5hkscs")


def test_a_few_chinese_characters_in_a_mostly_ascii_page_are_still_found() -> None:
    page = (
        b"<script>" + b"var x = 1; " * 300 + b"</script><title>" + "中国新闻网站标题".encode("gbk")
    )
    assert decode_bytes(page).text.endswith("中国新闻网站标题")


def test_western_text_with_one_pound_sign_is_cp1252_not_japanese() -> None:
    data = "Chelsea paid a £15.8m fee for the striker last summer, the club said.".encode("cp1252")
    decoded = decode_bytes(data)
    assert decoded.encoding == "cp1252"
    assert "£15.8m" in decoded.text


def test_meta_charset_in_html_is_honoured() -> None:
    html = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
    )
    data = html + "<p>中文</p>".encode("gbk")
    assert sniff_declared(data) == "gb18030"
    decoded = decode_bytes(data)
    assert (decoded.method, decoded.encoding) == ("meta", "gb18030")
    assert "中文" in decoded.text


def test_html5_meta_charset_is_found() -> None:
    assert sniff_declared(b'<!doctype html><meta charset="big5"><p>x') == "big5hkscs"
    assert sniff_declared(b'<?xml version="1.0" encoding="GBK"?><rss/>') == "gb18030"


def test_a_declared_charset_wins_over_the_page_meta() -> None:
    data = b'<meta charset="utf-8"><p>' + "繁體".encode("big5")
    decoded = decode_bytes(data, declared="big5")
    assert (decoded.method, decoded.text.endswith("繁體")) == ("declared", True)


def test_a_wrong_declaration_falls_through_to_what_decodes() -> None:
    decoded = decode_bytes("naïve café".encode(), declared="ascii-nonsense")
    assert decoded.text == "naïve café"


def test_undecodable_bytes_are_replaced_and_reported_not_raised() -> None:
    data = bytes(range(256)) * 4
    decoded = decode_bytes(data)
    assert decoded.replaced
    assert decoded.method == "fallback"
    assert "\ufffd" in decoded.text


def test_empty_bytes_decode_to_empty_text() -> None:
    assert decode_bytes(b"").text == ""


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True),
        (b"PK\x03\x04\x14\x00\x00\x00", True),
        (bytes(range(1, 32)) * 20, True),
        ("标题\n正文".encode("gbk"), False),
        (b"plain text\r\nwith lines\tand tabs", False),
        (codecs.BOM_UTF16_LE + "hi".encode("utf-16-le"), False),
        (b"", False),
    ],
)
def test_binary_files_are_told_apart_from_text(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary
