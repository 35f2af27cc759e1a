"""Personal API tokens: made by their owner on the account page, shown once, stored hashed, scoped, revocable.

A token is `cfy_` and 43 characters of `secrets.token_urlsafe(32)` (256 random bits). Only its SHA-256 is
stored: with that much entropy a fast hash cannot be reversed by guessing, and the look-up is one indexed
query. Its first characters (`prefix`) are kept in clear so the owner can tell tokens apart.

Making and revoking a token are audited; so is its use, at most once a minute per token (`note_use`), which
keeps the trail from growing with every API request while still saying who read what, and when.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from certify.accounts.models import ApiToken, Role, User
from certify.audit.services import record
from certify.errors import DomainError
from certify.timeutil import as_utc, utcnow


class Scope(StrEnum):
    """What a token may read (docs/api.md)."""

    REGISTRY = "read:registry"
    OWN = "read:own"
    STATISTICS = "read:statistics"


#: the roles that may hold each scope; None: any account
SCOPE_ROLES: dict[Scope, tuple[Role, ...] | None] = {
    Scope.REGISTRY: None,
    Scope.OWN: (Role.MANAGER, Role.CANDIDATE),
    Scope.STATISTICS: (Role.COORDINATOR, Role.ADMIN),
}
PREFIX = "cfy_"
#: characters of the secret kept in clear: the marker and 8 random characters
SHOWN_CHARACTERS = len(PREFIX) + 8
#: tokens in force one user may hold at once: enough for every script, and a bound on what a leak costs
MAX_ACTIVE = 20
#: the lifetimes offered when making a token, in days (None: until revoked)
LIFETIMES = (30, 90, 365, None)
#: a use is written and audited at most this often per token
USE_RECORDED_EVERY = timedelta(minutes=1)


class TokenRefused(DomainError):
    """A token that was refused: unknown, expired, revoked, or its owner's account deactivated (401)."""

    status = 401


class TokenError(DomainError):
    """Making or revoking a token was refused; `message` is shown beside `field` if named."""

    status = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and its secret, which is never shown again."""

    token: ApiToken
    secret: str


def allowed_scopes(user: User) -> list[Scope]:
    """The scopes `user` may give a token now (in the order of `Scope`)."""
    return [scope for scope in Scope if SCOPE_ROLES[scope] is None or user.has_role(*SCOPE_ROLES[scope])]


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(session, user: User, name: str, scopes: list[str], lifetime_days: int | None) -> NewToken:
    """A new token of `user` with those scopes, valid `lifetime_days` (None: until revoked); audited."""
    name = name.strip()
    if not name:
        raise TokenError(_l("Give the token a name."), "name")
    refused = [scope for scope in scopes if scope not in allowed_scopes(user)]
    if refused or not scopes:
        raise TokenError(_l("Choose at least one of the scopes offered."), "scopes")
    if lifetime_days not in LIFETIMES:
        raise TokenError(_l("Choose one of the lifetimes offered."), "lifetime")
    if len(tokens_in_force(session, user)) >= MAX_ACTIVE:
        raise TokenError(_l("You have %(count)s tokens in force: revoke one first.", count=MAX_ACTIVE))
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:SHOWN_CHARACTERS],
        secret_sha256=digest(secret),
        scopes=[scope for scope in Scope if scope in scopes],
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days) if lifetime_days else None,
    )
    session.add(token)
    session.flush()
    after = {"name": token.name, "prefix": token.prefix, "scopes": list(token.scopes)}
    after["expires_at"] = token.expires_at.isoformat() if token.expires_at else None
    record(
        session,
        actor=user,
        action="account.api_token_created",
        subject_type="api_token",
        subject_id=token.id,
        after=after,
    )
    return NewToken(token, secret)


def revoke_token(session, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens; it is refused from then on. Audited."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise TokenError(_l("There is no such token on your account."))
    if token.revoked_at is not None:
        raise TokenError(_l("This token is already revoked."))
    token.revoked_at = utcnow()
    session.flush()
    record(
        session,
        actor=user,
        action="account.api_token_revoked",
        subject_type="api_token",
        subject_id=token.id,
        after={"name": token.name, "prefix": token.prefix},
    )
    return token


def is_in_force(token: ApiToken, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return token.revoked_at is None and (token.expires_at is None or as_utc(token.expires_at) > now)


def status_of(token: ApiToken, now: datetime | None = None) -> str:
    """`active`, `expired` or `revoked`, as the account page labels the token."""
    if token.revoked_at is not None:
        return "revoked"
    return "active" if is_in_force(token, now) else "expired"


def tokens_in_force(session, user: User) -> list[ApiToken]:
    return [token for token in tokens_of(session, user) if is_in_force(token)]


def tokens_of(session, user: User) -> list[ApiToken]:
    """Every token of the user, newest first, revoked and expired ones included (the account page)."""
    statement = sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(statement))


def authenticate(session, secret: str) -> ApiToken:
    """The token whose secret this is, in force and of an active account; raises TokenRefused."""
    statement = (
        sa.select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.secret_sha256 == digest(secret))
    )
    token = session.scalar(statement)
    if token is None:
        raise TokenRefused(_l("The token is not known. Check that it was copied whole."))
    if token.revoked_at is not None:
        raise TokenRefused(_l("The token has been revoked."))
    if not is_in_force(token):
        raise TokenRefused(_l("The token has expired. Make a new one on your account page."))
    if not token.user.active:
        raise TokenRefused(_l("The token's account is deactivated."))
    return token


def grants(token: ApiToken, scope: Scope) -> bool:
    """Whether the token may read `scope` now: given the scope, and its owner still holds a role for it."""
    roles = SCOPE_ROLES[scope]
    return scope in token.scopes and (roles is None or token.user.has_role(*roles))


def note_use(session, token: ApiToken, path: str) -> bool:
    """Write the token's last use and audit it, unless that was done less than a minute ago.

    One conditional UPDATE decides, so of concurrent requests only one writes in each minute. Returns
    whether it wrote (the caller then commits).
    """
    now = utcnow()
    moved = session.execute(
        sa.update(ApiToken)
        .where(
            ApiToken.id == token.id,
            sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - USE_RECORDED_EVERY),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        return False
    record(
        session,
        actor=token.user,
        action="account.api_token_used",
        subject_type="api_token",
        subject_id=token.id,
        after={"name": token.name, "prefix": token.prefix, "path": path[:200]},
    )
    return True
