"""The staff's forms on item statistics and Angoff panels (shape only; the rules are in the services)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from certify.web.forms import select_choices


class ItemDecisionForm(FlaskForm):
    """Keep an item suspended or reinstate it, with the reason (recorded in the audit trail)."""

    item = HiddenField(validators=[DataRequired(), Length(max=80)])
    decision = RadioField(
        _l("Decision"),
        choices=select_choices(
            [("keep", _l("Keep suspended")), ("reinstate", _l("Reinstate: the key is right"))]
        ),
        validators=[InputRequired()],
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Record the decision"))


class JudgeForm(FlaskForm):
    """One judge's sheet; the estimates, one field per item (`estimate-<item id>`), are read by the view."""

    judge = StringField(_l("Judge"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Record the judge's estimates"))


class AdoptForm(FlaskForm):
    submit = SubmitField(_l("Adopt the recommended pass mark"))
