"""Certificate forms: they check shape; the lifecycle services enforce the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


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
