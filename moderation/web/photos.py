"""Pictures shown to staff: claimed photos and our pages' pictures, redrawn as small PNGs."""

import io

from flask import Blueprint, abort, send_file

from ..models import ArticleImage, Photo, RawDocument
from ..photos.decode import PhotoError, load_photo
from ..plumbing.db import get_session, reads_only

bp = Blueprint("photos", __name__, url_prefix="/photos")
# Shown beside each other on the case page; large enough to compare, small to send.
SHOWN_SIZE = 480


def _redrawn(raw_id: int | None):
    """The picture decoded and encoded again as PNG: the bytes a claimant sent are never
    served as they came (no SVG, no polyglot file, nothing a browser could run)."""
    raw = get_session().get(RawDocument, raw_id) if raw_id else None
    if raw is None:
        abort(404)
    try:
        image = load_photo(raw.data, working_size=SHOWN_SIZE).image
    except PhotoError:
        abort(404)
    out = io.BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    response = send_file(out, mimetype="image/png", max_age=3600)
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@bp.route("/claimed/<int:photo_id>.png")
@reads_only
def claimed_picture(photo_id: int):
    photo = get_session().get(Photo, photo_id) or abort(404)
    return _redrawn(photo.raw_id)


@bp.route("/ours/<int:image_id>.png")
@reads_only
def our_picture(image_id: int):
    image = get_session().get(ArticleImage, image_id) or abort(404)
    return _redrawn(image.raw_id)
