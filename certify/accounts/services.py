"""Account operations. Each takes the session, flushes, never commits, and raises AccountError.

The security events (logins, logouts, password resets and changes, confirmed addresses, created
accounts, changed roles) are recorded in the audit trail by the operation itself, never with a password,
a hash or a token (issue 12, finding 5).
"""

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

#: how much of a typed address the trail keeps for a failed login: the longest valid address (RFC 5321)
RECORDED_EMAIL_LENGTH = 254


class AccountError(DomainError):
    """A refused account operation; `message` is shown to the user (translated), beside `field` if named."""

    status = 400  # what the user typed was refused: the form comes back with the reason

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


class LoginRefused(AccountError):
    """A refused login, with what the audit trail keeps of it once the attempt has been rolled back."""

    def __init__(self, message, *, user: User | None, email: str, reason: str):
        super().__init__(message)
        self.user, self.email, self.reason = user, email, reason


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def check_password_policy(password: str, email: str, *names: str) -> None:
    if problem := password_problem(password, personal=(email, *names)):
        raise AccountError(problem, field="password")


def create_account(session, *, actor, **fields) -> User:
    """Create an account (see `create_user`) and record who created it: an admin, or "cli"."""
    user = create_user(session, **fields)
    record_created(session, user, actor=actor)
    return user


def create_user(session, *, email: str, password: str, **fields) -> User:
    """Create an account; the password must pass the policy and the e-mail must be free.

    Not recorded in the audit trail: for the demo, benches and tests. People's accounts are created by
    `create_account` or the self-registration, which record it.
    """
    email = normalise_email(email)
    if find_user(session, email):
        raise AccountError(_l("An account with this e-mail already exists."), field="email")
    check_password_policy(password, email, fields.get("full_name_ru", ""), fields.get("full_name_en", ""))
    return add_user(session, email=email, password_hash=hash_password(password), **fields)


def add_user(
    session,
    *,
    email: str,
    password_hash: str,
    full_name_ru: str,
    full_name_en: str = "",
    roles: Iterable[Role] = (),
    organisation: Organisation | None = None,
    locale: str = "ru",
    confirmed: bool = False,
) -> User:
    """The new account's rows, for a checked e-mail and an already hashed password."""
    user = User(
        email=normalise_email(email),
        password_hash=password_hash,
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


def record_created(session, user: User, *, actor) -> None:
    """The new account in the audit trail: its address, roles, organisation (never its password)."""
    after = {
        "email": user.email,
        "roles": sorted(row.role for row in user.role_rows),
        "organisation_id": user.organisation_id,
        "confirmed": user.email_confirmed_at is not None,
    }
    _record(session, user, "account.created", actor=actor, after=after)


def send_confirmation(session, user: User) -> None:
    """Queue the e-mail with the user's confirmation link."""
    _send_token_mail(session, user, tokens.CONFIRM, "confirm_email")


def resend_confirmation(session, email: str) -> None:
    """Mail a new confirmation link to an unconfirmed account; say nothing either way (see the view).

    Recorded either way, like a reset request, so that both paths write the same.
    """
    user = find_user(session, email)
    sent = bool(user and user.active and not user.email_confirmed_at)
    if sent:
        send_confirmation(session, user)
    _record_link_request(session, user, email, "account.confirmation_requested", sent)


def confirm_email(session, token: str) -> User:
    user = _user_from_token(session, token, tokens.CONFIRM)
    user.email_confirmed_at = utcnow()
    session.flush()
    _record(session, user, "account.email_confirmed", actor=user)
    return user


def authenticate(session, email: str, password: str) -> User:
    """The user with these credentials; the same message and work for an unknown e-mail and a wrong password.

    A refusal raises LoginRefused; the caller rolls the attempt back and records it with
    `record_failed_login`. A success is recorded here.
    """
    user = find_user(session, email)
    if user is None:
        verify_against_dummy(password)  # a failed login takes the same time either way
        raise LoginRefused(_l("Wrong e-mail or password."), user=None, email=email, reason="unknown_email")
    if not verify_password(user.password_hash, password):
        raise LoginRefused(_l("Wrong e-mail or password."), user=user, email=email, reason="wrong_password")
    if not user.active:
        message = _l("This account is deactivated. Please contact the certification body.")
        raise LoginRefused(message, user=user, email=email, reason="deactivated")
    if not user.email_confirmed_at:
        message = _l("Please confirm your e-mail first: follow the link in the message we sent you.")
        raise LoginRefused(message, user=user, email=email, reason="unconfirmed")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    _record(session, user, "account.login_succeeded", actor=user)
    return user


def record_failed_login(session, refusal: LoginRefused) -> None:
    """A refused login in the audit trail: the account's, or the typed address (normalised, cut short).

    Only attempts that reached `authenticate` get here, each having cost an Argon2 check and counted
    against the login rate limits: the trail grows no faster than those let anyone try.
    """
    after = {"reason": refusal.reason}
    if refusal.user is None:
        after["email"] = normalise_email(refusal.email)[:RECORDED_EMAIL_LENGTH]
    _record(session, refusal.user, "account.login_failed", actor=refusal.user or "anonymous", after=after)


def log_out(session, user: User) -> None:
    """End every session of the user, and record it."""
    end_sessions(session, user)
    _record(session, user, "account.logged_out", actor=user)


def request_password_reset(session, email: str) -> None:
    """Mail a reset link when the account exists; say nothing either way, so accounts cannot be probed.

    Recorded either way, an unknown address as typed (normalised, cut short), by "anonymous".
    """
    user = find_user(session, email)
    sent = bool(user and user.active)
    if sent:
        _send_token_mail(session, user, tokens.RESET, "reset_password")
    _record_link_request(session, user, email, "account.password_reset_requested", sent)


def _record_link_request(session, user: User | None, email: str, action: str, sent: bool) -> None:
    """A request for a mailed link, by its account's user or by "anonymous" (the address as typed)."""
    after = {"link_sent": sent}
    if user is None:
        after["email"] = normalise_email(email)[:RECORDED_EMAIL_LENGTH]
    _record(session, user, action, actor=user or "anonymous", after=after)


def reset_password(session, token: str, new_password: str) -> User:
    user = _user_from_token(session, token, tokens.RESET)
    set_password(session, user, new_password)
    # Following the link proves the user reads this mailbox.
    confirmed_now = user.email_confirmed_at is None
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    after = {"email_confirmed": True} if confirmed_now else None
    _record(session, user, "account.password_reset", actor=user, after=after)
    return user


def change_password(session, user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_l("The current password is wrong."), field="current_password")
    set_password(session, user, new_password)
    _record(session, user, "account.password_changed", actor=user)


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
    """Admin edit. Deactivation ends the user's sessions at once; the change is audited.

    A change of roles is its own security event ("account.roles_changed"); the other fields are
    recorded together ("user.updated").
    """
    before, roles_before = _account_state(user), _roles(user)
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
    if (roles_after := _roles(user)) != roles_before:
        _record(session, user, "account.roles_changed", actor=actor, before=roles_before, after=roles_after)
    if (after := _account_state(user)) != before:
        _record(session, user, "user.updated", actor=actor, before=before, after=after)


def _roles(user: User) -> dict:
    return {"roles": sorted(row.role for row in user.role_rows)}


def _account_state(user: User) -> dict:
    return {
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


def _record(session, user: User | None, action: str, *, actor, before=None, after=None) -> None:
    """An entry about `user` (None: an address without an account) by `actor`, in the caller's transaction."""
    audit.record(
        session,
        actor=actor,
        action=action,
        subject_type="user",
        subject_id=user.id if user is not None else "-",
        before=before,
        after=after,
    )


def _send_token_mail(session, user: User, purpose: str, template: str) -> None:
    """Queue the e-mail with the user's link; it is sent once the caller's transaction commits."""
    endpoint = "accounts.confirm" if purpose == tokens.CONFIRM else "accounts.reset_password"
    link = external_url(endpoint, token=tokens.make_token(user, purpose))
    queue_mail(session, user.email, template, locale=user.locale, user=user, link=link)
