"""Golden-file tests: every fixture page and JSON Lines record against its expected fields."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from moderation.intake import Record, RecordError, iter_records, normalise_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "intake"
EXPECTED = sorted((FIXTURES / "pages").glob("*.expected.json"))


def _page_for(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    (page,) = [p for p in expected.parent.glob(stem + ".*") if not p.name.endswith(".json")]
    return page


def _check_record(record: Record, want: dict) -> None:
    page = record.page
    for name in (
        "title",
        "claimed_source",
        "publisher",
        "language",
        "url",
        "url_origin",
        "encoding",
    ):
        if name in want:
            assert getattr(record, name) == want[name], name
    if "published_at" in want:
        stated = want["published_at"]
        assert record.published_at == (datetime.fromisoformat(stated) if stated else None)
    if "original_title" in want:
        assert page.original_title == want["original_title"]
    if "segment_languages" in want:
        assert [s.language for s in page.segments] == want["segment_languages"]
    body = page.body
    if "body_starts" in want:
        assert body.startswith(want["body_starts"])
    if "body_ends" in want:
        assert body.endswith(want["body_ends"])
    for text in want.get("body_includes", []):
        assert text in body
    for text in want.get("body_excludes", []):
        assert text not in body, text
    for text in want.get("warnings_include", []):
        assert any(text in warning for warning in record.warnings)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_fixture_page_yields_its_expected_fields(expected: Path) -> None:
    want = json.loads(expected.read_text(encoding="utf-8"))
    page_file = _page_for(expected)
    (result,) = list(iter_records(page_file))
    if "error_contains" in want:
        assert isinstance(result, RecordError)
        assert want["error_contains"] in result.reason
        assert result.source == page_file
        return
    assert isinstance(result, Record), str(result)
    _check_record(result, want)
    if want.get("url_origin") == "file":
        assert result.url == page_file.resolve().as_uri()
    if want.get("body_is_file_after_title"):
        text = page_file.read_bytes().decode(want.get("encoding", "utf-8"))
        assert normalise_text(result.page.body) == normalise_text(text.split("\n", 1)[1])


def test_there_are_a_dozen_golden_pages() -> None:
    assert len(EXPECTED) >= 12


def test_jsonl_fixture_gives_records_and_errors_line_by_line() -> None:
    source = FIXTURES / "jsonl" / "mixed.jsonl"
    want = json.loads((FIXTURES / "jsonl" / "mixed.expected.json").read_text(encoding="utf-8"))
    results = list(iter_records(source))
    assert [(r.line, r.ok) for r in results] == [(w["line"], w["ok"]) for w in want]
    for result, expected in zip(results, want, strict=True):
        assert result.source == source
        if isinstance(result, RecordError):
            assert expected["reason_contains"] in result.reason
            assert f"line {expected['line']}" in str(result)
            continue
        _check_record(result, expected)
        if "warning_contains" in expected:
            assert any(expected["warning_contains"] in w for w in result.warnings)
