"""Review forms: they check shape; the services enforce the rules.

The scores and consensus forms are built from the standard, like the questionnaire's pages
(certify/questionnaire/fields.py): one field per indicator and per area, named as the pages post them
(`score-<indicator>`, `comment-<indicator>`, `strengths-<area>`, `improvements-<area>`,
`justification-<indicator>`), and one per item an assessor marks (certify.review.findings): `file-<file id>`
and `na-<question>`, named alike on both forms, since the lead sets at consensus what each assessor marked.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import MultiDict
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from certify.accounts.forms import MultiCheckboxField
from certify.review.findings import Items, Marks, Unmarked
from certify.review.rubric_scores import PROBLEM_MESSAGES, ConsensusProblem
from certify.standards.definition import Standard
from certify.web.forms import select_choices

#: the longest comment, strength, improvement or consensus justification
COMMENT_LIMIT = 5_000
#: the longest reasons, justification of a decision or clarification question
REASONS_LIMIT = 10_000
#: the rubric scores, as the pages post them
RUBRIC_VALUES = tuple(str(value) for value in range(5))
RUBRIC_MESSAGE = _l("A rubric score is a whole number from 0 to 4.")
#: a file's mark and a "not applicable" answer's, as the pages post them, and what each means
RELEVANCE = {"relevant": True, "irrelevant": False}
CONFIRMATION = {"confirmed": True, "refused": False}
RELEVANCE_LABELS = (_l("Relevant"), _l("Not relevant"))
CONFIRMATION_LABELS = (_l("I confirm"), _l("I do not confirm"))
MARK_MESSAGE = _l("Choose one of the two answers.")
UNMARKED_FILE = _l("Mark this file as relevant or not.")
UNMARKED_NOT_APPLICABLE = _l("Confirm or refuse this “not applicable” answer.")


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Write at most %(max)d characters."))


def _comment(label) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), _at_most(COMMENT_LIMIT)])


class TeamForm(FlaskForm):
    assessors = MultiCheckboxField(_l("Assessors"), coerce=int, validators=[Optional()])
    lead = SelectField(_l("Lead assessor"), coerce=int)
    submit = SubmitField(_l("Assign"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why you decline"),
        validators=[DataRequired(message=_l("Please give the reason for declining.")), _at_most(1000)],
    )
    submit = SubmitField(_l("Decline the assignment"))


class ConflictForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    region = StringField(_l("Region"), validators=[Optional(), Length(max=200)])
    #: a tie to a candidate for attestation (issue 16): their e-mail, and the last day trained if that is it
    candidate_email = StringField(
        _l("Candidate for attestation (e-mail)"), validators=[Optional(), Length(max=254)]
    )
    trained_on = DateField(
        _l("I trained this candidate; the last day of the training"), validators=[Optional()]
    )
    note = StringField(_l("What the tie is"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Declare"))


# Scores ---------------------------------------------------------------------------------------------


class ScoresForm(FlaskForm):
    """The base of `scores_form`: which button was pressed (a draft, or the final submission)."""

    submit = StringField(validators=[Optional(), AnyOf(("draft", "final"))])

    @property
    def final(self) -> bool:
        return self.submit.data == "final"


def _mark_fields(standard: Standard, locale: str, items: Items) -> dict[str, RadioField]:
    """A choice per file attached to an indicator and per "not applicable" answer.

    None is required here: the service names every item still unmarked, with the scores still missing.
    """
    fields = {
        f"file-{attached.id}": _mark(attached.name, RELEVANCE, RELEVANCE_LABELS)
        for files in items.files.values()
        for attached in files
    }
    for question in standard.all_questions():
        if question.id in items.not_applicable:
            fields[f"na-{question.id}"] = _mark(question.label.get(locale), CONFIRMATION, CONFIRMATION_LABELS)
    return fields


def _mark(label: str, values: Mapping[str, bool], labels) -> RadioField:
    return RadioField(
        label,
        choices=select_choices(zip(values, labels, strict=True)),
        validators=[Optional()],
        invalid_choice_message=MARK_MESSAGE,
    )


def posted_marks(items: Items, form) -> Marks:
    """The marks the form gives (an item left unmarked is left out), for the services."""
    files = {f: RELEVANCE.get(form[f"file-{f}"].data) for f in items.file_ids()}
    declined = {q: CONFIRMATION.get(form[f"na-{q}"].data) for q in items.not_applicable}
    return Marks(
        {f: v for f, v in files.items() if v is not None},
        {q: v for q, v in declined.items() if v is not None},
    )


def marks_formdata(marks: Marks) -> MultiDict:
    """`marks` as the form data a browser would post."""
    data = MultiDict()
    for key, values, given in (("file", RELEVANCE, marks.files), ("na", CONFIRMATION, marks.not_applicable)):
        posted = {meaning: value for value, meaning in values.items()}
        for subject, accepted in given.items():
            data.add(f"{key}-{subject}", posted[accepted])
    return data


def show_unmarked(form, unmarked: Unmarked) -> None:
    """Beside each item still without a mark, what it needs."""
    for name, message in (
        *((f"file-{f}", UNMARKED_FILE) for f in unmarked.files),
        *((f"na-{q}", UNMARKED_NOT_APPLICABLE) for q in unmarked.not_applicable),
    ):
        form[name].errors = [*form[name].errors, message]


def scores_form(standard: Standard, locale: str, items: Items, **kwargs) -> ScoresForm:
    """The assessor's form: a 0–4 choice and a comment per indicator, strengths and improvements per area,
    a mark per file and per "not applicable" answer (`items`).

    Every score and mark may stay empty in a draft; submitting checks that none is (the service does).
    """
    fields: dict[str, object] = _mark_fields(standard, locale, items)
    for indicator in standard.indicators():
        fields[f"score-{indicator.id}"] = RadioField(
            indicator.title.get(locale),
            choices=select_choices((str(v), d.get(locale)) for v, d in enumerate(indicator.rubric)),
            validators=[Optional()],
            invalid_choice_message=RUBRIC_MESSAGE,
        )
        fields[f"comment-{indicator.id}"] = _comment(_l("Comment"))
    for area in standard.areas:
        fields[f"strengths-{area.id}"] = _comment(_l("Main strengths"))
        fields[f"improvements-{area.id}"] = _comment(_l("Areas for improvement"))
    return type("StandardScoresForm", (ScoresForm,), fields)(**kwargs)


def posted_scores(standard: Standard, form) -> tuple[dict, dict]:
    """(indicator -> (score or None, comment), area -> (strengths, improvements)) for `save_scores`."""
    scores = {
        i.id: (_score(form[f"score-{i.id}"].data), form[f"comment-{i.id}"].data or "")
        for i in standard.indicators()
    }
    feedback = {
        a.id: (form[f"strengths-{a.id}"].data or "", form[f"improvements-{a.id}"].data or "")
        for a in standard.areas
    }
    return scores, feedback


def stored_scores(standard: Standard, scores: Mapping, feedback: Mapping, marks: Marks) -> MultiDict:
    """An assessor's saved scores, feedback and marks as the form data a browser would post."""
    data = marks_formdata(marks)
    for indicator in standard.indicators():
        row = scores.get(indicator.id)
        if row is not None and row.score is not None:
            data.add(f"score-{indicator.id}", str(row.score))
        data.add(f"comment-{indicator.id}", row.comment if row else "")
    for area in standard.areas:
        row = feedback.get(area.id)
        data.add(f"strengths-{area.id}", row.strengths if row else "")
        data.add(f"improvements-{area.id}", row.improvements if row else "")
    return data


def _score(value: str | None) -> int | None:
    return int(value) if value in RUBRIC_VALUES else None


# Consensus ------------------------------------------------------------------------------------------


#: the buttons of the consensus page: check (the default), record after the check, back to editing
CONSENSUS_STEPS = ("check", "record", "edit")


class ConsensusForm(FlaskForm):
    """The base of `consensus_form`: the step (check, record, back to editing) and the check's token."""

    step = StringField(validators=[Optional(), AnyOf(CONSENSUS_STEPS)])
    #: signed by `sign_checked` when the check succeeded: the values the lead saw the result of
    checked = HiddenField(validators=[Optional()])

    @property
    def editing(self) -> bool:
        return self.step.data == "edit"

    @property
    def recording(self) -> bool:
        return self.step.data == "record"


def consensus_form(standard: Standard, locale: str, items: Items, **kwargs) -> ConsensusForm:
    """The lead's form: the consensus score (0–4) of every indicator, each with a justification, and the
    final mark of every item.

    No score is required here: the service names every indicator still without one, together with
    those whose justification is missing, so that the lead sees all of them at once.
    """
    fields: dict[str, object] = _mark_fields(standard, locale, items)
    for indicator in standard.indicators():
        title = indicator.title.get(locale)
        fields[f"score-{indicator.id}"] = SelectField(
            title,
            choices=select_choices([("", _l("— choose —")), *((value, value) for value in RUBRIC_VALUES)]),
            validators=[Optional()],
            invalid_choice_message=RUBRIC_MESSAGE,
        )
        fields[f"justification-{indicator.id}"] = TextAreaField(
            _l("Justification: %(indicator)s", indicator=title),
            validators=[Optional(), _at_most(COMMENT_LIMIT)],
            render_kw={"rows": 2},
        )
    return type("StandardConsensusForm", (ConsensusForm,), fields)(**kwargs)


def posted_consensus(standard: Standard, form) -> dict[str, tuple[int | None, str]]:
    """indicator -> (consensus score or None, justification), for `record_consensus`.

    Line ends are made "\n", as a browser may post a hidden field's text with "\r\n" after the check.
    """
    return {
        i.id: (_score(form[f"score-{i.id}"].data), _text(form[f"justification-{i.id}"].data))
        for i in standard.indicators()
    }


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def consensus_formdata(
    standard: Standard, recorded: Mapping, agreed: Mapping[str, int | None], marks: Marks
) -> MultiDict:
    """The recorded consensus, or else the score the assessors agree on, as a browser would post it, with
    `marks` (the recorded ones, or else those to start from: findings.prefilled).

    Where the assessors differ and nothing is recorded, no score is chosen.
    """
    data = marks_formdata(marks)
    for indicator in standard.indicators():
        row = recorded.get(indicator.id)
        score = row.score if row else agreed.get(indicator.id)
        data.add(f"score-{indicator.id}", "" if score is None else str(score))
        data.add(f"justification-{indicator.id}", row.justification if row else "")
    return data


def show_consensus_problems(form: ConsensusForm, problems: Mapping, unmarked: Unmarked) -> None:
    """Each refused indicator's problem beside its field: a missing score at the score, the rest at the
    justification; and each item's missing mark beside it."""
    for indicator_id, problem in problems.items():
        name = "score" if problem == ConsensusProblem.MISSING else "justification"
        form[f"{name}-{indicator_id}"].errors.append(PROBLEM_MESSAGES[problem])
    show_unmarked(form, unmarked)


def _checker() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="review.consensus.checked")


def _digest(application_id: int, user_id: int, consensus: Mapping, marks: Marks) -> str:
    values = sorted((i, v, j.strip()) for i, (v, j) in consensus.items())
    marked = [sorted(marks.files.items()), sorted(marks.not_applicable.items())]
    text = json.dumps([application_id, user_id, values, marked], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def sign_checked(application_id: int, user_id: int, consensus: Mapping, marks: Marks) -> str:
    """The token the confirmation step carries: these values and marks, checked for this lead on this
    application."""
    return _checker().dumps(_digest(application_id, user_id, consensus, marks))


def was_checked(
    form: ConsensusForm, application_id: int, user_id: int, consensus: Mapping, marks: Marks
) -> bool:
    """Whether the posted values and marks are the very ones the lead checked and saw the result of."""
    try:
        signed = _checker().loads(form.checked.data or "")
    except BadSignature:
        return False
    return hmac.compare_digest(str(signed), _digest(application_id, user_id, consensus, marks))


# Decisions, clarification, the appeal ---------------------------------------------------------------


class DecisionForm(FlaskForm):
    """The coordinator's decision, first or on appeal: a level (or none), reasons, a justification."""

    # A missing level means "not certified", as the empty option says.
    level = SelectField(_l("Certify at"), default="")
    reasons = TextAreaField(
        _l("Reasons"),
        validators=[DataRequired(message=_l("Give your reasons.")), _at_most(REASONS_LIMIT)],
        render_kw={"rows": 3},
    )
    justification = TextAreaField(
        _l("Justification, if the decision departs from the computed level"),
        validators=[Optional(), _at_most(REASONS_LIMIT)],
        render_kw={"rows": 2},
    )

    @property
    def chosen_level(self) -> str | None:
        return self.level.data or None

    def area_fields(self) -> list:
        return []

    def conclusion(self) -> dict | None:
        """An organisation's decision has no written conclusion beyond its reasons."""
        return None


#: the field of a competence area's result on a candidate's decision form
AREA_PREFIX = "area_"


class _ConclusionForm(DecisionForm):
    """A candidate's decision: the levels, reasons, and the written conclusion per competence area."""

    recommendations = TextAreaField(
        _l("Recommendations to the candidate"),
        validators=[Optional(), _at_most(REASONS_LIMIT)],
        render_kw={"rows": 3},
    )

    def area_fields(self) -> list:
        return [field for name, field in self._fields.items() if name.startswith(AREA_PREFIX)]

    def conclusion(self) -> dict:
        """{"areas": {area id: text}, "recommendations": text}, as typed (empty ones kept empty)."""
        areas = {f.name.removeprefix(AREA_PREFIX): (f.data or "").strip() for f in self.area_fields()}
        return {"areas": areas, "recommendations": (self.recommendations.data or "").strip()}


def decision_form(standard: Standard, locale: str, **kwargs) -> DecisionForm:
    """The decision form offering the standard's levels (`level=` preselects one, e.g. the computed one).

    On a personal scheme it adds the written conclusion: a result per competence area, recommendations.
    """
    if standard.attestation is not None:
        fields = {
            AREA_PREFIX + area.id: TextAreaField(
                _l("Result in “%(area)s”", area=area.title.get(locale)),
                validators=[Optional(), _at_most(REASONS_LIMIT)],
                render_kw={"rows": 2},
            )
            for area in standard.areas
        }
        form = type("ConclusionForm", (_ConclusionForm,), fields)(**kwargs)
    else:
        form = DecisionForm(**kwargs)
    form.level.choices = select_choices(
        [
            ("", _l("Not attested") if standard.attestation is not None else _l("Not certified")),
            *((level.id, level.name.get(locale)) for level in standard.levels),
        ]
    )
    return form


class ClarificationForm(FlaskForm):
    indicators = MultiCheckboxField(
        _l("Indicators"),
        validators=[DataRequired(message=_l("Name the indicators on which you need clarification."))],
        invalid_choice_message=_l("The request names indicators that this standard does not have."),
    )
    question = TextAreaField(
        _l("Question"),
        validators=[DataRequired(message=_l("Write the question for the manager.")), _at_most(REASONS_LIMIT)],
        render_kw={"rows": 3},
    )


def clarification_form(standard: Standard, locale: str, **kwargs) -> ClarificationForm:
    form = ClarificationForm(**kwargs)
    form.indicators.choices = select_choices((i.id, i.title.get(locale)) for i in standard.indicators())
    return form


class AppealAssessorForm(FlaskForm):
    assessor = SelectField(
        _l("Assessor for the appeal"),
        coerce=int,
        id="appeal-assessor",
        validators=[InputRequired(message=_l("Choose the assessor for the appeal."))],
        invalid_choice_message=_l("Choose the assessor for the appeal."),
    )


def appeal_assessor_form(people: Iterable[tuple[int, str]], **kwargs) -> AppealAssessorForm:
    """The choice of the appeal's assessor among `people` ((user id, name) pairs)."""
    form = AppealAssessorForm(**kwargs)
    form.assessor.choices = select_choices(people)
    return form
