"""Reports drawn from the database: every figure can be recomputed from the tables.

May import: plumbing, models, intake, library, replies, cases. Imported by: photos, provenance
(the labelled examples export), web, commands.
"""

from .documents import FORMATS, REPORTS, build, chart_set, render
from .exports import as_csv, as_json
from .period import Period
from .provenance import PROVENANCE_FIELDS, PUBLISHER_FIELDS, provenance_report, provenance_rows
from .runs import ReportMailError, generate, latest
from .transparency import TRANSPARENCY_FIELDS, transparency_report, transparency_table

__all__ = [
    "FORMATS", "PROVENANCE_FIELDS", "PUBLISHER_FIELDS", "REPORTS", "TRANSPARENCY_FIELDS",
    "Period", "ReportMailError", "as_csv", "as_json", "build", "chart_set", "generate", "latest",
    "provenance_report", "provenance_rows", "render", "transparency_report", "transparency_table",
]
