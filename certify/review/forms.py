"""Review forms: they check shape; the services enforce the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from certify.accounts.forms import MultiCheckboxField


class TeamForm(FlaskForm):
    assessors = MultiCheckboxField(_l("Assessors"), coerce=int, validators=[Optional()])
    lead = SelectField(_l("Lead assessor"), coerce=int)
    submit = SubmitField(_l("Assign"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Why you decline"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Decline the assignment"))


class ConflictForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    region = StringField(_l("Region"), validators=[Optional(), Length(max=200)])
    note = StringField(_l("What the tie is"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Declare"))
