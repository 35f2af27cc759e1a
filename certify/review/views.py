"""The review's pages: staffing, blind scoring, consensus, decisions and appeals.

The workflow decides what may happen: each page gets `actions`, the set `transitions.allowed` gives for
the user, and shows a form only for an action in it. Every change goes through `carry_out`; a refusal is
shown in place, with what the user typed (see `_in_place`). The pages' contents are built in `pages.py`.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from certify.accounts.models import Role, User
from certify.accounts.organisations import organisation_choices
from certify.errors import DomainError
from certify.extensions import db
from certify.keyset import cursors_in
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.questionnaire.subject import staff_page
from certify.review import (
    appeals,
    blind,
    comparison,
    consensus_page,
    decisions,
    examiners,
    findings,
    forms,
    pages,
    rubric_scores,
    staffing,
)
from certify.review import queue as review_queue
from certify.review.models import Assignment, AssignmentStatus
from certify.transitions import active_assignments
from certify.web.access import STAFF, assignment_opens_application, is_staff, require, roles_required
from certify.web.actions import carry_out, in_place
from certify.web.forms import select_choices
from certify.web.i18n import current_language
from certify.workflow import ACTION_LABELS, Action, State

bp = Blueprint("review", __name__, url_prefix="/review")

ASSIGNMENT_STATUS_LABELS = {
    AssignmentStatus.PENDING: _l("waiting for confirmation"),
    AssignmentStatus.CONFIRMED: _l("independence confirmed"),
    AssignmentStatus.DECLINED: _l("declined"),
    AssignmentStatus.REMOVED: _l("removed from the team"),
}


@bp.app_context_processor
def review_labels():
    return {
        "assignment_status_label": lambda status: ASSIGNMENT_STATUS_LABELS[AssignmentStatus(status)],
        "conflict_text": lambda conflict: _(conflict.message) % conflict.params,
        # the labels of a set of actions, in the workflow's order
        "action_labels": lambda actions: [_(ACTION_LABELS[a]) for a in Action if a in actions],
    }


@bp.get("/")
@roles_required(*STAFF)
def queue():
    """Every application past its draft, filtered by state (by default those awaiting the body), each
    with its team, how long it has waited in its state and its next step."""
    return pages.render_queue(review_queue.QueueFilter.from_args(request.args), cursors_in(request.args))


@bp.get("/applications/<int:application_id>/team")
@roles_required(*STAFF)
def team(application_id: int):
    """Choose the assessors of an application; anyone tied to the applicant is marked and refused."""
    application = db.get_or_404(Application, application_id)
    if _before_examiners(application):  # examiners come after the theory exam: the admission page says so
        return redirect(staff_page(application))
    return pages.render_team(application)


def _before_examiners(application: Application) -> bool:
    """A candidate's application not yet admitted: it has no team page, only its admission."""
    return application.is_person and application.state in (State.DRAFT, State.SUBMITTED, State.WITHDRAWN)


@bp.post("/applications/<int:application_id>/team")
@roles_required(*STAFF)
def assign(application_id: int):
    """Make the ticked assessors the team (adding and removing) and name the lead."""
    application = db.get_or_404(Application, application_id)
    if _before_examiners(application):
        return redirect(staff_page(application), 303)
    form = pages.new_team_form()
    render = partial(pages.render_team, application, team_form=form)
    if not form.validate_on_submit():
        return render(422)
    chosen = [u for u in (db.session.get(User, i) for i in form.assessors.data or []) if u]
    lead = db.session.get(User, form.lead.data) if form.lead.data else None
    return carry_out(
        lambda: staffing.change_team(db.session, application, chosen, lead, current_user),
        back_to=url_for("review.team", application_id=application.id),
        done=_("The team is saved. Each assessor is asked to confirm independence."),
        refused=in_place(form, render),
    )


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
    return pages.render_assignments()


def _own_assignment(assignment_id: int) -> Assignment:
    assignment = db.get_or_404(Assignment, assignment_id)
    require(assignment.assessor_id == current_user.id)
    return assignment


def _open_assignment(assignment_id: int) -> Assignment:
    """The user's own assignment, while it opens the application (from confirmed independence until the
    decision); 404 otherwise, like any other denial."""
    assignment = _own_assignment(assignment_id)
    require(assignment_opens_application(assignment))
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
    render = partial(pages.render_assignments, decline_form=form, declining=assignment.id)
    if not form.validate_on_submit():
        return render(422)
    return carry_out(
        lambda: staffing.decline_assignment(db.session, assignment, current_user, form.reason.data),
        back_to=url_for("review.assignments"),
        done=_("The assignment is declined; the coordinator will choose someone else."),
        category="info",
        refused=in_place(form, render),
    )


@bp.route("/conflicts", methods=["GET", "POST"])
@roles_required(Role.ASSESSOR)
def conflicts():
    """Declare the organisations and regions the assessor is tied to."""
    form = forms.ConflictForm()
    form.organisation_id.choices = select_choices(
        [(0, _l("— none —")), *organisation_choices(db.session, current_language())]
    )
    render = partial(pages.render_conflicts, form)
    if not form.validate_on_submit():
        return render(422 if form.errors else 200)
    return carry_out(
        lambda: staffing.declare_conflict(
            db.session,
            current_user,
            organisation_id=form.organisation_id.data,
            region=form.region.data or "",
            note=form.note.data or "",
            candidate_id=examiners.candidate_id_by_email(db.session, form.candidate_email.data or ""),
            trained_on=form.trained_on.data,
        ),
        back_to=url_for("review.conflicts"),
        done=_("Your declaration is recorded."),
        refused=in_place(form, render),
    )


@bp.route("/assignments/<int:assignment_id>/scores", methods=["GET", "POST"])
@roles_required(Role.ASSESSOR)
def scores(assignment_id: int):
    """Score each indicator 0–4 against its rubric beside the answers and evidence, mark each file and
    "not applicable" answer; save or submit.

    Nothing typed is lost: a refusal shows the page again with every entry, and a refused submission
    (an indicator still unscored, a file unmarked, say) keeps the draft saved and names each one it lacks.
    """
    assignment = _open_assignment(assignment_id)
    if assignment.application.is_yearly_report:  # reviewed, not scored: its own page
        return redirect(url_for("monitoring.review", assignment_id=assignment.id), 303)
    if request.method == "GET":
        return pages.render_scores(assignment)
    standard = standard_of(assignment.application)
    items = findings.items_of(db.session, assignment.application)
    form = forms.scores_form(standard, current_language(), items)
    render = partial(pages.render_scores, assignment, scores_form=form)
    if not form.validate_on_submit():
        return render(422)
    back_to = url_for("review.scores", assignment_id=assignment.id)
    posted = forms.posted_scores(standard, form)
    return carry_out(
        lambda: _save_scores(assignment, posted, forms.posted_marks(items, form), final=form.final),
        back_to=back_to,
        done=None,
        refused=in_place(form, render),
        answer=lambda refusal: _scores_saved(form, render, back_to, refusal),
    )


def _save_scores(
    assignment: Assignment, posted: tuple[dict, dict], marks: findings.Marks, *, final: bool
) -> DomainError | None:
    """Save the draft and, if `final`, submit it. A refused submission is returned, not raised: it is
    undone alone (a savepoint), so the draft before it is committed all the same."""
    scores, feedback = posted
    rubric_scores.save_scores(db.session, assignment, scores=scores, feedback=feedback, marks=marks)
    if not final:
        return None
    try:
        with db.session.begin_nested():
            rubric_scores.submit_scores(db.session, assignment, current_user)
    except DomainError as refusal:
        return refusal
    return None


def _scores_saved(form, render, back_to: str, refusal: DomainError | None):
    """After the draft is committed: the scores page, or the page again with why they were not submitted."""
    if refusal is None:
        flash(_("Your scores are submitted.") if form.final else _("Draft saved."), "success")
        return redirect(back_to)
    form.form_errors += [_("Your draft is saved, but the scores are not submitted."), refusal.message]
    if isinstance(refusal, rubric_scores.ScoresMissing):
        for indicator_id in refusal.missing:
            field = form[f"score-{indicator_id}"]
            field.errors = [*field.errors, _("Score this indicator from 0 to 4 to submit.")]
        forms.show_unmarked(form, refusal.unmarked)
    return render(refusal.status)


@bp.post("/assignments/<int:assignment_id>/scores/autosave")
@roles_required(Role.ASSESSOR)
def autosave_scores(assignment_id: int):
    """The scoring page's script saves the draft while the assessor types: JSON, saved or why not.

    As in the questionnaire, an entry the form refuses holds back only itself: the rest is saved and the
    refused ones keep their saved value, each named with its reason (422). Autosave never submits.
    """
    assignment = _open_assignment(assignment_id)
    standard = standard_of(assignment.application)
    items = findings.items_of(db.session, assignment.application)
    form = forms.scores_form(standard, current_language(), items)
    form.validate()
    errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
    if "csrf_token" in errors:  # the form itself is wrong: nothing is saved
        return jsonify(saved=False, errors=errors), 422
    # a refused mark is no mark: posted_marks leaves out what is not one of its two answers
    posted = _leave_out(forms.posted_scores(standard, form), errors), forms.posted_marks(items, form)
    return carry_out(
        lambda: _save_scores(assignment, *posted, final=False),
        back_to=url_for("review.scores", assignment_id=assignment.id),
        done=None,
        refused=lambda error: (jsonify(saved=False, message=str(error.message)), error.status),
        answer=lambda saved: (jsonify(saved=False, errors=errors), 422) if errors else jsonify(saved=True),
    )


def _leave_out(posted: tuple[dict, dict], errors) -> tuple[dict, dict]:
    """The posted scores and feedback without the indicators and areas whose entries were refused."""
    scores, feedback = posted
    refused = {name.split("-", 1)[1] for name in errors if "-" in name}
    return (
        {i: entry for i, entry in scores.items() if i not in refused},
        {a: entry for a, entry in feedback.items() if a not in refused},
    )


@bp.post("/assignments/<int:assignment_id>/clarification")
@roles_required(Role.ASSESSOR)
def request_clarification(assignment_id: int):
    """Ask the manager about named indicators; the manager may then change only those answers."""
    assignment = _open_assignment(assignment_id)
    return pages.ask_for_clarification(
        assignment, pages.render_scores, back_to=url_for("review.scores", assignment_id=assignment.id)
    )


@bp.route("/applications/<int:application_id>/consensus", methods=["GET", "POST"])
@roles_required(Role.ASSESSOR, *STAFF)
def consensus(application_id: int):
    """The submitted scores side by side, divergences flagged; the lead checks the consensus, then records it.

    A first POST ("check") shows the total and level the consensus gives; only a POST of those very
    values ("record", with the check's token) records it. "edit" goes back to the form as it was.
    """
    return _consensus(_comparable(application_id), for_appeal=False)


@bp.route("/applications/<int:application_id>/appeal/consensus", methods=["GET", "POST"])
@roles_required(Role.ASSESSOR, *STAFF)
def appeal_consensus(application_id: int):
    """The appeal panel's scores side by side and its own consensus, as the review team's (`consensus`)."""
    application = db.get_or_404(Application, application_id)
    panel = appeals.appeal_panel(db.session, application)
    require(any(a.is_lead and a.assessor_id == current_user.id for a in panel) or is_staff(current_user))
    has_consensus = comparison.consensus_of(db.session, application, for_appeal=True)
    if not (appeals.panel_compared(db.session, application) or has_consensus):
        abort(404)
    return _consensus(application, for_appeal=True)


def _consensus(application: Application, *, for_appeal: bool):
    endpoint = "review.appeal_consensus" if for_appeal else "review.consensus"
    render = partial(consensus_page.render_consensus, application, for_appeal=for_appeal)
    if request.method == "GET":
        return render()
    standard = standard_of(application)
    items = findings.items_of(db.session, application)
    form = forms.consensus_form(standard, current_language(), items)
    render = partial(render, consensus_form=form)
    if not form.validate_on_submit():
        return render(422)
    if form.editing:
        return render()
    posted, marks = forms.posted_consensus(standard, form), forms.posted_marks(items, form)
    refused = _consensus_refused(form, render)
    if not (form.recording and forms.was_checked(form, application.id, current_user.id, posted, marks)):
        return _check_consensus(application, posted, marks, render, refused)
    return carry_out(
        lambda: rubric_scores.record_consensus(db.session, application, current_user, posted, marks=marks),
        back_to=url_for(endpoint, application_id=application.id),
        done=_("The consensus is recorded."),
        refused=refused,
    )


def _comparable(application_id: int) -> Application:
    """The application whose scores the user may compare: its lead (while confirmed) or staff; 404 else."""
    application = db.get_or_404(Application, application_id)
    leads = {
        a.assessor_id
        for a in active_assignments(db.session, application)
        if a.is_lead and assignment_opens_application(a)
    }
    require(current_user.id in leads or is_staff(current_user))
    require(not blind.kept_blind(db.session, current_user, application))
    if not blind.scores_compared(application):
        abort(404)
    return application


def _check_consensus(application: Application, posted, marks: findings.Marks, render, refused):
    """The check step: the result the consensus would give, for the lead to confirm; records nothing."""
    try:
        outcome = rubric_scores.check_consensus(db.session, application, current_user, posted, marks=marks)
    except DomainError as error:
        return refused(error)
    return render(checked=outcome)


def _consensus_refused(form, render):
    """A `refused` for the consensus: each indicator's problem beside it, any other reason above the form."""

    def refused(error):
        if isinstance(error, rubric_scores.ConsensusRefused):
            forms.show_consensus_problems(form, error.problems, error.unmarked)
        else:
            form.form_errors.append(error.message)
        return render(error.status)

    return refused


@bp.post("/applications/<int:application_id>/decision")
@roles_required(Role.COORDINATOR)
def decision(application_id: int):
    """Certify at a level or not, with reasons; a departure from the computed level needs a justification."""
    application = db.get_or_404(Application, application_id)
    return _decide(
        application,
        decisions.decide,
        render=partial(consensus_page.render_consensus, application),
        back_to=url_for("review.consensus", application_id=application.id),
        done=_("The decision is recorded."),
    )


@bp.post("/applications/<int:application_id>/appeal-decision")
@roles_required(Role.COORDINATOR)
def appeal_decision(application_id: int):
    """Decide the appeal: uphold or change the decision, with reasons."""
    application = db.get_or_404(Application, application_id)
    return _decide(
        application,
        appeals.decide_appeal,
        render=partial(pages.render_team, application),
        back_to=url_for("review.team", application_id=application.id),
        done=_("The appeal is decided."),
    )


def _decide(application: Application, decide, *, render, back_to: str, done: str):
    """The one tail of both decisions: the decision form, the service `decide`, the answer.

    `render(status, decision_form=…)` shows the page the decision was taken on.
    """
    form = forms.decision_form(standard_of(application), current_language())
    render = partial(render, decision_form=form)
    if not form.validate_on_submit():
        return render(422)
    return carry_out(
        lambda: decide(
            db.session,
            application,
            current_user,
            chosen_level=form.chosen_level,
            reasons=form.reasons.data,
            justification=form.justification.data or "",
            conclusion=form.conclusion(),
        ),
        back_to=back_to,
        done=done,
        refused=in_place(form, render),
    )


@bp.post("/applications/<int:application_id>/third-assessor")
@roles_required(*STAFF)
def third_assessor(application_id: int):
    """When the totals differ by the spread limit or more, reopen the review for a third assessor."""
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
    form = pages.new_appeal_assessor_form()
    render = partial(pages.render_team, application, appeal_form=form)
    if not form.validate_on_submit():
        return render(422)
    assessor = db.session.get(User, form.assessor.data)
    return carry_out(
        lambda: appeals.assign_appeal_assessor(db.session, application, current_user, assessor),
        back_to=url_for("review.team", application_id=application.id),
        done=_("The appeal assessor is asked to confirm independence."),
        refused=in_place(form, render),
    )
