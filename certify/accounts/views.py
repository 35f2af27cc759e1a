"""Registration, e-mail confirmation, login, logout, password reset and change, the user's own account."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from certify.accounts import services
from certify.accounts.forms import (
    ROLE_LABELS,
    ChangePasswordForm,
    EmailOnlyForm,
    LoginForm,
    RegistrationForm,
    ResetPasswordForm,
)
from certify.accounts.organisations import ORGANISATION_FIELDS, register_organisation
from certify.extensions import db, limiter
from certify.web.navigation import safe_next
from certify.web.security import end_session, start_session

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _submitted_email() -> str:
    """Throttle by the account being tried too, so that changing IP address does not help a guesser."""
    return services.normalise_email(request.form.get("email", ""))[:254] or "-"


def _fail(form, error: services.AccountError) -> None:
    """Undo the refused operation and show why, beside its field or as a message at the top."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


def _page(template: str, form, refused: bool = False, **context):
    """Render a form page: 400 when the input was refused, so clients and tests can tell."""
    status = 400 if refused or form.errors else 200
    return render_template(template, form=form, **context), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email)
def login():
    """Log in with e-mail and password; a new session is started."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(db.session, form.email.data, form.password.data)
        except services.AccountError as error:
            _fail(form, error)
            return _page("accounts/login.html", form, refused=True)
        db.session.commit()
        start_session(user)
        return redirect(safe_next(request.args.get("next")) or url_for("web.index"))
    return _page("accounts/login.html", form)


@bp.post("/logout")
def logout():
    """Log out, ending every session of this user (on any device)."""
    if current_user.is_authenticated:
        services.end_sessions(db.session, current_user)
        db.session.commit()
    end_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("web.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    """Self-registration of a cluster manager with their organisation."""
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            organisation = register_organisation(db.session, **_organisation_fields(form))
            services.register_manager(
                db.session,
                organisation=organisation,
                email=form.email.data,
                password=form.password.data,
                full_name_ru=form.full_name_ru.data,
                full_name_en=form.full_name_en.data,
                locale=_current_locale(),
            )
        except services.AccountError as error:
            _fail(form, error)
            return _page("accounts/register.html", form, refused=True)
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return _page("accounts/register.html", form)


@bp.get("/confirm/<token>")
def confirm(token: str):
    """Follow the link from the confirmation e-mail."""
    try:
        services.confirm_email(db.session, token)
    except services.AccountError as error:
        form = EmailOnlyForm()
        _fail(form, error)
        return _page("accounts/resend.html", form, refused=True)
    db.session.commit()
    flash(_("Your e-mail is confirmed. You can log in now."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/confirm/resend", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def resend_confirmation():
    """Ask for a new confirmation link."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.resend_confirmation(db.session, form.email.data)
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return _page("accounts/resend.html", form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    """Ask for a password-reset link by e-mail."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(db.session, form.email.data)
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return _page("accounts/forgot.html", form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from the e-mailed link; the link then stops working."""
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(db.session, token, form.password.data)
        except services.AccountError as error:
            _fail(form, error)
            return _page("accounts/reset.html", form, refused=True)
        db.session.commit()
        end_session()
        flash(_("Your password has been changed. Please log in."), "success")
        return redirect(url_for("accounts.login"))
    return _page("accounts/reset.html", form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The user's own account: details and password change (which ends their other sessions)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(db.session, current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            _fail(form, error)
            return _page("accounts/account.html", form, refused=True, role_names=_role_names())
        db.session.commit()
        start_session(current_user._get_current_object())  # a fresh session for this device
        flash(_("Your password has been changed. Your other sessions have ended."), "success")
        return redirect(url_for("accounts.account"))
    return _page("accounts/account.html", form, role_names=_role_names())


def _role_names() -> list:
    return [ROLE_LABELS[role] for role in sorted(current_user.roles)]


def _current_locale() -> str:
    from certify.web.i18n import current_language

    return current_language()


def _organisation_fields(form: RegistrationForm) -> dict:
    names = {"name_ru": "organisation_name_ru", "name_en": "organisation_name_en"}
    fields = {field: form[names.get(field, field)].data for field in ORGANISATION_FIELDS}
    fields["specialisation"] = fields["specialisation"] or ""
    fields["priority_fields"] = list(fields["priority_fields"] or [])
    return fields
