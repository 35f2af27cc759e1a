"""Who is asking: a personal token (`Authorization: Bearer <token>`), or nobody; scopes and rate limits.

The API reads no session cookie: a browser's login never opens it, so no other site can make a visitor's
browser read it for them. Each view says the scope it needs with `@scoped`; the public ones also answer
without a token, but a token sent must be valid and hold the scope (a client asked for it for a reason).

Rate limits are counted per token for requests that carry a valid one, and per client address for the
rest (wrong tokens included, so inventing tokens does not buy more requests).
"""

from __future__ import annotations

from functools import wraps

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from certify.accounts import api_tokens
from certify.accounts.api_tokens import Scope
from certify.accounts.models import ApiToken
from certify.api.problems import Problem
from certify.extensions import db

#: the longest Authorization header read; a token is 47 characters
MAX_HEADER = 200
REALM = 'Bearer realm="certify"'


def scoped(scope: Scope, *, anonymous: bool = False):
    """View decorator: the request's token must grant `scope` (401/403 problems); with `anonymous`,
    a request without a token is answered too. The view's `api_scope` and `api_anonymous` let a test
    compare them with the OpenAPI document."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = current_token()
            if token is None and not anonymous:
                raise Problem(
                    "token-required",
                    _l("Send a personal API token: Authorization: Bearer <token>."),
                    headers={"WWW-Authenticate": REALM},
                )
            if token is not None:
                _check_scope(token, scope)
                if api_tokens.note_use(db.session, token, request.path):
                    db.session.commit()
            return view(*args, **kwargs)

        wrapped.api_scope, wrapped.api_anonymous = scope, anonymous
        return wrapped

    return decorator


def _check_scope(token: ApiToken, scope: Scope) -> None:
    if not api_tokens.grants(token, scope):
        raise Problem(
            "insufficient-scope",
            _l(
                "This token does not grant %(scope)s, or its owner no longer holds a role for it.",
                scope=scope,
            ),
            headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{scope}"'},
            scope=str(scope),
        )


def current_token() -> ApiToken | None:
    """The request's token (None: none sent); a refused one raises its 401 problem, every time asked."""
    if "api_token" not in g:
        try:
            g.api_token = _authenticate()
        except Problem as refused:
            g.api_token = refused
    if isinstance(g.api_token, Problem):
        raise g.api_token
    return g.api_token


def owner() -> object:
    """The user whose token this request carries (a view guarded by `scoped` without `anonymous`)."""
    return current_token().user


def _authenticate() -> ApiToken | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, secret = header[:MAX_HEADER].partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or len(header) > MAX_HEADER:
        raise _invalid(_l("Send the token as: Authorization: Bearer <token>."))
    try:
        return api_tokens.authenticate(db.session, secret)
    except api_tokens.TokenRefused as error:
        raise _invalid(error.message) from error


def _invalid(detail) -> Problem:
    return Problem("invalid-token", detail, headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'})


def rate_limit_key() -> str:
    """The bucket a request is counted in: its valid token's, else its address's."""
    try:
        token = current_token()
    except Problem:
        token = None
    return f"api-token:{token.id}" if token is not None else f"api-address:{get_remote_address()}"


def rate_limit() -> str:
    """The limit of the request's bucket (settings CERTIFY_API_TOKEN_RATE_LIMIT and …_ANONYMOUS_…, in
    certify/config.py)."""
    config = current_app.config
    if rate_limit_key().startswith("api-token:"):
        return config["CERTIFY_API_TOKEN_RATE_LIMIT"]
    return config["CERTIFY_API_ANONYMOUS_RATE_LIMIT"]
