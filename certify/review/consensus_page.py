"""The consensus page: the assessors' scores and comments side by side, the lead's consensus, the decision.

The page has three modes, chosen here and only displayed by the template:

- "edit", while the lead may record the consensus: where the assessors agree their score is chosen,
  where they differ nothing is, and each indicator has a justification; each file and "not applicable"
  answer has the lead's final mark beside each assessor's, starting from `findings.prefilled`;
- "confirm", once the lead's values passed the check (`rubric_scores.check_consensus`): the total and
  level they give, the values carried in hidden fields with the token `forms.sign_checked` gives them,
  "Record the consensus" and "Back to editing";
- "view", for everyone else and once the consensus is recorded.

An appeal heard by a panel of several has the same page for its own consensus (`for_appeal`): the panel's
scores side by side, its lead's consensus, recorded apart from the review's; the appeal is decided on the
team page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import render_template
from flask_login import current_user

from certify import transitions
from certify.extensions import db
from certify.questionnaire import services as questionnaire
from certify.questionnaire.assessment import outcome_view
from certify.questionnaire.models import Application
from certify.questionnaire.subject import subject_of
from certify.review import comparison, decisions, findings, forms
from certify.review.labels import review_words
from certify.scoring import Outcome
from certify.web.i18n import current_language
from certify.workflow import Action


@dataclass(frozen=True)
class Marking:
    """What the page shows of the marks: the items, each assessor's marks, the recorded final ones."""

    application: Application
    items: findings.Items
    #: assessor id -> their marks
    assessors: Mapping[int, findings.Marks]
    #: None until the consensus is recorded
    kept: findings.Marks | None


def render_consensus(
    application: Application,
    status: int = 200,
    *,
    consensus_form: forms.ConsensusForm | None = None,
    decision_form: forms.DecisionForm | None = None,
    checked: Outcome | None = None,
    for_appeal: bool = False,
):
    """The page (the review's consensus, or the appeal panel's); `checked` (the result of the form's
    values) makes it the confirmation step."""
    standard = questionnaire.standard_of(application)
    language = current_language()
    actions = transitions.allowed(db.session, current_user, application)
    compared = comparison.compare(db.session, application, for_appeal=for_appeal)
    recorded = comparison.consensus_of(db.session, application, for_appeal=for_appeal)
    outcome = comparison.consensus_outcome(db.session, application, for_appeal=for_appeal)
    items = findings.items_of(db.session, application)
    assessor_marks = {a.assessor_id: findings.marks_of(db.session, a) for a in compared.team}
    kept_marks = findings.consensus_marks_of(db.session, application, for_appeal=for_appeal)
    if consensus_form is None:
        agreed = {row.indicator_id: row.agreed for row in compared.rows}
        start = kept_marks if recorded else findings.prefilled(items, assessor_marks.values())
        data = forms.consensus_formdata(standard, recorded, agreed, start)
        consensus_form = forms.consensus_form(standard, language, items, formdata=data)
    if checked is not None:
        posted = forms.posted_consensus(standard, consensus_form)
        marks = forms.posted_marks(items, consensus_form)
        consensus_form.checked.data = forms.sign_checked(application.id, current_user.id, posted, marks)
    if decision_form is None:
        computed = outcome.level.id if outcome and outcome.level else ""
        decision_form = forms.decision_form(standard, language, formdata=None, level=computed)
    return render_template(
        "review/consensus.html",
        application=application,
        subject=subject_of(application, language),
        words=review_words(application),
        actions=actions,
        for_appeal=for_appeal,
        mode=_mode(actions, checked, for_appeal == transitions.under_appeal(application)),
        standard=standard,
        team=compared.team,
        rows={row.indicator_id: row for row in compared.rows},
        spread=compared.spread,
        spread_limit=standard.review.third_assessor_spread,
        divergence_steps=comparison.DIVERGENCE_STEPS,
        recorded=recorded,
        marking=Marking(application, items, assessor_marks, kept_marks if recorded else None),
        outcome=outcome_view(standard, outcome) if outcome else None,
        checked=outcome_view(standard, checked) if checked else None,
        form=consensus_form,
        decision=decisions.decision_of(db.session, application, on_appeal=True if for_appeal else None),
        decision_form=decision_form,
        level_names={level.id: level.name.get(language) for level in standard.levels},
        language=language,
    ), status


def _mode(actions, checked: Outcome | None, current: bool) -> str:
    """`current`: the page is of the consensus the application is at (under appeal, the panel's)."""
    if Action.RECORD_CONSENSUS not in actions or not current:
        return "view"
    return "confirm" if checked is not None else "edit"
