"""Reading inputs: folders, URLs for files, limits, and bad input reported line by line."""

import json
import shutil
from pathlib import Path

import pytest

from moderation.intake import MAX_PAGE_BYTES, Record, RecordError, URLError, iter_records

PAGES = Path(__file__).parents[1] / "fixtures" / "intake" / "pages"
BBC = PAGES / "bbc_business_001.txt"


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    return path


def test_a_folder_is_walked_recursively_in_order_skipping_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    shutil.copy(BBC, tmp_path / "b" / "deeper" / "one.txt")
    shutil.copy(PAGES / "ledger_port_strike.html", tmp_path / "a.html")
    shutil.copy(BBC, tmp_path / ".hidden.txt")
    shutil.copy(BBC, tmp_path / ".git" / "x.txt")
    results = list(iter_records(tmp_path))
    assert [r.source for r in results] == [
        tmp_path / "a.html",
        tmp_path / "b" / "deeper" / "one.txt",
    ]
    assert all(r.ok for r in results)


def test_files_get_base_url_plus_their_relative_path(tmp_path: Path) -> None:
    (tmp_path / "2022" / "01").mkdir(parents=True)
    shutil.copy(BBC, tmp_path / "2022" / "01" / "bus news.txt")
    (record,) = iter_records(tmp_path, base_url="https://www.uscntv.com/archive")
    assert record.url == "https://uscntv.com/archive/2022/01/bus%20news.txt"
    assert record.url_origin == "base_url"
    (single,) = iter_records(BBC, base_url="https://www.uscntv.com/archive/")
    assert single.url == "https://uscntv.com/archive/bbc_business_001.txt"


def test_files_without_any_url_get_their_file_uri() -> None:
    (record,) = iter_records(str(BBC))
    assert record.url == BBC.resolve().as_uri()
    assert record.url_origin == "file"


def test_an_html_page_canonical_link_beats_base_url() -> None:
    (record,) = iter_records(PAGES / "ledger_port_strike.html", base_url="https://mirror.example/")
    assert record.url == "https://harbourledger.example/business/2023/03/14/dock-workers-strike"
    assert record.url_origin == "page"


def test_an_invalid_base_url_is_a_programmer_error() -> None:
    with pytest.raises(URLError):
        list(iter_records(BBC, base_url="not a web address"))


def test_the_publisher_argument_fills_records_that_name_none(tmp_path: Path) -> None:
    source = _jsonl(
        tmp_path / "r.jsonl",
        {"url": "https://a.example/1", "text": "Title one\n\nBody one is here."},
        {"url": "https://a.example/2", "text": "Title two\n\nBody two.", "publisher": "Stated"},
    )
    first, second = iter_records(source, publisher="BBC News")
    assert (first.publisher, second.publisher) == ("BBC News", "Stated")
    assert first.title == "Title one"
    assert first.page.body == "Body one is here."
    assert first.text == "Title one\n\nBody one is here."


def test_stated_record_fields_win_over_extracted_ones(tmp_path: Path) -> None:
    text = (PAGES / "seed_biden_putin.txt").read_text(encoding="utf-8")
    source = _jsonl(
        tmp_path / "r.jsonl",
        {
            "url": "https://uscntv.com/x",
            "text": text,
            "title": "Given title",
            "claimed_source": "Given source",
            "published_at": "2022-01-01T08:00:00+08:00",
            "language": "zh-CN",
        },
    )
    (record,) = iter_records(source)
    assert (record.title, record.claimed_source, record.language) == (
        "Given title",
        "Given source",
        "zh-CN",
    )
    assert record.published_at.isoformat() == "2022-01-01T08:00:00+08:00"
    # The page's own headline is not mistaken for body: the date line still marks the header.
    assert record.page.claimed_source == "美国新闻网"
    assert record.page.body.startswith("周四,乔·拜登总统")
    assert [s.language for s in record.page.segments] == ["zh", "en"]


def test_a_huge_page_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as handle:
        handle.write(b"<html><body><p>")
        handle.truncate(50 * 1024 * 1024)
    (error,) = iter_records(huge)
    assert isinstance(error, RecordError)
    assert "50.0 MB" in error.reason and f"{MAX_PAGE_BYTES // 2**20} MB limit" in error.reason


def test_a_huge_jsonl_line_is_refused_and_the_next_line_still_read(tmp_path: Path) -> None:
    source = tmp_path / "big.jsonl"
    with source.open("w") as handle:
        handle.write(
            json.dumps({"url": "https://a.example/big", "text": "x" * (MAX_PAGE_BYTES + 10)}) + "\n"
        )
        handle.write(
            json.dumps({"url": "https://a.example/ok", "text": "Fine\n\nA small record."}) + "\n"
        )
    error, record = iter_records(source)
    assert isinstance(error, RecordError) and error.line == 1 and "limit" in error.reason
    assert isinstance(record, Record) and record.line == 2 and record.url == "https://a.example/ok"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.jsonl", b"", "empty"),
        ("blank.jsonl", b"\n\n  \n", "no records"),
        ("blank.txt", b"   \n\t\n", "white space"),
        ("image.txt", b"GIF89a\x01\x00\x01\x00\x00\x00\x00" * 10, "binary"),
        ("archive.jsonl", b"PK\x03\x04\x00\x00" * 10, "binary"),
        ("notes.docx", b"anything", "not a file the desk reads"),
        (
            "markup.html",
            b"<html><body><script>var a = 1;</script></body></html>",
            "no article text",
        ),
    ],
)
def test_bad_files_are_reported_with_a_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    (tmp_path / name).write_bytes(content)
    (error,) = iter_records(tmp_path / name)
    assert isinstance(error, RecordError)
    assert reason in error.reason
    assert error.source == tmp_path / name


def test_a_missing_path_is_reported_and_the_rest_still_read(tmp_path: Path) -> None:
    missing, record = iter_records([tmp_path / "nope", BBC])
    assert isinstance(missing, RecordError) and "no such file or folder" in missing.reason
    assert isinstance(record, Record)


def test_jsonl_tolerates_a_byte_order_mark_and_reports_non_utf8_lines(tmp_path: Path) -> None:
    source = tmp_path / "r.jsonl"
    good = json.dumps({"url": "https://a.example/1", "text": "T\n\nBody."}).encode()
    source.write_bytes(
        b"\xef\xbb\xbf"
        + good
        + b"\n"
        + '{"url": "https://a.example/2", "text": "中文"}'.encode("gbk")
        + b"\n"
    )
    record, error = iter_records(source)
    assert isinstance(record, Record)
    assert isinstance(error, RecordError) and error.line == 2 and "UTF-8" in error.reason


def test_an_html_record_with_text_too_reads_the_html_and_says_so(tmp_path: Path) -> None:
    source = _jsonl(
        tmp_path / "r.jsonl",
        {
            "url": "https://a.example/1",
            "text": "ignored",
            "html": "<h1>Head</h1><p>Paragraph of the story.</p>",
        },
    )
    (record,) = iter_records(source)
    assert record.html and record.page.body == "Paragraph of the story."
    assert any("both" in warning for warning in record.warnings)


def test_a_record_error_prints_where_and_why() -> None:
    error = RecordError(Path("exports/a.jsonl"), 7, 'the record has no "url"')
    assert str(error) == 'exports/a.jsonl, line 7: the record has no "url"'
    assert str(RecordError(Path("x.txt"), None, "the file is empty")) == "x.txt: the file is empty"
    assert error.ok is False and Record.ok is True


def test_records_keep_the_raw_input_as_evidence(tmp_path: Path) -> None:
    (page,) = iter_records(PAGES / "site_night_bus_gbk.txt")
    assert page.raw == (PAGES / "site_night_bus_gbk.txt").read_bytes()
    assert page.raw_text == page.text and page.raw_text.startswith("欧洲新闻网 |")
    line = json.dumps({"url": "https://a.example/1", "html": "<p>Body of the story.</p>"}).encode()
    (tmp_path / "r.jsonl").write_bytes(line + b"\n")
    (record,) = iter_records(tmp_path / "r.jsonl")
    assert record.raw == line + b"\n"
    assert record.raw_text == "<p>Body of the story.</p>"
