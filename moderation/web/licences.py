"""The licence register: list, record, edit, revoke, and the signed agreements."""

from datetime import date
from functools import wraps
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import and_, func, or_, select

from ..library import complaints, licences
from ..models import ROLES, AuditEvent, Case, Licence, Publisher, RawDocument, utcnow
from ..plumbing.db import get_session
from .licence_forms import DOCUMENT_TYPES, LicenceForm, NewLicenceForm, RevokeForm
from .security import admin_required

bp = Blueprint("licences", __name__, url_prefix="/licences")
PAGE_SIZE = 50
STATUSES = {"active": _l("In force"), "not_yet_valid": _l("Not yet valid"),
            "expired": _l("Expired"), "revoked": _l("Revoked")}
# Names for the fields an audit event of a licence can show as changed.
FIELD_NAMES = {
    "kind": _l("Kind"), "full_repost": _l("Whole articles may be reposted"),
    "excerpt_limit": _l("Excerpts up to (characters)"),
    "translation_allowed": _l("Translations allowed"),
    "photos": _l("The publisher's photos (e.g. an agency subscription)"),
    "credit_wording": _l("Credit wording required"), "valid_from": _l("Valid from"),
    "valid_to": _l("Valid until (included)"), "reference": _l("Reference"), "notes": _l("Notes"),
    "publisher_id": _l("Publisher"), "document_name": _l("Signed agreement"),
    "revoked_at": _l("Revoked"),
}


def staff_required(view):
    """Reviewers and administrators may look; any other role (none yet) may not."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if getattr(current_user, "role", None) not in ROLES:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def today() -> date:
    # The same day the review rules use (review.licence_for_case), so pages and rules agree.
    return utcnow().date()


def status(licence: Licence, on: date) -> str:
    if licence.revoked_at is not None:
        return "revoked"
    if licence.valid_from and on < licence.valid_from:
        return "not_yet_valid"
    if licence.valid_to and on > licence.valid_to:
        return "expired"
    return "active"


def _status_filter(code: str, on: date):
    """The SQL twin of ``status``, so the list can filter and page in the database."""
    live = Licence.revoked_at.is_(None)
    return {
        "revoked": Licence.revoked_at.is_not(None),
        "not_yet_valid": and_(live, Licence.valid_from > on),
        "expired": and_(live, Licence.valid_to < on),
        "active": and_(live, or_(Licence.valid_from.is_(None), Licence.valid_from <= on),
                       or_(Licence.valid_to.is_(None), Licence.valid_to >= on)),
    }[code]


@bp.route("/")
@staff_required
def index():
    session = get_session()
    on = today()
    publisher_id = request.args.get("publisher", type=int)
    code = request.args.get("status", "")
    code = code if code in STATUSES else ""
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = select(Licence, Publisher).join(Publisher, Publisher.id == Licence.publisher_id)
    if publisher_id:
        query = query.where(Licence.publisher_id == publisher_id)
    if code:
        query = query.where(_status_filter(code, on))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Publisher.name, Licence.id.desc())
                        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    publishers = session.exec(select(Publisher).where(
        Publisher.id.in_(select(Licence.publisher_id))).order_by(Publisher.name)).all()
    return render_template("licences/index.html", rows=rows, total=total, page=page,
                           page_size=PAGE_SIZE, publishers=publishers, publisher_id=publisher_id,
                           code=code, statuses=STATUSES, status=lambda lic: status(lic, on))


def _licence(licence_id: int) -> Licence:
    return get_session().get(Licence, licence_id) or abort(404)


def _publisher(session, form: NewLicenceForm) -> Publisher:
    """The chosen publisher, or the one the new name (or one of its aliases) already names,
    or a new one: typing an existing name must not make a twin."""
    if form.publisher.data:
        return session.get(Publisher, int(form.publisher.data)) or abort(400)
    name = " ".join(form.new_publisher.data.split())[:200]
    for publisher in session.exec(select(Publisher)):
        if name.casefold() in {n.casefold() for n in [publisher.name, *publisher.aliases]}:
            return publisher
    publisher = Publisher(name=name)
    session.add(publisher)
    session.flush()
    return publisher


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    session = get_session()
    form = NewLicenceForm()
    form.publisher.choices = [("", _("— choose —"))] + [
        (str(p.id), p.name) for p in session.exec(select(Publisher).order_by(Publisher.name))]
    if request.method == "GET" and request.args.get("publisher", "").isdigit():
        form.publisher.data = request.args["publisher"]
    if form.validate_on_submit():
        try:
            licence = licences.create(session, publisher=_publisher(session, form),
                                      actor=current_user._get_current_object(),
                                      values=form.values(), document=form.upload)
        except licences.LicenceError as exc:
            session.rollback()
            form.form_errors.append(str(exc))
        else:
            session.commit()
            flash(_("Licence recorded."), "success")
            return redirect(url_for("licences.detail", licence_id=licence.id))
    return render_template("licences/form.html", form=form, licence=None, publisher=None)


@bp.route("/<int:licence_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(licence_id: int):
    session = get_session()
    licence = _licence(licence_id)
    form = LicenceForm(obj=licence)
    if form.validate_on_submit():
        try:
            licences.update(session, licence, actor=current_user._get_current_object(),
                            values=form.values(), document=form.upload)
        except licences.LicenceError as exc:
            session.rollback()
            form.form_errors.append(str(exc))
        else:
            session.commit()
            flash(_("Licence saved."), "success")
            return redirect(url_for("licences.detail", licence_id=licence.id))
    publisher = session.get(Publisher, licence.publisher_id)
    return render_template("licences/form.html", form=form, licence=licence, publisher=publisher)


@bp.route("/<int:licence_id>/revoke", methods=["POST"])
@admin_required
def revoke(licence_id: int):
    session = get_session()
    licence = _licence(licence_id)
    if not RevokeForm().validate_on_submit():
        flash(_("Tick the box to confirm; the licence was not revoked."), "error")
    elif licences.revoke(session, licence, actor=current_user._get_current_object()):
        session.commit()
        flash(_("Licence revoked."), "success")
    else:
        flash(_("The licence was already revoked."), "info")
    return redirect(url_for("licences.detail", licence_id=licence.id))


def _changes(event: AuditEvent) -> list[tuple[str, object, object]]:
    before, after = event.before or {}, event.after or {}
    return [(str(FIELD_NAMES.get(key, key)), before.get(key), after.get(key))
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


@bp.route("/<int:licence_id>")
@staff_required
def detail(licence_id: int):
    session = get_session()
    licence = _licence(licence_id)
    publisher = session.get(Publisher, licence.publisher_id)
    events = session.exec(select(AuditEvent).where(
        AuditEvent.object_type == "licence", AuditEvent.object_id == str(licence.id))
        .order_by(AuditEvent.seq)).all()
    cases = session.exec(select(Case).where(Case.licence_id == licence.id)
                         .order_by(Case.id.desc())).all()
    history = complaints.history(session, {licence.publisher_id}).get(licence.publisher_id)
    return render_template(
        "licences/detail.html", licence=licence, publisher=publisher, cases=cases,
        events=[(event, _changes(event)) for event in events], history=history,
        status=status(licence, today()), statuses=STATUSES, revoke_form=RevokeForm(),
        credit=licences.credit_line(publisher.name, licence))


def content_disposition(name: str) -> str:
    """An attachment header every browser reads: an ASCII fallback, and the real name
    (Chinese included) per RFC 5987."""
    fallback = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\;' else "_"
                       for ch in name) or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@bp.route("/<int:licence_id>/document")
@staff_required
def document(licence_id: int):
    licence = _licence(licence_id)
    raw = get_session().get(RawDocument, licence.document_id) if licence.document_id else None
    if raw is None:
        abort(404)
    # Only the types uploads are stored as; anything else is offered as opaque bytes.
    known = raw.content_type in DOCUMENT_TYPES.values()
    response = current_app.response_class(
        raw.data, mimetype=raw.content_type if known else "application/octet-stream")
    response.headers["Content-Disposition"] = content_disposition(
        licence.document_name or f"licence-{licence.id}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even if a browser opened it in place, nothing in it may run.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
