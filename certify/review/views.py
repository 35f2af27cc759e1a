"""Coordinators assign assessors; assessors declare ties, confirm independence or decline."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from certify.accounts.models import Role, User
from certify.accounts.organisations import organisation_choices
from certify.extensions import db
from certify.questionnaire.models import Application
from certify.review import forms, services
from certify.review.models import Assignment, AssignmentStatus, ConflictDeclaration
from certify.web.access import STAFF, require, roles_required
from certify.web.forms import select_choices
from certify.web.i18n import current_language

bp = Blueprint("review", __name__, url_prefix="/review")

ASSIGNMENT_STATUS_LABELS = {
    AssignmentStatus.PENDING: _l("waiting for confirmation"),
    AssignmentStatus.CONFIRMED: _l("independence confirmed"),
    AssignmentStatus.DECLINED: _l("declined"),
}


@bp.app_context_processor
def review_labels():
    return {
        "assignment_status_label": lambda status: ASSIGNMENT_STATUS_LABELS[AssignmentStatus(status)],
        "conflict_text": lambda conflict: _(conflict.message) % conflict.params,
    }


@bp.get("/")
@roles_required(*STAFF)
def queue():
    """Submitted applications and those in review, with their teams and the assessors' workload."""
    applications = services.review_queue(db.session)
    teams = {a.id: services.active_assignments(db.session, a) for a in applications}
    return render_template("review/queue.html", applications=applications, teams=teams)


def _team_form(application: Application) -> forms.TeamForm:
    form = forms.TeamForm()
    load = services.workloads(db.session)
    people = services.assessors(db.session)
    form.assessors.choices = select_choices(
        (
            p.id,
            _(
                "%(name)s — open assignments: %(n)d",
                name=p.full_name(current_language()),
                n=load.get(p.id, 0),
            ),
        )
        for p in people
    )
    form.lead.choices = select_choices(
        [(0, _l("— choose —"))] + [(p.id, p.full_name(current_language())) for p in people]
    )
    return form


def _render_team(application: Application, form, status: int = 200):
    team = services.active_assignments(db.session, application)
    conflicts = {
        p.id: services.conflicts_of(db.session, p, application) for p in services.assessors(db.session)
    }
    return render_template(
        "review/team.html", application=application, form=form, team=team, conflicts=conflicts
    ), status


@bp.get("/applications/<int:application_id>/team")
@roles_required(*STAFF)
def team(application_id: int):
    """Choose the assessors of an application; anyone tied to the applicant is marked and refused."""
    application = db.get_or_404(Application, application_id)
    return _render_team(application, _team_form(application))


@bp.post("/applications/<int:application_id>/team")
@roles_required(*STAFF)
def assign(application_id: int):
    application = db.get_or_404(Application, application_id)
    form = _team_form(application)
    if not form.validate_on_submit():
        return _render_team(application, form, 422)
    chosen = [db.session.get(User, user_id) for user_id in form.assessors.data]
    lead = db.session.get(User, form.lead.data) if form.lead.data else None
    try:
        services.assign_assessors(db.session, application, [u for u in chosen if u], lead, current_user)
    except services.ReviewError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _render_team(application, form, error.status)
    db.session.commit()
    flash(_("The team is saved. Each assessor is asked to confirm independence."), "success")
    return redirect(url_for("review.team", application_id=application.id))


@bp.post("/applications/<int:application_id>/start")
@roles_required(*STAFF)
def start(application_id: int):
    """Open the review when the whole team has confirmed independence."""
    application = db.get_or_404(Application, application_id)
    try:
        services.start_review(db.session, application, current_user)
    except services.ReviewError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("review.team", application_id=application.id)), error.status
    db.session.commit()
    flash(_("The review has started."), "success")
    return redirect(url_for("review.queue"))


@bp.get("/assignments")
@roles_required(Role.ASSESSOR)
def assignments():
    """The assessor's assignments, with confirm and decline."""
    rows = services.assignments_of(db.session, current_user)
    return render_template("review/assignments.html", rows=rows, decline_form=forms.DeclineForm())


def _own_assignment(assignment_id: int) -> Assignment:
    assignment = db.get_or_404(Assignment, assignment_id)
    require(assignment.assessor_id == current_user.id)
    return assignment


@bp.post("/assignments/<int:assignment_id>/confirm")
@roles_required(Role.ASSESSOR)
def confirm(assignment_id: int):
    """Confirm independence from the applicant."""
    assignment = _own_assignment(assignment_id)
    try:
        services.confirm_independence(db.session, assignment, current_user)
    except services.ReviewError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("review.assignments")), error.status
    db.session.commit()
    flash(_("Thank you: your independence is recorded."), "success")
    return redirect(url_for("review.assignments"))


@bp.post("/assignments/<int:assignment_id>/decline")
@roles_required(Role.ASSESSOR)
def decline(assignment_id: int):
    """Decline an assignment, giving the reason."""
    assignment = _own_assignment(assignment_id)
    form = forms.DeclineForm()
    if not form.validate_on_submit():
        flash(_("Please give the reason for declining."), "danger")
        return redirect(url_for("review.assignments")), 422
    try:
        services.decline_assignment(db.session, assignment, current_user, form.reason.data)
    except services.ReviewError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("review.assignments")), error.status
    db.session.commit()
    flash(_("The assignment is declined; the coordinator will choose someone else."), "info")
    return redirect(url_for("review.assignments"))


@bp.route("/conflicts", methods=["GET", "POST"])
@roles_required(Role.ASSESSOR)
def conflicts():
    """Declare the organisations and regions the assessor is tied to."""
    form = forms.ConflictForm()
    form.organisation_id.choices = select_choices(
        [(0, _l("— none —")), *organisation_choices(db.session, current_language())]
    )
    status = 200
    if form.validate_on_submit():
        try:
            services.declare_conflict(
                db.session,
                current_user,
                organisation_id=form.organisation_id.data,
                region=form.region.data or "",
                note=form.note.data or "",
            )
        except services.ReviewError as error:
            db.session.rollback()
            flash(error.message, "danger")
            status = error.status
        else:
            db.session.commit()
            flash(_("Your declaration is recorded."), "success")
            return redirect(url_for("review.conflicts"))
    declarations = db.session.scalars(
        sa.select(ConflictDeclaration).where(ConflictDeclaration.assessor_id == current_user.id)
    ).all()
    return render_template("review/conflicts.html", form=form, declarations=declarations), status
