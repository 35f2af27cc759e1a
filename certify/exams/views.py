"""The exam pages: a candidate's exams, the timed attempt and its result; staff's exams and attempts in full.

Every request here first closes the attempts past their deadline (`close_overdue_attempts`), so that an
attempt ends on time whether or not its candidate comes back. The rules are in `certify.exams.attempts`.
"""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from certify.exams import attempts, listings, pages, registrations
from certify.exams.attempts import AttemptRefused
from certify.exams.models import AttemptEnd, Exam, ExamAttempt, PassMarkMethod
from certify.exams.records import result_from_data
from certify.extensions import db
from certify.timeutil import as_utc, utcnow
from certify.web.access import APPLYING_PERSONS, STAFF, require, roles_required
from certify.web.actions import carry_out
from certify.web.i18n import current_language

bp = Blueprint("exams", __name__)


@bp.before_request
def close_overdue_attempts():
    """Close and score every attempt past its deadline, in its own transaction, before this request."""
    if attempts.close_overdue(db.session):
        db.session.commit()


@bp.get("/exams/")
@roles_required(*APPLYING_PERSONS)
def index():
    """The exams open now, each to start or resume, and the candidate's finished attempts."""
    return render_template(
        "exams/index.html",
        open_exams=listings.open_exams(db.session, current_user, utcnow()),
        finished=listings.closed_attempts_of(db.session, current_user),
    )


@bp.post("/exams/<int:exam_id>/start")
@roles_required(*APPLYING_PERSONS)
def start(exam_id: int):
    """Start an attempt, or resume the one in progress (a second tab lands on the same attempt)."""
    exam = db.get_or_404(Exam, exam_id)
    return carry_out(
        # the id, not the attempt: read after the commit, the attempt would be loaded again for it
        lambda: registrations.start_attempt(db.session, exam, current_user).id,
        back_to=url_for("exams.index"),
        done=None,
        success_to=lambda attempt_id: url_for("exams.attempt", attempt_id=attempt_id),
    )


@bp.get("/exams/attempts/<int:attempt_id>")
@roles_required(*APPLYING_PERSONS)
def attempt(attempt_id: int):
    """The attempt: every item on one page, the time left, each answer saved as it is chosen."""
    attempt = _own(attempt_id)
    if not attempt.is_open:
        return redirect(url_for("exams.result", attempt_id=attempt.id))
    if attempt.is_registered:
        flash(_("Your form is ready: the time starts when you press “Start the attempt”."), "info")
        return redirect(url_for("exams.index"))
    items = pages.attempt_items(db.session, attempt, current_language())
    return render_template("exams/attempt.html", attempt=attempt, items=items, **pages.time_left(attempt))


@bp.post("/exams/attempts/<int:attempt_id>/answers")
@roles_required(*APPLYING_PERSONS)
def save(attempt_id: int):
    """Save the answers sent (the page's script sends one item at a time); JSON for the script."""
    attempt = attempts.locked_attempt(db.session, attempt_id)
    require(attempt is not None and attempt.candidate_id == current_user.id)
    try:
        rows = attempts.save_answers(db.session, attempt, _posted_answers(), locked=True)
    except AttemptRefused as error:
        db.session.rollback()
        if not _wants_json():
            flash(error.message, "danger")
            return redirect(url_for("exams.attempt", attempt_id=attempt.id), 303)
        return jsonify(_refusal(attempt, error)), error.status
    # Read before the commit, which expires the attempt: after it, the attempt would be loaded again.
    saved = {row.item_id: as_utc(row.saved_at).isoformat() if row.saved_at else None for row in rows}
    time_left, attempt_url = pages.time_left(attempt), url_for("exams.attempt", attempt_id=attempt.id)
    db.session.commit()
    if not _wants_json():
        flash(_("Your answers are saved."), "success")
        return redirect(attempt_url, 303)
    return jsonify(saved=True, items=saved, **time_left)


@bp.post("/exams/attempts/<int:attempt_id>/submit")
@roles_required(*APPLYING_PERSONS)
def submit(attempt_id: int):
    """Save the answers on the page and close the attempt; a second submission changes nothing."""
    attempt = _own(attempt_id)
    result_page = url_for("exams.result", attempt_id=attempt.id)
    return carry_out(
        lambda: attempts.submit_attempt(db.session, attempt, _posted_answers()),
        back_to=result_page,
        done=_closing_message,
        category="info",
    )


@bp.get("/exams/attempts/<int:attempt_id>/status")
@roles_required(*APPLYING_PERSONS)
def status(attempt_id: int):
    """Whether the attempt is still open and the seconds left, for the page's countdown after a reconnect."""
    attempt = _own(attempt_id)
    result_url = url_for("exams.result", attempt_id=attempt.id)
    if attempt.is_registered:  # no clock yet: the page of a running attempt never asks this
        return jsonify(open=True, started=False, result_url=result_url)
    return jsonify(open=attempt.is_open, started=True, result_url=result_url, **pages.time_left(attempt))


@bp.get("/exams/attempts/<int:attempt_id>/result")
@roles_required(*APPLYING_PERSONS)
def result(attempt_id: int):
    """The result per area and overall; the rationales of the items missed once the window has closed."""
    attempt = _own(attempt_id)
    if attempt.is_open:
        return redirect(url_for("exams.attempt", attempt_id=attempt.id))
    view = pages.result_view(db.session, attempt, current_language())
    return render_template("exams/result.html", attempt=attempt, view=view)


@bp.get("/admin/exams/")
@roles_required(*STAFF)
def staff_index():
    """Every exam with its window, pass mark and attempts counted."""
    return render_template("exams/staff_index.html", summaries=listings.exam_summaries(db.session, utcnow()))


@bp.get("/admin/exams/<int:exam_id>")
@roles_required(*STAFF)
def staff_exam(exam_id: int):
    """One exam's attempts, each to open in full."""
    exam = db.get_or_404(Exam, exam_id)
    rows = listings.attempts_on(db.session, exam)
    return render_template("exams/staff_exam.html", exam=exam, attempts=rows)


@bp.get("/admin/exams/attempts/<int:attempt_id>")
@roles_required(*STAFF)
def staff_attempt(attempt_id: int):
    """An attempt in full: every item as shown, the key, the answer and when it was saved, the result."""
    attempt = db.get_or_404(ExamAttempt, attempt_id)
    return render_template(
        "exams/staff_attempt.html",
        attempt=attempt,
        items=pages.all_items(db.session, attempt, current_language()),
        result=result_from_data(attempt.result) if attempt.result else None,
    )


def _own(attempt_id: int) -> ExamAttempt:
    """The current candidate's attempt; anyone else's is not found (its existence is not revealed)."""
    attempt = db.get_or_404(ExamAttempt, attempt_id)
    require(attempt.candidate_id == current_user.id)
    return attempt


def _posted_answers() -> dict[str, list[str]]:
    """Item id -> the options ticked, for every item the page sent (`item`; none ticked: cleared)."""
    return {item: request.form.getlist(f"answer-{item}") for item in request.form.getlist("item")}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _refusal(attempt: ExamAttempt, error: AttemptRefused) -> dict:
    return {
        "saved": False,
        "message": str(error.message),
        "closed_at": error.closed_at.isoformat() if error.closed_at else None,
        "result_url": url_for("exams.result", attempt_id=attempt.id) if error.closed_at else None,
    }


def _closing_message(attempt: ExamAttempt) -> str:
    if attempt.closed_how == AttemptEnd.TIMED_OUT:
        return _(
            "The time had run out at %(time)s; the answers saved before then were scored.",
            time=attempts.moment(as_utc(attempt.closed_at)),
        )
    return _("Your attempt is submitted.")


@bp.app_context_processor
def exam_labels():
    return {"attempt_status_label": attempt_status_label, "pass_mark_method_label": pass_mark_method_label}


def attempt_status_label(attempt: ExamAttempt) -> str:
    if attempt.is_registered:
        return _("registered, not started")
    if attempt.closed_how is None:
        return _("in progress")
    return {AttemptEnd.SUBMITTED: _("submitted"), AttemptEnd.TIMED_OUT: _("time ran out")}[
        AttemptEnd(attempt.closed_how)
    ]


def pass_mark_method_label(method: str) -> str:
    return {PassMarkMethod.FIXED: _("fixed"), PassMarkMethod.ANGOFF: _("modified Angoff")}[
        PassMarkMethod(method)
    ]


# The staff's statistics and Angoff pages live in their own module, on this blueprint.
from certify.exams import quality_views  # noqa: E402, F401
