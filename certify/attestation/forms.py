"""The attestation's forms: they check shape; the services enforce the rules (the consent, the reasons)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from certify.attestation.services import REASON_LENGTH
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
