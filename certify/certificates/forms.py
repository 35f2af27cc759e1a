"""Certificate forms: they check shape; the lifecycle services enforce the rules."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

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


class CorrectionForm(FlaskForm):
    """The names a correction may change, pre-filled with what the certificate states."""

    holder_name_ru = StringField(_l("Holder (Russian)"), validators=[DataRequired(), Length(max=200)])
    holder_name_en = StringField(_l("Holder (English)"), validators=[DataRequired(), Length(max=200)])
    organisation_name_ru = StringField(
        _l("Organisation (Russian)"), validators=[DataRequired(), Length(max=300)]
    )
    organisation_name_en = StringField(
        _l("Organisation (English)"), validators=[DataRequired(), Length(max=300)]
    )
    cluster_name_ru = StringField(_l("Cluster (Russian)"), validators=[DataRequired(), Length(max=300)])
    cluster_name_en = StringField(_l("Cluster (English)"), validators=[DataRequired(), Length(max=300)])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=200)])
    reason = TextAreaField(_l("What is corrected and why"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Issue the corrected certificate"))


class StatusChangeForm(FlaskForm):
    """The reason for suspending, reinstating or revoking; the pressed button's URL says which."""

    # its own id: the correction form on the same page has a `reason` field too
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=2000)], id="status-reason")


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
