"""The attestation's forms: they check shape; the services enforce the rules (the consent, the reasons)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from certify.attestation.cpd import CpdFields
from certify.attestation.cpd_rules import HOURS_RANGE
from certify.attestation.services import REASON_LENGTH
from certify.questionnaire.fields import NumberField
from certify.standards.attestation import Recertification
from certify.standards.definition import Standard

#: the reason field of each requirement on the return form
REASON_PREFIX = "reason_"


class ApplyForm(FlaskForm):
    """Applying on a scheme; without the consent ticked the service refuses, and says why at the box."""

    consent = BooleanField(_l("I have read the consent to processing my personal data above and give it"))
    submit = SubmitField(_l("Apply"))


class AdmitForm(FlaskForm):
    submit = SubmitField(_l("Admit to the theory exam"))


class RetakeForm(FlaskForm):
    submit = SubmitField(_l("Register the retake"))


class CloseTheoryFailedForm(FlaskForm):
    submit = SubmitField(_l("Close as not attested: theory exam not passed"))


class _ReturnForm(FlaskForm):
    submit = SubmitField(_l("Return for completion"))

    def reasons(self) -> dict[str, str]:
        """{requirement id: the reason typed} for every requirement's field, empty ones included."""
        return {
            name.removeprefix(REASON_PREFIX): field.data or ""
            for name, field in self._fields.items()
            if name.startswith(REASON_PREFIX)
        }

    def reason_field(self, requirement_id: str):
        return self[REASON_PREFIX + requirement_id]


def return_form(standard: Standard, language: str, **kwargs) -> _ReturnForm:
    """One optional reason per requirement of the scheme, each 10 to 2000 characters when given."""
    fields = {REASON_PREFIX + r.id: _reason_field(r.title.get(language)) for r in standard.eligibility}
    return type("ReturnForm", (_ReturnForm,), fields)(**kwargs)


def _reason_field(title: str) -> TextAreaField:
    least, most = REASON_LENGTH
    return TextAreaField(
        _l("What the candidate has to complete: %(requirement)s", requirement=title),
        validators=[
            Optional(),
            Length(least, most, message=_l("Write %(min)d to %(max)d characters, or leave the field empty.")),
        ],
    )


class _CpdEntryForm(FlaskForm):
    """One CPD entry; the service checks the kind, the hours and the date against the attestation."""

    kind = SelectField(_l("Kind of CPD"), validators=[InputRequired(message=_l("Choose the kind."))])
    title = StringField(
        _l("What it was (programme, event, publication …)"),
        validators=[InputRequired(message=_l("Say what it was.")), Length(3, 300)],
    )
    provider = StringField(
        _l("Provider or organiser"),
        validators=[InputRequired(message=_l("Name the provider.")), Length(2, 300)],
    )
    done_on = DateField(
        _l("Date (the last day, for several days)"), validators=[InputRequired(message=_l("Give the date."))]
    )
    submit = SubmitField(_l("Save the entry"))

    def fields(self) -> CpdFields:
        return CpdFields(
            self.kind.data, self.title.data, self.provider.data, self.done_on.data, self.hours.data
        )


def cpd_entry_form(rules: Recertification, language: str, *, new: bool, **kwargs) -> _CpdEntryForm:
    """The entry form with the scheme's CPD kinds (and their caps) to choose from; a new entry needs its
    evidence file, an edited one keeps its file unless another is chosen."""
    least, most = HOURS_RANGE
    file_validators = (
        [FileRequired(message=_l("Attach the document that proves it."))] if new else [Optional()]
    )
    fields = {
        "hours": NumberField(
            _l("Hours"),
            validators=[
                InputRequired(message=_l("Give the hours.")),
                NumberRange(least, most, message=_l("Give %(min)s to %(max)s hours.")),
            ],
            locale=language,
        ),
        "file": FileField(
            _l("Evidence (certificate, programme, attendance record)")
            if new
            else _l("Another evidence file (leave empty to keep the current one)"),
            validators=file_validators,
        ),
    }
    form = type("CpdEntryForm", (_CpdEntryForm,), fields)(**kwargs)
    form.kind.choices = [(kind.id, kind.name.get(language)) for kind in rules.cpd_kinds]
    return form


class RenewalForm(FlaskForm):
    """Starting a renewal: the current version's consent is accepted again, as for a first application."""

    consent = BooleanField(_l("I have read the consent to processing my personal data above and give it"))
    submit = SubmitField(_l("Start the renewal"))


class DeleteCpdForm(FlaskForm):
    submit = SubmitField(_l("Delete the entry"))
