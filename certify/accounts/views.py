"""Registration, e-mail confirmation, login, logout, password reset and change, the user's own account."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from certify.accounts import api_tokens, registration, services
from certify.accounts.forms import (
    ROLE_LABELS,
    TOKEN_STATUS_LABELS,
    ApiTokenForm,
    ChangePasswordForm,
    EmailOnlyForm,
    LoginForm,
    RegistrationForm,
    ResetPasswordForm,
    RevokeTokenForm,
)
from certify.accounts.organisations import ORGANISATION_FIELDS
from certify.extensions import db, limiter
from certify.outbox.services import deliver_after_response
from certify.web.actions import carry_out, commit_and_deliver
from certify.web.navigation import safe_next, start_page_for
from certify.web.security import end_session, start_session

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_login_limit() -> str:
    return current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"]


def _submitted_email_from_address() -> str:
    """Throttle by the account being tried from this address, so that a guesser cannot lock its owner out.

    Keyed on the account alone (as before issue 12, finding 7), anyone knowing an e-mail address could
    spend its hourly allowance and keep the owner from logging in from anywhere. Keyed on the pair, a
    guesser is slowed on every account it tries while the owner, from their own address, is not.
    """
    email = services.normalise_email(request.form.get("email", ""))[:254] or "-"
    return f"{email}@{get_remote_address()}"


def _fail(form, error: services.AccountError) -> None:
    """Show why the operation was refused: beside its field, or as a message at the top."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


def _in_place(template: str, form, **context):
    """A `refused` for `carry_out` (which has rolled back): the form page again, with the reason."""

    def refused(error: services.AccountError):
        _fail(form, error)
        return _page(template, form, refused=True, **context)

    return refused


def _page(template: str, form, refused: bool = False, **context):
    """Render a form page: 400 when the input was refused, so clients and tests can tell."""
    status = 400 if refused or form.errors else 200
    return render_template(template, form=form, **context), status


def _check_mail(email: str):
    """The page that says a link is on its way, the same whether or not the address has an account."""
    return render_template("accounts/check_mail.html", email=email)


def _answer_before_mailing() -> None:
    """Send this request's e-mails after its answer (issue 12, finding 10).

    Sending takes time, and only a known address gets mail: an answer that waited for it would tell
    which addresses have accounts.
    """
    deliver_after_response(db.session)


def _login_refused(form):
    """A `refused` for the login: the failed attempt, rolled back with the rest, is recorded on its own."""
    show = _in_place("accounts/login.html", form)

    def refused(error: services.AccountError):
        if isinstance(error, services.LoginRefused):
            services.record_failed_login(db.session, error)
            commit_and_deliver()
        return show(error)

    return refused


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_login_limit, methods=["POST"], key_func=_submitted_email_from_address)
def login():
    """Log in with e-mail and password; a new session is started."""
    form = LoginForm()
    if not form.validate_on_submit():
        return _page("accounts/login.html", form)
    return carry_out(
        lambda: services.authenticate(db.session, form.email.data, form.password.data),
        back_to=url_for("accounts.login"),
        success_to=lambda user: safe_next(request.args.get("next")) or url_for(start_page_for(user)),
        done=None,
        then=start_session,  # the user's new session, once the login is recorded
        refused=_login_refused(form),
    )


@bp.post("/logout")
def logout():
    """Log out, ending every session of this user (on any device)."""
    user = current_user._get_current_object()
    return carry_out(
        lambda: services.log_out(db.session, user) if user.is_authenticated else None,
        back_to=url_for("web.index"),
        done=_("You have logged out."),
        category="info",
        then=lambda _: end_session(),
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    """Self-registration of a manager with their organisation; a known address gets the same answer."""
    form = RegistrationForm()
    if not form.validate_on_submit():
        return _page("accounts/register.html", form)
    _answer_before_mailing()
    return carry_out(
        lambda: _register_manager(form),
        back_to=url_for("accounts.register"),
        done=None,
        answer=lambda _: _check_mail(form.email.data),
        refused=_in_place("accounts/register.html", form),
    )


def _register_manager(form: RegistrationForm):
    """The new organisation and its manager, unconfirmed; for a known address, a warning to its owner."""
    return registration.register_manager(
        db.session,
        organisation=_organisation_fields(form),
        email=form.email.data,
        password=form.password.data,
        full_name_ru=form.full_name_ru.data,
        full_name_en=form.full_name_en.data,
        locale=_current_locale(),
    )


@bp.get("/confirm/<token>")
def confirm(token: str):
    """Follow the link from the confirmation e-mail."""
    return carry_out(
        lambda: services.confirm_email(db.session, token),
        back_to=url_for("accounts.login"),
        done=_("Your e-mail is confirmed. You can log in now."),
        refused=_in_place("accounts/resend.html", EmailOnlyForm()),  # ask for a new link there
    )


@bp.route("/confirm/resend", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def resend_confirmation():
    """Ask for a new confirmation link."""
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        return _page("accounts/resend.html", form)
    _answer_before_mailing()
    return carry_out(
        lambda: services.resend_confirmation(db.session, form.email.data),
        back_to=url_for("accounts.resend_confirmation"),
        done=None,
        answer=lambda _: _check_mail(form.email.data),
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    """Ask for a password-reset link by e-mail."""
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        return _page("accounts/forgot.html", form)
    _answer_before_mailing()
    return carry_out(
        lambda: services.request_password_reset(db.session, form.email.data),
        back_to=url_for("accounts.forgot_password"),
        done=None,
        answer=lambda _: _check_mail(form.email.data),
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from the e-mailed link; the link then stops working."""
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return _page("accounts/reset.html", form)
    return carry_out(
        lambda: services.reset_password(db.session, token, form.password.data),
        back_to=url_for("accounts.reset_password", token=token),
        success_to=url_for("accounts.login"),
        done=_("Your password has been changed. Please log in."),
        then=lambda _: end_session(),
        refused=_in_place("accounts/reset.html", form),
    )


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The user's own account: details, password change (which ends their other sessions), API tokens."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page("accounts/account.html", form, **_account_context())
    user = current_user._get_current_object()
    return carry_out(
        lambda: services.change_password(db.session, user, form.current_password.data, form.password.data),
        back_to=url_for("accounts.account"),
        done=_("Your password has been changed. Your other sessions have ended."),
        then=lambda _: start_session(user),  # a fresh session for this device
        refused=_in_place("accounts/account.html", form, **_account_context()),
    )


def _role_names() -> list:
    return [ROLE_LABELS[role] for role in sorted(current_user.roles)]


def _account_context(token_form: ApiTokenForm | None = None, new_token=None) -> dict:
    """What the account page shows besides the password form: the user's API tokens and the form for one."""
    user = current_user._get_current_object()
    return {
        "role_names": _role_names(),
        # (token, its status as a label, whether it can be revoked)
        "tokens": [_token_row(token) for token in api_tokens.tokens_of(db.session, user)],
        "token_form": token_form
        or ApiTokenForm(formdata=None, prefix="token").offer(api_tokens.allowed_scopes(user)),
        "revoke_form": RevokeTokenForm(formdata=None),
        "new_token": new_token,
    }


def _token_row(token) -> tuple:
    status = api_tokens.status_of(token)
    return token, TOKEN_STATUS_LABELS[status], status == "active"


@bp.post("/account/tokens")
@login_required
def create_token():
    """Make a personal API token; its secret is on this answer only (never stored, never shown again)."""
    user = current_user._get_current_object()
    form = ApiTokenForm(prefix="token").offer(api_tokens.allowed_scopes(user))
    password_form = ChangePasswordForm(formdata=None)
    if not form.validate_on_submit():
        return _page("accounts/account.html", password_form, refused=True, **_account_context(form))
    return carry_out(
        lambda: api_tokens.create_token(
            db.session, user, form.name.data, form.scopes.data, form.lifetime_days()
        ),
        back_to=url_for("accounts.account"),
        done=None,
        answer=lambda made: _secret_shown_once(password_form, made),
        refused=lambda error: _token_refused(password_form, form, error),
    )


def _token_refused(password_form, form: ApiTokenForm, error: api_tokens.TokenError):
    """The account page again with the token form as typed and the reason beside its field."""
    _fail(form, error)
    return _page("accounts/account.html", password_form, refused=True, **_account_context(form))


def _secret_shown_once(password_form, made):
    page, status = _page("accounts/account.html", password_form, **_account_context(new_token=made))
    response = current_app.make_response((page, status))
    response.headers["Cache-Control"] = "no-store"  # the secret must not stay in any cache
    return response


@bp.post("/account/tokens/revoke")
@login_required
def revoke_token():
    """Revoke one of the user's tokens: requests with it are refused from now on."""
    form = RevokeTokenForm()
    if not form.validate_on_submit():
        flash(_("There is no such token on your account."), "danger")
        return redirect(url_for("accounts.account"), 303)
    user = current_user._get_current_object()
    return carry_out(
        lambda: api_tokens.revoke_token(db.session, user, int(form.token_id.data)),
        back_to=url_for("accounts.account"),
        done=lambda token: _("The token %(name)s is revoked.", name=token.name),
    )


def _current_locale() -> str:
    from certify.web.i18n import current_language

    return current_language()


def _organisation_fields(form: RegistrationForm) -> dict:
    names = {"name_ru": "organisation_name_ru", "name_en": "organisation_name_en"}
    fields = {field: form[names.get(field, field)].data for field in ORGANISATION_FIELDS}
    fields["specialisation"] = fields["specialisation"] or ""
    fields["priority_fields"] = list(fields["priority_fields"] or [])
    return fields
