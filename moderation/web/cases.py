"""A case: the evidence, the thread, and the reviewer's actions (each a thin POST)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import accounts, cases
from ..cases import casefile, decisions, drafts, photo_decisions, restoration
from ..library import licences
from ..models import Case, Original, User, utcnow
from ..photos import case_photos
from ..photos import claims as photo_claims
from ..plumbing.db import get_session, reads_only
from ..provenance import review, review_decisions
from .forms import EmptyForm

bp = Blueprint("cases", __name__, url_prefix="/cases")


def _load(case_id: int) -> Case:
    return get_session().get(Case, case_id) or abort(404)


def _version() -> int:
    value = request.form.get("version", "")
    if not value.isdigit():
        abort(400)
    return int(value)


@bp.route("/<int:case_id>")
@reads_only
def detail(case_id: int):
    session = get_session()
    case = _load(case_id)
    reviewers = accounts.active_staff(session,
                                      max_age=current_app.config["SETTINGS_MAX_AGE_SECONDS"])
    file = casefile.gather(session, case, staff=reviewers)
    return render_template(
        "cases/detail.html", file=file, case=case, form=EmptyForm(), reviewers=reviewers,
        drafts=drafts.Lazy(lambda: drafts.for_case(  # only the open cases' forms use them
            file, site_name=str(current_app.config["SITE_NAME"]),
            overrides=current_app.config.get("REPLY_TEMPLATES"))),
        reasons=drafts.reason_choices(str(get_locale())), undo_grace=decisions.UNDO_GRACE, now=utcnow(),
        **_photo_context(session, case, file),
        **_licence_context(session, case, file),
    )


def _photo_context(session, case: Case, file: casefile.CaseFile) -> dict:
    """Claimed photos beside ours, the pictures of ours at issue with the drafts of a photo
    decision, and the photo decisions taken."""
    claimed = _claimed_photos(session, file)
    pictures = (case_photos.pictures_at_issue(session, case, claimed)
                if claimed or case.kind == "review" else [])
    # Photo decisions are read only for a case with a page decided that way (no extra query
    # on every other case page).
    decided = (case_photos.photo_decisions(session, case)
               if any(row.target.decision in photo_decisions.PHOTO_ACTIONS
                      for row in file.targets) else [])
    open_case = case.status in ("new", "open", "in_review", "needs_info")
    photo_drafts = drafts.Lazy(lambda: photo_decisions.photo_drafts(
        file, [(p["article_url"], p["article_title"]) for p in pictures],
        site_name=str(current_app.config["SITE_NAME"]),
        overrides=current_app.config.get("REPLY_TEMPLATES"))) if pictures and open_case else {}
    return {"claimed_photos": claimed, "photos_at_issue": pictures,
            "photo_decisions": decided, "photo_drafts": photo_drafts}


def _claimed_photos(session, file: casefile.CaseFile) -> list:
    """The photos the case's messages claim, each with the pictures of ours it matches; a case
    whose mail carries or names no picture costs no query."""
    ids = [message.id for direction, message in file.thread
           if direction == "in" and photo_claims.mentions_pictures(message)]
    found = photo_claims.claimed_photos(session, ids) if ids else {}
    return [claim for message_id in ids for claim in found.get(message_id, [])]


def _licence_context(session, case: Case, file: casefile.CaseFile) -> dict:
    """Review items: the licences to choose from and the proposed credit; takedown cases: the
    licence that covers the pages, if one does."""
    if case.kind == "review":
        publishers = {o.publisher_id for o in (session.get(Original, i)
                                               for i in review_decisions.pairs_of(case))
                      if o is not None and o.publisher_id}
        on_file = licences.for_publishers(session, publishers)
        return {"review_licences": [lic for rows in on_file.values() for lic in rows
                                    if lic.revoked_at is None],
                "proposed_credit": review_decisions.proposed_credit(session, case)}
    # Only pages of ours can be covered by a licence.
    return {"covering_licence": review.licence_for_case(session, case)
            if any(row.article for row in file.targets) else None}


def _act(case_id: int, action, success: str):
    """Run one action in one transaction; a stale form gets 409, a refusal a message."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    case = _load(case_id)
    user = current_user._get_current_object()
    try:
        action(session, case, user, _version())
        session.commit()
    except cases.CaseConflict:
        session.rollback()
        return render_template("errors/409.html", code=409), 409
    except (cases.CaseError, decisions.DecisionError) as exc:
        session.rollback()
        flash(_("Not done: %(reason)s", reason=str(exc)), "error")
    else:
        flash(success, "success")
    return redirect(url_for("cases.detail", case_id=case_id))


def _sender() -> str:
    return str(current_app.config["MAIL_FROM"])


@bp.route("/<int:case_id>/claim", methods=["POST"])
def claim(case_id: int):
    return _act(case_id, lambda s, c, u, v: cases.claim(s, c, user=u, expected_version=v),
                _("The case is yours."))


@bp.route("/<int:case_id>/release", methods=["POST"])
def release(case_id: int):
    return _act(case_id, lambda s, c, u, v: cases.release(s, c, user=u, expected_version=v),
                _("The case is back in the queue."))


@bp.route("/<int:case_id>/assign", methods=["POST"])
def assign(case_id: int):
    session = get_session()
    chosen = request.form.get("assignee", "")
    assignee = session.get(User, int(chosen)) if chosen.isdigit() else None
    if chosen and (assignee is None or not assignee.active):
        abort(400)
    return _act(case_id, lambda s, c, u, v: cases.assign(s, c, actor=u, assignee=assignee,
                                                         expected_version=v),
                _("Assignment saved."))


@bp.route("/<int:case_id>/request-info", methods=["POST"])
def request_info(case_id: int):
    return _act(case_id, lambda s, c, u, v: decisions.request_info(
        s, c, user=u, version=v, reply_subject=request.form.get("subject", ""),
        reply_body=request.form.get("body", ""), sender=_sender()),
        _("The claimant is asked for the missing information; the clock is paused."))


@bp.route("/<int:case_id>/decide", methods=["POST"])
def decide(case_id: int):
    choices = []
    for key, value in request.form.items():
        if key.startswith("action-") and key[7:].isdigit() and value:
            target_id = int(key[7:])
            choices.append(decisions.TargetChoice(
                target_id, value, request.form.get(f"reason-{target_id}", "")))
    return _act(case_id, lambda s, c, u, v: decisions.decide(
        s, c, user=u, version=v, choices=choices,
        statement=request.form.get("statement", ""),
        reply_subject=request.form.get("subject", ""), reply_body=request.form.get("body", ""),
        sender=_sender()), _("Decision recorded; the claimant's reply is queued."))


@bp.route("/<int:case_id>/decide-photo", methods=["POST"])
def decide_photo(case_id: int):
    choices = []
    for key, value in request.form.items():
        if key.startswith("photo-") and key[6:].isdigit() and value:
            image_id = int(key[6:])
            choices.append(photo_decisions.PhotoChoice(
                image_id, value, request.form.get(f"photo-reason-{image_id}", ""),
                request.form.get(f"photo-replacement-{image_id}", "")))
    return _act(case_id, lambda s, c, u, v: photo_decisions.decide_photos(
        s, c, user=u, version=v, choices=choices,
        statement=request.form.get("statement", ""),
        reply_subject=request.form.get("subject", ""), reply_body=request.form.get("body", ""),
        sender=_sender()), _("Photo decision recorded; the claimant's reply is queued."))


@bp.route("/<int:case_id>/reject", methods=["POST"])
def reject(case_id: int):
    reason = request.form.get("reason", "")
    if reason not in drafts.REJECT_REASONS:
        abort(400)
    return _act(case_id, lambda s, c, u, v: decisions.reject(
        s, c, user=u, version=v, reason=reason, reply_subject=request.form.get("subject", ""),
        reply_body=request.form.get("body", ""), sender=_sender()),
        _("The notice is rejected; the reply is queued."))


@bp.route("/<int:case_id>/merge", methods=["POST"])
def merge(case_id: int):
    target = request.form.get("into", "").lstrip("#")
    into = get_session().get(Case, int(target)) if target.isdigit() else None
    if into is None:
        flash(_("There is no case with that number."), "error")
        return redirect(url_for("cases.detail", case_id=case_id))
    return _act(case_id, lambda s, c, u, v: decisions.merge(s, c, user=u, version=v, into=into),
                _("Closed as a duplicate of case %(id)s.", id=into.id))


@bp.route("/<int:case_id>/notice-kind", methods=["POST"])
def correct_notice_kind(case_id: int):
    from ..cases import corrections as notice_corrections

    kind = request.form.get("kind", "")[:20]
    return _act(case_id, lambda s, c, u, v: notice_corrections.correct_kind(
        s, c, user=u, version=v, kind=kind), _("The notice's type is corrected."))


@bp.route("/<int:case_id>/withdraw", methods=["POST"])
def withdraw(case_id: int):
    return _act(case_id, lambda s, c, u, v: decisions.withdraw(s, c, user=u, version=v),
                _("The case is closed as withdrawn."))


@bp.route("/<int:case_id>/restore", methods=["POST"])
def restore(case_id: int):
    return _act(case_id, lambda s, c, u, v: restoration.restore(s, c, actor=u, version=v,
                                                              config=current_app.config),
                _("The pages are put back."))


@bp.route("/<int:case_id>/uphold", methods=["POST"])
def uphold(case_id: int):
    return _act(case_id, lambda s, c, u, v: restoration.uphold(s, c, user=u, version=v),
                _("The removal is upheld."))


@bp.route("/<int:case_id>/undo", methods=["POST"])
def undo(case_id: int):
    return _act(case_id, lambda s, c, u, v: decisions.undo(s, c, user=u, version=v),
                _("The decision is undone; the case is back in review."))
