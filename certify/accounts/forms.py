"""Account forms: they check shape; the services enforce the rules.

The registration form also applies the password rule the services enforce, so that every problem of
the form is listed on the first try, not one more on each.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from certify.accounts import registration_numbers
from certify.accounts.models import PriorityField, Role
from certify.accounts.passwords import MAX_LENGTH, password_problem
from certify.web.forms import select_choices

COUNTRIES = (
    ("RU", _l("Russia")),
    ("BY", _l("Belarus")),
    ("KZ", _l("Kazakhstan")),
    ("FI", _l("Finland")),
    ("EE", _l("Estonia")),
    ("LV", _l("Latvia")),
    ("LT", _l("Lithuania")),
    ("SE", _l("Sweden")),
    ("NO", _l("Norway")),
    ("DK", _l("Denmark")),
    ("IS", _l("Iceland")),
    ("DE", _l("Germany")),
    ("PL", _l("Poland")),
)
PRIORITY_FIELD_LABELS = {
    PriorityField.URBAN_ENERGY_EFFICIENCY: _l("Energy saving and efficiency in cities"),
    PriorityField.WATER: _l("Efficient use of water, water treatment and wastewater"),
    PriorityField.SUSTAINABLE_CONSTRUCTION: _l("Sustainable construction"),
    PriorityField.ENVIRONMENT_AND_WASTE: _l("Environmental protection and waste management"),
}
ROLE_LABELS = {
    Role.MANAGER: _l("Cluster manager"),
    Role.ASSESSOR: _l("Assessor"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Administrator"),
    Role.CANDIDATE: _l("Candidate"),
}
LANGUAGE_CHOICES = (("ru", "Русский"), ("en", "English"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def email_field(label=None):
    return EmailField(
        label or _l("E-mail"),
        validators=[DataRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)],
    )


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 12 characters; a phrase of several words is easy to remember."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    submit = SubmitField(_l("Log in"))


class RegistrationForm(FlaskForm):
    email = email_field()
    full_name_ru = StringField(_l("Your full name in Russian"), validators=[DataRequired(), Length(max=200)])
    full_name_en = StringField(
        _l("Your full name in Latin letters"), validators=[DataRequired(), Length(max=200)]
    )
    password, confirm = new_password_fields()
    organisation_name_ru = StringField(
        _l("Management company, name in Russian"), validators=[DataRequired(), Length(max=300)]
    )
    organisation_name_en = StringField(
        _l("Management company, name in English"), validators=[DataRequired(), Length(max=300)]
    )
    registration_number = StringField(
        _l("Registration number (OGRN or national company code)"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[0-9A-Za-z\- ]+$", message=_l("Use digits, Latin letters and dashes only.")),
        ],
    )
    country = SelectField(_l("Country"), choices=select_choices(COUNTRIES), validators=[InputRequired()])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=200)])
    cluster_name_ru = StringField(
        _l("Cluster, name in Russian"), validators=[DataRequired(), Length(max=300)]
    )
    cluster_name_en = StringField(
        _l("Cluster, name in English"), validators=[DataRequired(), Length(max=300)]
    )
    specialisation = TextAreaField(
        _l("Specialisation of the cluster"), validators=[Optional(), Length(max=2000)]
    )
    priority_fields = MultiCheckboxField(
        _l("Priority fields"), choices=select_choices(PRIORITY_FIELD_LABELS.items()), validators=[Optional()]
    )
    submit = SubmitField(_l("Register"))

    def validate_registration_number(self, field):
        if found := registration_numbers.problem(self.country.data or "", field.data or ""):
            template, params = found
            raise ValidationError(gettext(template) % params)

    def validate_password(self, field):
        personal = (self.email.data, self.full_name_ru.data, self.full_name_en.data)
        if problem := password_problem(field.data or "", personal=personal):
            raise ValidationError(str(problem))


class EmailOnlyForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send"))


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Set the new password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Change the password"))


class UserForm(FlaskForm):
    """The admin's form for one user; `password` only when creating."""

    email = email_field()
    full_name_ru = StringField(_l("Full name in Russian"), validators=[DataRequired(), Length(max=200)])
    full_name_en = StringField(_l("Full name in Latin letters"), validators=[Optional(), Length(max=200)])
    locale = SelectField(_l("Language of e-mails"), choices=select_choices(LANGUAGE_CHOICES))
    roles = MultiCheckboxField(_l("Roles"), choices=select_choices(ROLE_LABELS.items()))
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=True)
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Initial password"), validators=[Optional(), Length(max=MAX_LENGTH)])
    submit = SubmitField(_l("Save"))


#: the scopes of personal API tokens, as the account page names them
SCOPE_LABELS = {
    "read:registry": _l("read:registry — the public registry and standards"),
    "read:own": _l("read:own — your organisation's applications and certificates, or your own"),
    "read:statistics": _l("read:statistics — the public aggregate statistics (certification body)"),
}
TOKEN_STATUS_LABELS = {"active": _l("in force"), "expired": _l("expired"), "revoked": _l("revoked")}
LIFETIME_LABELS = {
    "30": _l("30 days"),
    "90": _l("90 days"),
    "365": _l("1 year"),
    "never": _l("until revoked"),
}


class ApiTokenForm(FlaskForm):
    """A new personal API token; the choices offered are the scopes the user may hold (set by the view)."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])
    scopes = MultiCheckboxField(_l("Scopes"), validators=[DataRequired()])
    lifetime = SelectField(
        _l("Valid for"), choices=select_choices(LIFETIME_LABELS.items()), default="90", validate_choice=True
    )
    submit = SubmitField(_l("Create the token"))

    def offer(self, scopes) -> ApiTokenForm:
        self.scopes.choices = select_choices((str(scope), SCOPE_LABELS[str(scope)]) for scope in scopes)
        return self

    def lifetime_days(self) -> int | None:
        return None if self.lifetime.data == "never" else int(self.lifetime.data)


class RevokeTokenForm(FlaskForm):
    token_id = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9]{1,18}$")])
    submit = SubmitField(_l("Revoke"))
