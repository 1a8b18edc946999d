"""Report rows as JSON and as CSV that spreadsheet tools open correctly."""

import csv
import io
import json


def as_json(rows: list[dict] | dict) -> str:
    """Pretty JSON with Chinese kept readable."""
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n"


def _cell(value):
    return "true" if value is True else "false" if value is False else value


def as_csv(rows: list[dict], fields: tuple[str, ...]) -> str:
    """CSV with a UTF-8 byte-order mark, so spreadsheet tools read Chinese names right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    # Plain lists rather than csv.DictWriter: a report can have a hundred thousand rows.
    writer.writerows([_cell(row.get(field)) for field in fields] for row in rows)
    return out.getvalue()
