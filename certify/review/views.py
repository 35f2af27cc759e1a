"""Coordinators assign assessors; assessors declare ties, confirm independence or decline."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from certify.accounts.models import Role, User
from certify.accounts.organisations import organisation_choices
from certify.audit.services import history as audit_history
from certify.errors import DomainError
from certify.extensions import db
from certify.questionnaire import services as questionnaire_services
from certify.questionnaire.assessment import outcome_view
from certify.questionnaire.models import Application
from certify.review import (
    appeals,
    clarification,
    comparison,
    decisions,
    forms,
    notifications,
    rubric_scores,
    staffing,
)
from certify.review.models import Assignment, AssignmentStatus, ConflictDeclaration
from certify.transitions import active_assignments
from certify.web.access import STAFF, require, roles_required
from certify.web.actions import carry_out
from certify.web.forms import select_choices
from certify.web.i18n import current_language
from certify.workflow import State, states

bp = Blueprint("review", __name__, url_prefix="/review")

#: states in which the scores side by side (and the decision) can be seen


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
    applications = staffing.review_queue(db.session)
    teams = {a.id: active_assignments(db.session, a) for a in applications}
    return render_template("review/queue.html", applications=applications, teams=teams)


def _team_form(application: Application) -> forms.TeamForm:
    form = forms.TeamForm()
    load = staffing.workloads(db.session)
    people = staffing.assessors(db.session)
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
    team = active_assignments(db.session, application)
    conflicts = {
        p.id: staffing.conflicts_of(db.session, p, application) for p in staffing.assessors(db.session)
    }
    entries = audit_history(db.session, application.id)
    spread = comparison.compare(db.session, application).spread if application.state == State.SCORED else None
    return render_template(
        "review/team.html",
        application=application,
        form=form,
        team=team,
        conflicts=conflicts,
        entries=entries,
        spread=spread,
        appeal=appeals.appeal_of(db.session, application),
        appeal_assignment=appeals.appeal_assignment(db.session, application),
        assessors=staffing.assessors(db.session),
        levels=questionnaire_services.standard_of(application).levels,
        can_decide=current_user.has_role(Role.COORDINATOR),
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
        created = staffing.assign_assessors(
            db.session, application, [u for u in chosen if u], lead, current_user
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _render_team(application, form, error.status)
    db.session.commit()
    notifications.assigned(application, [a.assessor for a in created])
    flash(_("The team is saved. Each assessor is asked to confirm independence."), "success")
    return redirect(url_for("review.team", application_id=application.id))


@bp.post("/applications/<int:application_id>/start")
@roles_required(*STAFF)
def start(application_id: int):
    """Open the review when the whole team has confirmed independence."""
    application = db.get_or_404(Application, application_id)
    return carry_out(
        lambda: staffing.start_review(db.session, application, current_user),
        back_to=url_for("review.team", application_id=application.id),
        success_to=url_for("review.queue"),
        done=_("The review has started."),
    )


@bp.get("/assignments")
@roles_required(Role.ASSESSOR)
def assignments():
    """The assessor's assignments, with confirm and decline."""
    rows = staffing.assignments_of(db.session, current_user)
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
    return carry_out(
        lambda: staffing.confirm_independence(db.session, assignment, current_user),
        back_to=url_for("review.assignments"),
        done=_("Thank you: your independence is recorded."),
    )


@bp.post("/assignments/<int:assignment_id>/decline")
@roles_required(Role.ASSESSOR)
def decline(assignment_id: int):
    """Decline an assignment, giving the reason."""
    assignment = _own_assignment(assignment_id)
    form = forms.DeclineForm()
    if not form.validate_on_submit():
        flash(_("Please give the reason for declining."), "danger")
        return redirect(url_for("review.assignments")), 422
    return carry_out(
        lambda: staffing.decline_assignment(db.session, assignment, current_user, form.reason.data),
        back_to=url_for("review.assignments"),
        done=_("The assignment is declined; the coordinator will choose someone else."),
        category="info",
    )


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
            staffing.declare_conflict(
                db.session,
                current_user,
                organisation_id=form.organisation_id.data,
                region=form.region.data or "",
                note=form.note.data or "",
            )
        except DomainError as error:
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


def _scoring_context(assignment: Assignment) -> dict:
    application = assignment.application
    standard = questionnaire_services.standard_of(application)
    submitted = assignment.scores_submitted_at is not None
    return {
        "assignment": assignment,
        "application": application,
        "standard": standard,
        "answers": questionnaire_services.load_answers(db.session, application),
        "evidence": questionnaire_services.evidence_by_target(db.session, application),
        "scores": comparison.scores_of(db.session, assignment),
        "feedback": comparison.feedback_of(db.session, assignment),
        # Blind scoring: the others' scores appear only once this assessor's own are submitted.
        "others": _others_scores(assignment) if submitted else {},
        "editable": not submitted and assignment.status == AssignmentStatus.CONFIRMED,
        "clarifications": clarification.all_requests(db.session, application),
        "can_ask": not submitted and application.state in (State.IN_REVIEW, State.CLARIFICATION_REQUESTED),
        "language": current_language(),
    }


def _others_scores(assignment: Assignment) -> dict[str, list[tuple[str, int | None]]]:
    others: dict[str, list[tuple[str, int | None]]] = {}
    for other in active_assignments(db.session, assignment.application):
        if other.id == assignment.id or other.scores_submitted_at is None:
            continue
        for indicator_id, row in comparison.scores_of(db.session, other).items():
            others.setdefault(indicator_id, []).append(
                (other.assessor.full_name(current_language()), row.score)
            )
    return others


def _posted_scores(standard) -> tuple[dict, dict]:
    scores, feedback = {}, {}
    for indicator in standard.indicators():
        raw = request.form.get(f"score-{indicator.id}", "")
        value = int(raw) if raw.isdigit() else None
        scores[indicator.id] = (value, request.form.get(f"comment-{indicator.id}", "")[:5000])
    for area in standard.areas:
        feedback[area.id] = (
            request.form.get(f"strengths-{area.id}", "")[:5000],
            request.form.get(f"improvements-{area.id}", "")[:5000],
        )
    return scores, feedback


@bp.route("/assignments/<int:assignment_id>/scores", methods=["GET", "POST"])
@roles_required(Role.ASSESSOR)
def scores(assignment_id: int):
    """Score each indicator 0–4 against its rubric beside the answers and evidence; save or submit."""
    assignment = _own_assignment(assignment_id)
    status = 200
    if request.method == "POST":
        standard = questionnaire_services.standard_of(assignment.application)
        try:
            posted_scores, posted_feedback = _posted_scores(standard)
            rubric_scores.save_scores(db.session, assignment, scores=posted_scores, feedback=posted_feedback)
            if request.form.get("submit") == "final":
                rubric_scores.submit_scores(db.session, assignment, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            status = error.status
        else:
            db.session.commit()
            if assignment.application.state == State.SCORED:
                notifications.scores_complete(assignment.application)
            flash(
                _("Your scores are submitted.") if assignment.scores_submitted_at else _("Draft saved."),
                "success",
            )
            return redirect(url_for("review.scores", assignment_id=assignment.id))
    return render_template("review/scores.html", **_scoring_context(assignment)), status


@bp.route("/applications/<int:application_id>/consensus", methods=["GET", "POST"])
@roles_required(Role.ASSESSOR, *STAFF)
def consensus(application_id: int):
    """The submitted scores side by side, divergences flagged; the lead records the consensus."""
    application = db.get_or_404(Application, application_id)
    team = active_assignments(db.session, application)
    is_lead = any(a.assessor_id == current_user.id and a.is_lead for a in team)
    require(is_lead or current_user.has_role(*STAFF))
    if application.state not in states.SCORES_COMPARED:
        abort(404)
    status, outcome = 200, None
    if request.method == "POST":
        if not is_lead:
            abort(403)
        try:
            outcome = rubric_scores.record_consensus(
                db.session, application, current_user, _posted_consensus(application)
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            status = error.status
        else:
            db.session.commit()
            notifications.consensus_recorded(application)
            flash(_("The consensus is recorded."), "success")
            return redirect(url_for("review.consensus", application_id=application.id))
    submitted, rows, spread = comparison.compare(db.session, application)
    recorded = comparison.consensus_of(db.session, application)
    if recorded and outcome is None:
        outcome = comparison.assessed_outcome(
            db.session, application, {i: r.score for i, r in recorded.items()}
        )
    return render_template(
        "review/consensus.html",
        application=application,
        standard=questionnaire_services.standard_of(application),
        team=submitted,
        rows=rows,
        spread=spread,
        recorded=recorded,
        outcome=outcome_view(questionnaire_services.standard_of(application), outcome) if outcome else None,
        can_record=is_lead and application.state == State.SCORED,
        can_decide=current_user.has_role(Role.COORDINATOR) and application.state == State.CONSENSUS,
        decision=decisions.decision_of(db.session, application),
        levels=questionnaire_services.standard_of(application).levels,
        level_names={
            lv.id: lv.name.get(current_language())
            for lv in questionnaire_services.standard_of(application).levels
        },
        computed_level_id=outcome.level.id if outcome and outcome.level else None,
        language=current_language(),
    ), status


def _posted_consensus(application) -> dict[str, tuple[int, str]]:
    posted = {}
    for indicator in questionnaire_services.standard_of(application).indicators():
        raw = request.form.get(f"score-{indicator.id}", "")
        if raw.isdigit():
            posted[indicator.id] = (int(raw), request.form.get(f"justification-{indicator.id}", "")[:5000])
    return posted


@bp.post("/applications/<int:application_id>/decision")
@roles_required(Role.COORDINATOR)
def decision(application_id: int):
    """Certify at a level or not, with reasons; a departure from the computed level needs a justification."""
    application = db.get_or_404(Application, application_id)
    return carry_out(
        lambda: decisions.decide(
            db.session,
            application,
            current_user,
            chosen_level=request.form.get("level") or None,
            reasons=request.form.get("reasons", "")[:10_000],
            justification=request.form.get("justification", "")[:10_000],
        ),
        back_to=url_for("review.consensus", application_id=application.id),
        done=_("The decision is recorded."),
        then=lambda: notifications.decided(application, certified=application.state == State.CERTIFIED),
    )


@bp.post("/assignments/<int:assignment_id>/clarification")
@roles_required(Role.ASSESSOR)
def request_clarification(assignment_id: int):
    """Ask the manager about named indicators; the manager may then change only those answers."""
    assignment = _own_assignment(assignment_id)
    question = request.form.get("question", "")[:10_000]
    return carry_out(
        lambda: clarification.request_clarification(
            db.session, assignment, current_user, request.form.getlist("indicators"), question
        ),
        back_to=url_for("review.scores", assignment_id=assignment.id),
        done=_("Your question is sent to the manager."),
        then=lambda: notifications.clarification_requested(assignment.application, question.strip()),
    )


@bp.post("/applications/<int:application_id>/third-assessor")
@roles_required(*STAFF)
def third_assessor(application_id: int):
    """When the totals differ by 30 points or more, reopen the review so a third assessor can join."""
    application = db.get_or_404(Application, application_id)
    return carry_out(
        lambda: rubric_scores.add_third_assessor(db.session, application, current_user),
        back_to=url_for("review.team", application_id=application.id),
        done=_("Choose the third assessor below; their scores join the consensus."),
        category="info",
    )


@bp.post("/applications/<int:application_id>/appeal-assessor")
@roles_required(*STAFF)
def appeal_assessor(application_id: int):
    """Give the appeal to an assessor who took no part in the review."""
    application = db.get_or_404(Application, application_id)
    assessor = db.session.get(User, request.form.get("assessor", type=int) or 0)
    if assessor is None:
        flash(_("Choose the assessor for the appeal."), "danger")
        return redirect(url_for("review.team", application_id=application.id)), 422
    return carry_out(
        lambda: appeals.assign_appeal_assessor(db.session, application, current_user, assessor),
        back_to=url_for("review.team", application_id=application.id),
        done=_("The appeal assessor is asked to confirm independence."),
        then=lambda: notifications.assigned(application, [assessor]),
    )


@bp.post("/applications/<int:application_id>/appeal-decision")
@roles_required(Role.COORDINATOR)
def appeal_decision(application_id: int):
    """Decide the appeal: uphold or change the decision, with reasons."""
    application = db.get_or_404(Application, application_id)
    return carry_out(
        lambda: appeals.decide_appeal(
            db.session,
            application,
            current_user,
            chosen_level=request.form.get("level") or None,
            reasons=request.form.get("reasons", "")[:10_000],
            justification=request.form.get("justification", "")[:10_000],
        ),
        back_to=url_for("review.team", application_id=application.id),
        done=_("The appeal is decided."),
        then=lambda: notifications.decided(application, certified=application.state == State.CERTIFIED),
    )
