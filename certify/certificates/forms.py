"""Certificate forms: they check shape; the lifecycle services enforce the rules."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

#: a certificate number as issuance writes it (CMQ-2026-000042); anything else is refused before a query
NUMBER = re.compile(r"^[A-Z]{2,10}-\d{4}-\d{6}$")
NUMBER_MAX_LENGTH = 32
#: what people type between the parts of a number: spaces, hyphens and dashes of every kind, dots, slashes
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_./]+")
_PARTS = re.compile(r"^([A-Z]{2,10})-?(\d{4})-?(\d{6})$")


def canonical_number(typed: str) -> str:
    """A number as typed, read from a photo or pasted, written the way issuance writes it.

    "cmq 2026 000002", "CMQ–2026–000002" and "CMQ2026000002" all become "CMQ-2026-000002"; text that is
    no certificate number comes back stripped and upper-cased, for NUMBER to refuse.
    """
    text = _SEPARATORS.sub("-", typed.strip().upper()).strip("-")
    parts = _PARTS.match(text[: NUMBER_MAX_LENGTH * 2])
    return "-".join(parts.groups()) if parts else typed.strip().upper()


def _normalised(value: str | None) -> str | None:
    return canonical_number(value) if isinstance(value, str) else value


def _correction_reason() -> TextAreaField:
    return TextAreaField(_l("What is corrected and why"), validators=[DataRequired(), Length(max=2000)])


def _correction_submit() -> SubmitField:
    return SubmitField(_l("Issue the corrected certificate"))


class CorrectionForm(FlaskForm):
    """The names an organisation's certificate states, pre-filled; it names no person."""

    organisation_name_ru = StringField(
        _l("Organisation (Russian)"), validators=[DataRequired(), Length(max=300)]
    )
    organisation_name_en = StringField(
        _l("Organisation (English)"), validators=[DataRequired(), Length(max=300)]
    )
    cluster_name_ru = StringField(_l("Cluster (Russian)"), validators=[DataRequired(), Length(max=300)])
    cluster_name_en = StringField(_l("Cluster (English)"), validators=[DataRequired(), Length(max=300)])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=200)])
    reason = _correction_reason()
    submit = _correction_submit()


class PersonCorrectionForm(FlaskForm):
    """The names a person's attestation states, pre-filled; a person need not have an organisation."""

    holder_name_ru = StringField(_l("Name (Russian)"), validators=[DataRequired(), Length(max=200)])
    holder_name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    organisation_name_ru = StringField(_l("Organisation (Russian)"), validators=[Optional(), Length(max=300)])
    organisation_name_en = StringField(_l("Organisation (English)"), validators=[Optional(), Length(max=300)])
    reason = _correction_reason()
    submit = _correction_submit()


def correction_form(certificate, **options) -> CorrectionForm | PersonCorrectionForm:
    """The correction form for who the certificate is for (`options` go to the form, e.g. formdata)."""
    form = PersonCorrectionForm if certificate.is_person else CorrectionForm
    return form(**options)


#: a status change's reason: required, as long as the column allows
_REASON = [DataRequired(), Length(max=2000)]


class StatusChangeForm(FlaskForm):
    """A status change with its reason; each change has its own form (ids and labels), see STATUS_FORMS.

    The three and the correction form share the certificate's page, so every field has its own id.
    """

    reason: StringField


class SuspendForm(StatusChangeForm):
    reason = StringField(_l("Reason for suspending"), validators=_REASON, id="suspend-reason")
    submit = SubmitField(_l("Suspend"), id="suspend-submit")


class ReinstateForm(StatusChangeForm):
    reason = StringField(_l("Reason for reinstating"), validators=_REASON, id="reinstate-reason")
    submit = SubmitField(_l("Reinstate"), id="reinstate-submit")


class RevokeForm(StatusChangeForm):
    """Revoking is final, so the coordinator says they understand that before it is done."""

    reason = StringField(_l("Reason for revoking"), validators=_REASON, id="revoke-reason")
    confirm = BooleanField(
        _l("I understand that revoking is final"),
        validators=[DataRequired(message=_l("Confirm that you understand revoking is final."))],
        id="revoke-confirm",
    )
    submit = SubmitField(_l("Revoke"), id="revoke-submit")


#: the form of each status change the coordinator is offered, by the action in its URL
STATUS_FORMS: dict[str, type[StatusChangeForm]] = {
    "suspend": SuspendForm,
    "reinstate": ReinstateForm,
    "revoke": RevokeForm,
}


def status_forms(sent: dict[str, StatusChangeForm] | None = None) -> dict[str, StatusChangeForm]:
    """A form for each status change: the one that was `sent` (with its errors), the others fresh.

    formdata=None: a form that was not sent must not pick up the sent one's `reason`.
    """
    sent = sent or {}
    return {
        action: sent[action] if action in sent else form(formdata=None)
        for action, form in STATUS_FORMS.items()
    }


class LookupForm(FlaskForm):
    """Check a certificate by its number: the form leads to the certificate's public page."""

    number = StringField(
        _l("Certificate number"),
        filters=[_normalised],
        validators=[
            DataRequired(),
            Length(max=NUMBER_MAX_LENGTH),
            Regexp(NUMBER, message=_l("Enter the number as it is printed, for example CMQ-2026-000001.")),
        ],
    )


class UploadCheckForm(FlaskForm):
    """Check a certificate by its PDF file: signature, integrity and the hash stored at issuance."""

    file = FileField(_l("Or the certificate's PDF file"), validators=[FileRequired()])
