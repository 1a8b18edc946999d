"""Report rows as JSON and as CSV that spreadsheet tools open correctly."""

import csv
import io
import json


def as_json(rows: list[dict] | dict) -> str:
    """Pretty JSON with Chinese kept readable."""
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n"


def as_csv(rows: list[dict], fields: tuple[str, ...]) -> str:
    """CSV with a UTF-8 byte-order mark, so spreadsheet tools read Chinese names right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("true" if v is True else "false" if v is False else v)
                         for k, v in row.items()})
    return out.getvalue()
