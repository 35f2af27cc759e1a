"""Signed, expiring, single-use tokens for e-mail confirmation and password reset.

No table is needed: each token is signed together with a fingerprint of the state it changes (the
e-mail confirmation, the password hash), so it stops working as soon as it has been used.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from certify.accounts.models import User

CONFIRM = "confirm-email"
RESET = "reset-password"


class TokenInvalid(Exception):
    """The token is unknown, tampered with, or already used."""


class TokenExpired(TokenInvalid):
    """The token was genuine but is older than its lifetime."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"certify-{purpose}")


def _fingerprint(user: User, purpose: str) -> str:
    state = user.password_hash if purpose == RESET else f"{user.email}|{user.email_confirmed_at}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps([user.id, _fingerprint(user, purpose)])


def read_token(session, token: str, purpose: str, max_age: timedelta) -> User:
    """The user a token was made for; raises TokenExpired or TokenInvalid."""
    try:
        user_id, fingerprint = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as error:
        raise TokenExpired() from error
    except (BadSignature, ValueError, TypeError) as error:
        raise TokenInvalid() from error
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or fingerprint != _fingerprint(user, purpose):
        raise TokenInvalid()
    return user
