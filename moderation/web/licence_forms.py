"""Forms of the licence register: the licence's terms, its publisher, revoking it."""

import posixpath
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..library.licences import MAX_DOCUMENT_BYTES
from ..models import LICENCE_KINDS
from ..plumbing.labels import LICENCE_KIND

# What an agreement may be uploaded as, and the type it is served back with. The type comes
# from this table, never from the browser, so an upload cannot make itself HTML.
DOCUMENT_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "gif": "image/gif", "webp": "image/webp", "tif": "image/tiff", "tiff": "image/tiff",
    "txt": "text/plain",
}


def document_name(filename: str | None) -> str:
    """The uploaded file's own name, kept readable (Chinese included) but without folders
    or control characters."""
    name = posixpath.basename((filename or "").replace("\\", "/"))
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).strip()
    return name[-255:] or "document"


def document_type(name: str) -> str | None:
    return DOCUMENT_TYPES.get(name.rpartition(".")[2].lower()) if "." in name else None


class LicenceForm(FlaskForm):
    """The terms of a licence; its publisher is chosen only when it is recorded."""

    kind = SelectField(_l("Kind"),
                       choices=[SelectChoice(k, LICENCE_KIND[k]) for k in LICENCE_KINDS])
    full_repost = BooleanField(_l("Whole articles may be reposted"))
    excerpt_limit = IntegerField(
        _l("Excerpts up to (characters)"),
        validators=[Optional(), NumberRange(min=1, max=10_000_000,
                                            message=_l("Give a number of characters above zero, "
                                                       "or leave it empty."))],
        render_kw={"min": 1, "inputmode": "numeric"})
    translation_allowed = BooleanField(_l("Translations allowed"))
    photos = BooleanField(_l("The publisher's photos (e.g. an agency subscription)"))
    credit_wording = StringField(_l("Credit wording required"), validators=[Length(max=300)])
    valid_from = DateField(_l("Valid from"), validators=[Optional()])
    valid_to = DateField(_l("Valid until (included)"), validators=[Optional()])
    reference = StringField(_l("Reference"), validators=[Length(max=300)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=20_000)], render_kw={"rows": 4})
    document = FileField(_l("Signed agreement (PDF, image or text; up to 20 MB)"),
                         render_kw={"accept": ",".join(f".{ext}" for ext in DOCUMENT_TYPES)})
    submit = SubmitField(_l("Save"))
    upload: tuple[str, bytes, str] | None = None  # set by validate_document

    def validate_valid_to(self, field):
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError(_l("The licence ends before it starts; check the dates."))

    def validate_document(self, field):
        """Read the upload here, at most one byte past the limit, so an oversized file is
        refused (in words, by the field) without being held whole."""
        self.upload = None
        upload = field.data
        if not upload or not getattr(upload, "filename", None):
            return
        name = document_name(upload.filename)
        if document_type(name) is None:
            raise ValidationError(_l("Upload a PDF, an image (PNG, JPEG, GIF, WebP, TIFF) or a "
                                     "text file."))
        data = upload.read(MAX_DOCUMENT_BYTES + 1)
        if not data:
            raise ValidationError(_l("The uploaded file is empty."))
        if len(data) > MAX_DOCUMENT_BYTES:
            raise ValidationError(_l("The document is larger than 20 MB."))
        self.upload = (name, data, document_type(name))

    def values(self) -> dict:
        """The terms as licences.create/update take them."""
        return {"kind": self.kind.data, "full_repost": bool(self.full_repost.data),
                "excerpt_limit": self.excerpt_limit.data,
                "translation_allowed": bool(self.translation_allowed.data),
                "photos": bool(self.photos.data),
                "credit_wording": self.credit_wording.data or "",
                "valid_from": self.valid_from.data, "valid_to": self.valid_to.data,
                "reference": self.reference.data or "", "notes": self.notes.data or ""}


class NewLicenceForm(LicenceForm):
    # Choices (the publishers on record, after an empty one) are filled in by the view.
    publisher = SelectField(_l("Publisher"), choices=[])
    new_publisher = StringField(_l("or a new publisher's name"), validators=[Length(max=200)])

    def validate_publisher(self, field):
        chosen = field.data not in (None, "") and str(field.data).isdigit()
        named = bool((self.new_publisher.data or "").strip())
        if chosen == named:
            raise ValidationError(_l("Choose a publisher from the list, or give a new "
                                     "publisher's name (not both)."))


class RevokeForm(FlaskForm):
    confirm = BooleanField(_l("I understand that the licence stops covering any copy at once."),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Revoke the licence"))
