"""What each review page shows: its template, filled from the services, with the actions the user may take.

Every page gets `actions`, what `transitions.allowed` offers the current user on the application (a dict
of them per application on lists); templates test those, never a state. A page re-rendered after a
refused form gets that form back, as the user filled it in; every other form on the page is built afresh
(`formdata=None`), so it does not pick up the fields another form posted.
"""

from __future__ import annotations

from functools import partial

import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from certify import keyset, transitions
from certify.audit.services import history as audit_history
from certify.extensions import db
from certify.questionnaire import services as questionnaire
from certify.questionnaire.assessment import cross_check_warnings, warnings_by_question
from certify.questionnaire.display import shown_answer, shown_ratios
from certify.questionnaire.models import Application
from certify.questionnaire.subject import subject_of
from certify.review import appeals, blind, clarification, comparison, findings, forms, queue, staffing
from certify.review.labels import review_words
from certify.review.models import Assignment, ConflictDeclaration
from certify.web.access import assignment_opens_application
from certify.web.actions import carry_out, in_place
from certify.web.forms import select_choices
from certify.web.i18n import current_language
from certify.workflow import Action, State, guards


def ask_for_clarification(assignment: Assignment, render_page, back_to: str):
    """The assessor's question to the manager about named parts of what they review (an application's
    indicators, a yearly report's pages), from the form posted on `render_page` (the page it is on, given
    the assignment and the form); a refused question comes back on that page as typed."""
    form = forms.clarification_form(questionnaire.standard_of(assignment.application), current_language())
    render = partial(render_page, assignment, clarification_form=form)
    if not form.validate_on_submit():
        return render(422)
    return carry_out(
        lambda: clarification.request_clarification(
            db.session, assignment, current_user, form.indicators.data, form.question.data
        ),
        back_to=back_to,
        done=_("Your question is sent to the manager."),
        refused=in_place(form, render),
    )


def render_queue(queue_filter: queue.QueueFilter, cursors: dict[str, int], status: int = 200):
    """One page of the queue, found by key from `cursors` (`before` or `after` an application): each
    application's team, how long it has waited in its state, its next step. The workflow's rows for the
    whole page are read at once, so the page's queries do not grow with its rows."""
    page = keyset.page_of(
        db.session, queue.matching(queue_filter), queue.QUEUE_ORDER, per_page=queue.PAGE_SIZE, **cursors
    )
    applications = page.items
    loaded = transitions.load_for(db.session, applications)
    entered = queue.entered_state_at(db.session, applications)
    kept = {"state": queue_filter.value} if queue_filter.value else {}
    return render_template(
        "review/queue.html",
        applications=applications,
        newer_url=url_for("review.queue", **kept, after=page.newer) if page.newer is not None else None,
        older_url=url_for("review.queue", **kept, before=page.older) if page.older is not None else None,
        filters=queue_filter,
        states=queue.QUEUE_STATES,
        every_state=queue.EVERY_STATE,
        teams={
            a.id: transitions.active_assignments(db.session, a, loaded=loaded[a.id]) for a in applications
        },
        waited={a.id: queue.waited(entered[a.id]) for a in applications},
        entered=entered,
        next_steps={a.id: queue.next_step(db.session, current_user, a, loaded[a.id]) for a in applications},
    ), status


# The team page (coordinators) --------------------------------------------------------------------------


def new_team_form(application: Application | None = None, **kwargs) -> forms.TeamForm:
    """The choice of assessors, each with their open assignments, and of the lead.

    Built afresh for `application`, it starts from the team as it is: the ticked assessors are the team.
    """
    if application is not None:
        team = transitions.active_assignments(db.session, application)
        kwargs.setdefault("assessors", [a.assessor_id for a in team])
        kwargs.setdefault("lead", next((a.assessor_id for a in team if a.is_lead), 0))
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
    team = transitions.active_assignments(db.session, application)
    standard = questionnaire.standard_of(application)
    if decision_form is None:
        computed = _appeal_level(application) if Action.DECIDE_APPEAL in actions else None
        decision_form = forms.decision_form(standard, current_language(), formdata=None, level=computed or "")
    spread = None
    if Action.ADD_THIRD_ASSESSOR in actions:
        spread = comparison.compare(db.session, application).spread
    return render_template(
        "review/team.html",
        application=application,
        subject=subject_of(application, current_language()),
        words=review_words(application),
        actions=actions,
        form=team_form or new_team_form(application, formdata=None),
        team=team,
        # assessors whose scores are in stay on the team: the form says so beside their names
        submitted={a.assessor_id for a in team if a.scores_submitted_at is not None},
        team_minimum=transitions.team_minimum(application),
        most_assessors=guards.MAX_ASSESSORS,
        conflicts={
            p.id: staffing.conflicts_of(db.session, p, application) for p in staffing.assessors(db.session)
        },
        barred={p.id for p in staffing.assessors(db.session) if p.has_role(*staffing.DECIDING_ROLES)},
        entries=blind.entries_shown_to(db.session, current_user, audit_history(db.session, application.id)),
        spread=spread,
        spread_limit=standard.review.third_assessor_spread,
        comparable=blind.scores_compared(application),
        appeal=appeals.appeal_of(db.session, application),
        appeal_panel=appeals.appeal_panel(db.session, application),
        appeal_panel_size=transitions.appeal_panel_size(standard),
        appeal_compared=appeals.panel_compared(db.session, application),
        appeal_form=appeal_form or new_appeal_assessor_form(formdata=None),
        decision_form=decision_form,
    ), status


def _appeal_level(application: Application) -> str | None:
    """The level the appeal's review reaches (its panel's consensus, or its one assessor's scores and
    marks): the appeal decision form starts from it."""
    outcome = comparison.appeal_outcome(db.session, application)
    return outcome.level.id if outcome and outcome.level else None


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
        wording={i: review_words(a) for i, a in applications.items()},
        readable=readable,
        leads_comparison={row.id for row in rows if row.id in readable and _leads_comparison(row)},
        decline_form=decline_form,
        declining=declining,
    ), status


def _leads_comparison(assignment: Assignment) -> bool:
    """The holder leads the review team, or the appeal panel, whose scores are all in: the consensus page
    is theirs."""
    if assignment.for_appeal:
        return assignment.is_lead and appeals.panel_compared(db.session, assignment.application)
    return blind.leads_comparison(assignment)


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
    """The rubric beside the answers and evidence, a mark for each file and "not applicable" answer; the
    others' scores and marks only as `blind` allows.

    The scores are editable only while the workflow lets the assessor save them (`scoring`); otherwise
    the page says why and shows the entries read-only. A form that comes back refused keeps every entry
    and each error beside its field; `problems` lists them at the top, each linking to its indicator.
    """
    application = assignment.application
    standard = questionnaire.standard_of(application)
    language = current_language()
    actions = transitions.allowed(db.session, current_user, application)
    items = findings.items_of(db.session, application)
    if scores_form is None:
        saved = forms.stored_scores(
            standard,
            comparison.scores_of(db.session, assignment),
            comparison.feedback_of(db.session, assignment),
            findings.marks_of(db.session, assignment),
        )
        scores_form = forms.scores_form(standard, language, items, formdata=saved)
    answers = questionnaire.load_answers(db.session, application)
    typed = questionnaire.typed_answers_of(db.session, application, answers)
    return render_template(
        "review/scores.html",
        assignment=assignment,
        application=application,
        subject=subject_of(application, language),
        words=review_words(application),
        standard=standard,
        actions=actions,
        scoring=Action.SAVE_SCORES in actions,
        closed_reason=_why_not_scoring(assignment, actions),
        form=scores_form,
        problems=_problems(standard, scores_form, language, items),
        clarification_form=clarification_form or forms.clarification_form(standard, language, formdata=None),
        blind=blind.scores_visible_to(db.session, assignment),
        shown={
            q.id: shown_answer(q, answers.get(q.id), language, _)
            for i in standard.indicators()
            for q in i.questions
            if q.id not in items.not_applicable
        }
        | shown_ratios(standard, typed, language),
        # answers that disagree with one another, beside each of them (docs/scoring.md, "Cross-checks")
        warnings=warnings_by_question(cross_check_warnings(standard, typed)),
        items=items,
        evidence=questionnaire.evidence_by_target(db.session, application),
        clarifications=clarification.all_requests(db.session, application),
        indicator_titles={i.id: i.title.get(language) for i in standard.indicators()},
        language=language,
    ), status


def _why_not_scoring(assignment: Assignment, actions) -> str | None:
    """Why the assessor cannot change their scores now (None: they can), in the workflow's words."""
    if Action.SAVE_SCORES in actions:
        return None
    if assignment.scores_submitted_at is not None:
        return _("Your scores are submitted and can no longer be changed.")
    if assignment.application.state == State.SUBMITTED:
        return _(
            "The review has not started yet: you may read the application now and score it once the"
            " coordinator starts the review."
        )
    try:
        transitions.take(db.session, assignment.application, Action.SAVE_SCORES, current_user)
    except transitions.TransitionError as refusal:
        return refusal.message
    return None


def _problems(standard, form, language: str, items: findings.Items) -> list[tuple[str, str, list[str]]]:
    """(anchor, indicator or area title, errors) of every indicator and area with an entry refused."""
    problems = []
    for area in standard.areas:
        for indicator in area.indicators:
            names = (
                f"score-{indicator.id}",
                f"comment-{indicator.id}",
                *(f"file-{f.id}" for f in items.files.get(indicator.id, ())),
                *(f"na-{q.id}" for q in indicator.questions if q.id in items.not_applicable),
            )
            if errors := [str(e) for name in names for e in form[name].errors]:
                problems.append((f"indicator-{indicator.id}", indicator.title.get(language), errors))
        names = (f"strengths-{area.id}", f"improvements-{area.id}")
        if errors := [str(e) for name in names for e in form[name].errors]:
            problems.append((f"feedback-{area.id}", area.title.get(language), errors))
    return problems
