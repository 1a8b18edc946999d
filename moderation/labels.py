"""Human names for the codes stored in the database, in the reader's language."""

from flask_babel import lazy_gettext as _l

STATUS = {
    "new": _l("New"),
    "open": _l("Open"),
    "in_review": _l("In review"),
    "needs_info": _l("Needs information"),
    "resolved_removed": _l("Removed"),
    "resolved_kept": _l("Kept"),
    "duplicate": _l("Duplicate"),
    "withdrawn": _l("Withdrawn"),
    "counter_notice": _l("Counter-notice"),
    "restored": _l("Restored"),
    "upheld": _l("Upheld"),
    "published": _l("Published"),
    "removed": _l("Removed"),
}
KIND = {
    "verbatim": _l("Verbatim copy"),
    "excerpt": _l("Excerpt"),
    "edited": _l("Edited copy"),
    "translation": _l("Translation"),
    "none": _l("No match"),
}
LANGUAGE = {"zh": _l("Chinese"), "en": _l("English"), "other": _l("Other language")}


def label(table: dict, code: str | None) -> str:
    """The translated name of a code, or the code itself when it has none."""
    if code is None:
        return "—"
    return str(table.get(code, code))
