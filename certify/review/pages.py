"""What each review page shows: its template, filled from the services, with the actions the user may take.

Every page gets `actions`, what `transitions.allowed` offers the current user on the application (a dict
of them per application on lists); templates test those, never a state. A page re-rendered after a
refused form gets that form back, as the user filled it in; every other form on the page is built afresh
(`formdata=None`), so it does not pick up the fields another form posted.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from certify import transitions
from certify.audit.services import history as audit_history
from certify.extensions import db
from certify.questionnaire import services as questionnaire
from certify.questionnaire.assessment import outcome_view
from certify.questionnaire.models import Application
from certify.review import appeals, blind, clarification, comparison, decisions, forms, staffing
from certify.review.models import Assignment, ConflictDeclaration
from certify.web.access import assignment_opens_application
from certify.web.forms import select_choices
from certify.web.i18n import current_language
from certify.workflow import Action, guards


def render_queue(status: int = 200):
    applications = staffing.review_queue(db.session)
    return render_template(
        "review/queue.html",
        applications=applications,
        teams={a.id: transitions.active_assignments(db.session, a) for a in applications},
        actions={a.id: transitions.allowed(db.session, current_user, a) for a in applications},
    ), status


# The team page (coordinators) --------------------------------------------------------------------------


def new_team_form(**kwargs) -> forms.TeamForm:
    """The choice of assessors, each with their open assignments, and of the lead."""
    form = forms.TeamForm(**kwargs)
    load = staffing.workloads(db.session)
    people = staffing.assessors(db.session)
    language = current_language()
    form.assessors.choices = select_choices(
        (p.id, _("%(name)s — open assignments: %(n)d", name=p.full_name(language), n=load.get(p.id, 0)))
        for p in people
    )
    form.lead.choices = select_choices(
        [(0, _l("— choose —"))] + [(p.id, p.full_name(language)) for p in people]
    )
    return form


def new_appeal_assessor_form(**kwargs) -> forms.AppealAssessorForm:
    people = staffing.assessors(db.session)
    return forms.appeal_assessor_form(((p.id, p.full_name(current_language())) for p in people), **kwargs)


def render_team(
    application: Application,
    status: int = 200,
    *,
    team_form: forms.TeamForm | None = None,
    appeal_form: forms.AppealAssessorForm | None = None,
    decision_form: forms.DecisionForm | None = None,
):
    """The team, its conflicts, the start, a third assessor, the appeal and its decision, the history."""
    actions = transitions.allowed(db.session, current_user, application)
    appeal_assignment = appeals.appeal_assignment(db.session, application)
    standard = questionnaire.standard_of(application)
    if decision_form is None:
        computed = _appeal_level(application, appeal_assignment) if Action.DECIDE_APPEAL in actions else None
        decision_form = forms.decision_form(standard, current_language(), formdata=None, level=computed or "")
    spread = None
    if Action.ADD_THIRD_ASSESSOR in actions:
        spread = comparison.compare(db.session, application).spread
    return render_template(
        "review/team.html",
        application=application,
        actions=actions,
        form=team_form or new_team_form(formdata=None),
        team=transitions.active_assignments(db.session, application),
        conflicts={
            p.id: staffing.conflicts_of(db.session, p, application) for p in staffing.assessors(db.session)
        },
        barred={p.id for p in staffing.assessors(db.session) if p.has_role(*staffing.DECIDING_ROLES)},
        entries=blind.entries_shown_to(db.session, current_user, audit_history(db.session, application.id)),
        spread=spread,
        spread_limit=guards.SPREAD_LIMIT,
        comparable=blind.scores_compared(application),
        appeal=appeals.appeal_of(db.session, application),
        appeal_assignment=appeal_assignment,
        appeal_form=appeal_form or new_appeal_assessor_form(formdata=None),
        decision_form=decision_form,
    ), status


def _appeal_level(application: Application, assignment: Assignment | None) -> str | None:
    """The level the appeal assessor's scores reach: the appeal decision form starts from it."""
    if assignment is None:
        return None
    rubric = comparison.rubric_of(db.session, assignment)
    outcome = comparison.assessed_outcome(db.session, application, rubric)
    return outcome.level.id if outcome.level else None


# The assessor's pages ----------------------------------------------------------------------------------


def render_assignments(status: int = 200, *, decline_form=None, declining: int | None = None):
    """The assessor's assignments; `decline_form` (as posted) belongs to the assignment `declining`."""
    rows = staffing.assignments_of(db.session, current_user)
    applications = {row.application_id: row.application for row in rows}
    readable = {row.id for row in rows if assignment_opens_application(row)}
    return render_template(
        "review/assignments.html",
        rows=rows,
        actions={i: transitions.allowed(db.session, current_user, a) for i, a in applications.items()},
        readable=readable,
        leads_comparison={row.id for row in rows if row.id in readable and blind.leads_comparison(row)},
        decline_form=decline_form,
        declining=declining,
    ), status


def render_conflicts(form, status: int = 200):
    declarations = db.session.scalars(
        sa.select(ConflictDeclaration).where(ConflictDeclaration.assessor_id == current_user.id)
    ).all()
    return render_template("review/conflicts.html", form=form, declarations=declarations), status


def render_scores(
    assignment: Assignment,
    status: int = 200,
    *,
    scores_form: forms.ScoresForm | None = None,
    clarification_form: forms.ClarificationForm | None = None,
):
    """The rubric beside the answers and evidence; the others' scores only as `blind` allows."""
    application = assignment.application
    standard = questionnaire.standard_of(application)
    language = current_language()
    if scores_form is None:
        saved = forms.stored_scores(
            standard,
            comparison.scores_of(db.session, assignment),
            comparison.feedback_of(db.session, assignment),
        )
        scores_form = forms.scores_form(standard, language, formdata=saved)
    return render_template(
        "review/scores.html",
        assignment=assignment,
        application=application,
        standard=standard,
        actions=transitions.allowed(db.session, current_user, application),
        form=scores_form,
        clarification_form=clarification_form or forms.clarification_form(standard, language, formdata=None),
        blind=blind.scores_visible_to(db.session, assignment),
        answers=questionnaire.load_answers(db.session, application),
        evidence=questionnaire.evidence_by_target(db.session, application),
        clarifications=clarification.all_requests(db.session, application),
        language=language,
    ), status


# Consensus and decision --------------------------------------------------------------------------------


def render_consensus(
    application: Application,
    status: int = 200,
    *,
    consensus_form=None,
    decision_form: forms.DecisionForm | None = None,
):
    """The submitted scores side by side, the consensus (recorded or to record) and the decision."""
    standard = questionnaire.standard_of(application)
    language = current_language()
    compared = comparison.compare(db.session, application)
    recorded = comparison.consensus_of(db.session, application)
    outcome = None
    if recorded:
        outcome = comparison.assessed_outcome(
            db.session, application, {i: row.score for i, row in recorded.items()}
        )
    if consensus_form is None:
        suggested = {row.indicator_id: row.suggested for row in compared.rows}
        data = forms.consensus_formdata(standard, recorded, suggested)
        consensus_form = forms.consensus_form(standard, language, formdata=data)
    if decision_form is None:
        computed = outcome.level.id if outcome and outcome.level else ""
        decision_form = forms.decision_form(standard, language, formdata=None, level=computed)
    return render_template(
        "review/consensus.html",
        application=application,
        actions=transitions.allowed(db.session, current_user, application),
        standard=standard,
        team=compared.team,
        rows=compared.rows,
        spread=compared.spread,
        spread_limit=guards.SPREAD_LIMIT,
        divergence_steps=comparison.DIVERGENCE_STEPS,
        recorded=recorded,
        outcome=outcome_view(standard, outcome) if outcome else None,
        form=consensus_form,
        decision=decisions.decision_of(db.session, application),
        decision_form=decision_form,
        level_names={level.id: level.name.get(language) for level in standard.levels},
        language=language,
    ), status
