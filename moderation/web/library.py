"""Import uploads and raw sources, shared by the articles and originals pages."""

import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from .. import provenance
from ..intake import decode_bytes, iter_records
from ..library.imports import store_records
from ..models import RawDocument
from ..plumbing.db import get_session
from .forms import ImportForm

MAX_SHOWN_FAILURES = 50


def handle_import(kind: str):
    """Show the upload form, or run the uploaded files through the same import as the CLI."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        uploads = [f for f in form.files.raw_data if f and f.filename]
        with tempfile.TemporaryDirectory(prefix="desk-import-") as folder:
            for number, upload in enumerate(uploads):
                name = secure_filename(upload.filename) or f"upload-{number}.txt"
                upload.save(Path(folder) / f"{number:04d}-{name}")
            records = iter_records([folder], publisher=form.publisher.data or None,
                                   base_url=form.base_url.data or None)
            report = store_records(
                get_session(), records, kind=kind, actor=current_user._get_current_object(),
                zone=ZoneInfo(str(current_app.config["SITE_TIMEZONE"])),
            )
        provenance.after_import(get_session(), provenance.get_index(), kind=kind,
                                changed_ids=report.changed_ids)
        # Failures name the temporary folder; show only the file part to the reader.
        report.failures = [f.replace(folder + "/", "") for f in report.failures]
        category = "error" if report.failed else "success"
        flash(_("Import finished: %(new)s new, %(updated)s updated, %(unchanged)s unchanged, "
                "%(failed)s failed.", new=report.new, updated=report.updated,
                unchanged=report.unchanged, failed=report.failed), category)
    return render_template("library/import.html", form=form, kind=kind, report=report,
                           shown=MAX_SHOWN_FAILURES)


def raw_source(raw_id: int | None):
    """The page's stored bytes, decoded for reading (never rendered as HTML)."""
    raw = get_session().get(RawDocument, raw_id) if raw_id else None
    if raw is None:
        return None
    decoded = decode_bytes(raw.data)
    return {"text": decoded.text, "encoding": decoded.encoding, "raw": raw}
