"""Administration: staff accounts and the audit log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from .. import accounts
from ..models import AuditEvent, User
from ..plumbing import audit
from ..plumbing.db import get_session
from .forms import NewUserForm, UserUpdateForm
from .security import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
AUDIT_PAGE = 100


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    session = get_session()
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                session=session, email=form.email.data, password=form.password.data,
                role=form.role.data, actor=current_user,
            )
        except accounts.AccountError as exc:
            session.rollback()
            flash(str(exc), "error")
        else:
            session.commit()
            flash(_("Account %(email)s added.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    people = session.exec(select(User).order_by(User.email)).all()
    forms = {}
    for person in people:
        update = UserUpdateForm(prefix=f"u{person.id}", formdata=None)
        update.role.data, update.active.data = person.role, person.active
        forms[person.id] = update
    return render_template("admin/users.html", form=form, people=people, forms=forms)


@bp.route("/users/<int:user_id>", methods=["POST"])
@admin_required
def update_user(user_id: int):
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    form = UserUpdateForm(prefix=f"u{user.id}")
    if form.validate_on_submit():
        try:
            accounts.update_user(
                session=session, user=user, actor=current_user,
                role=form.role.data, active=bool(form.active.data),
            )
        except accounts.AccountError as exc:
            session.rollback()
            flash(str(exc), "error")
        else:
            session.commit()
            flash(_("Account %(email)s saved.", email=user.email), "success")
    else:
        flash(_("The form was not valid; nothing was changed."), "error")
    return redirect(url_for("admin.users"))


@bp.route("/audit")
@admin_required
def audit_log():
    session = get_session()
    before = request.args.get("before", type=int)
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(AUDIT_PAGE)
    if before:
        query = query.where(AuditEvent.seq < before)
    events = session.exec(query).all()
    report = audit.verify(session) if request.args.get("verify") else None
    return render_template("admin/audit.html", events=events, report=report, page=AUDIT_PAGE)
