"""Account operations. Each takes the session, flushes, never commits, and raises AccountError."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from certify.accounts import tokens
from certify.accounts.models import Organisation, Role, User, UserRole, new_session_token
from certify.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_against_dummy,
    verify_password,
)
from certify.audit import services as audit
from certify.errors import DomainError
from certify.outbox.services import queue_mail
from certify.timeutil import utcnow
from certify.web.urls import external_url


class AccountError(DomainError):
    """A refused account operation; `message` is shown to the user (translated), beside `field` if named."""

    status = 400  # what the user typed was refused: the form comes back with the reason

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def check_password_policy(password: str, email: str, *names: str) -> None:
    if problem := password_problem(password, personal=(email, *names)):
        raise AccountError(problem, field="password")


def create_user(
    session,
    *,
    email: str,
    password: str,
    full_name_ru: str,
    full_name_en: str = "",
    roles: Iterable[Role] = (),
    organisation: Organisation | None = None,
    locale: str = "ru",
    confirmed: bool = False,
) -> User:
    """Create an account; the password must pass the policy and the e-mail must be free."""
    email = normalise_email(email)
    if find_user(session, email):
        raise AccountError(_l("An account with this e-mail already exists."), field="email")
    check_password_policy(password, email, full_name_ru, full_name_en)
    user = User(
        email=email,
        password_hash=hash_password(password),
        full_name_ru=full_name_ru.strip(),
        full_name_en=full_name_en.strip(),
        organisation=organisation,
        locale=locale,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    user.role_rows = [UserRole(role=Role(role).value) for role in set(roles)]
    session.add(user)
    session.flush()
    return user


def register_manager(session, *, organisation: Organisation, **fields) -> User:
    """Self-registration: a manager of a (new or existing) organisation, unconfirmed until the e-mail link."""
    user = create_user(session, roles=[Role.MANAGER], organisation=organisation, **fields)
    _send_token_mail(session, user, tokens.CONFIRM, "confirm_email")
    return user


def resend_confirmation(session, email: str) -> None:
    user = find_user(session, email)
    if user and user.active and not user.email_confirmed_at:
        _send_token_mail(session, user, tokens.CONFIRM, "confirm_email")


def confirm_email(session, token: str) -> User:
    user = _user_from_token(session, token, tokens.CONFIRM)
    user.email_confirmed_at = utcnow()
    session.flush()
    return user


def authenticate(session, email: str, password: str) -> User:
    """The user with these credentials; the same message for an unknown e-mail and a wrong password."""
    user = find_user(session, email)
    if user is None:
        verify_against_dummy(password)  # a failed login takes the same time either way
        raise AccountError(_l("Wrong e-mail or password."))
    if not verify_password(user.password_hash, password):
        raise AccountError(_l("Wrong e-mail or password."))
    if not user.active:
        raise AccountError(_l("This account is deactivated. Please contact the certification body."))
    if not user.email_confirmed_at:
        raise AccountError(
            _l("Please confirm your e-mail first: follow the link in the message we sent you.")
        )
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def request_password_reset(session, email: str) -> None:
    """Mail a reset link when the account exists; say nothing either way, so accounts cannot be probed."""
    user = find_user(session, email)
    if user and user.active:
        _send_token_mail(session, user, tokens.RESET, "reset_password")


def reset_password(session, token: str, new_password: str) -> User:
    user = _user_from_token(session, token, tokens.RESET)
    set_password(session, user, new_password)
    # Following the link proves the user reads this mailbox.
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    return user


def change_password(session, user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_l("The current password is wrong."), field="current_password")
    set_password(session, user, new_password)


def set_password(session, user: User, new_password: str) -> None:
    """Replace the password and end every session of the user (the caller logs the current one back in)."""
    check_password_policy(new_password, user.email, user.full_name_ru, user.full_name_en)
    user.password_hash = hash_password(new_password)
    end_sessions(session, user)


def end_sessions(session, user: User) -> None:
    """Invalidate every session cookie of the user: each carries the token replaced here."""
    user.session_token = new_session_token()
    session.flush()


def update_user(
    session,
    user: User,
    *,
    full_name_ru: str,
    full_name_en: str,
    locale: str,
    roles: Iterable[Role],
    organisation: Organisation | None,
    active: bool,
    actor=None,
) -> None:
    """Admin edit. Deactivation ends the user's sessions at once; the change is audited."""
    before = _account_state(user)
    user.full_name_ru, user.full_name_en, user.locale = full_name_ru, full_name_en, locale
    user.organisation = organisation
    wanted = {Role(role).value for role in roles}
    user.role_rows = [row for row in user.role_rows if row.role in wanted] + [
        UserRole(role=role) for role in wanted - {row.role for row in user.role_rows}
    ]
    if user.active and not active:
        end_sessions(session, user)
    user.active = active
    session.flush()
    after = _account_state(user)
    if after != before:
        audit.record(
            session,
            actor=actor,
            action="user.updated",
            subject_type="user",
            subject_id=str(user.id),
            before=before,
            after=after,
        )


def _account_state(user: User) -> dict:
    return {
        "roles": sorted(row.role for row in user.role_rows),
        "active": user.active,
        "organisation_id": user.organisation_id,
        "names": [user.full_name_ru, user.full_name_en],
    }


def set_locale(session, user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
        session.flush()


def _user_from_token(session, token: str, purpose: str) -> User:
    try:
        setting = "RESET_TOKEN_MAX_AGE" if purpose == tokens.RESET else "TOKEN_MAX_AGE"
        return tokens.read_token(session, token, purpose, current_app.config[setting])
    except tokens.TokenExpired as error:
        raise AccountError(_l("This link has expired. Please ask for a new one.")) from error
    except tokens.TokenInvalid as error:
        raise AccountError(_l("This link is not valid or has already been used.")) from error


def _send_token_mail(session, user: User, purpose: str, template: str) -> None:
    """Queue the e-mail with the user's link; it is sent once the caller's transaction commits."""
    endpoint = "accounts.confirm" if purpose == tokens.CONFIRM else "accounts.reset_password"
    link = external_url(endpoint, token=tokens.make_token(user, purpose))
    queue_mail(session, user.email, template, locale=user.locale, user=user, link=link)
