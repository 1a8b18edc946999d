"""The review queue: the home page after sign-in."""

from flask import Blueprint, render_template, request
from sqlmodel import func, select

from ..db import get_session
from ..models import CASE_STATUSES, OPEN_STATUSES, Case, User, utcnow

bp = Blueprint("queue", __name__)
PAGE_SIZE = 50


@bp.route("/")
def index():
    session = get_session()
    status = request.args.get("status", "open")
    query = select(Case, User).outerjoin(User, User.id == Case.assignee_id)
    if status == "open":
        query = query.where(Case.status.in_(OPEN_STATUSES))
    elif status in CASE_STATUSES:
        query = query.where(Case.status == status)
    query = query.order_by(Case.due_at.is_(None), Case.due_at, Case.id).limit(PAGE_SIZE)
    rows = session.exec(query).all()
    counts = dict(session.exec(select(Case.status, func.count()).group_by(Case.status)).all())
    return render_template(
        "queue/index.html", rows=rows, counts=counts, status=status, statuses=CASE_STATUSES,
        now=utcnow(),
    )
