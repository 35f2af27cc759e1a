"""Session handling (OWASP ASVS level 2, chapter 3), the bodies a POST may carry, and security headers."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from certify.accounts.models import User
from certify.extensions import db, login_manager
from certify.timeutil import utcnow

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.before_request(refuse_bodies_no_form_sends)
    app.before_request(enforce_session_timeouts)
    app.after_request(add_security_headers)


def load_user(cookie_id: str) -> User | None:
    """The user of a session cookie, if the cookie's session token is still the user's current one."""
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.scalars(_USER_WITH_ROLES, {"user_id": int(user_id)}).unique().first()
    if user is None or not user.active or user.session_token != token:
        return None
    return user


#: roles joined in the same query, built once: this runs on every request of a logged-in user
_USER_WITH_ROLES = (
    sa.select(User).options(joinedload(User.role_rows)).where(User.id == sa.bindparam("user_id"))
)


def start_session(user: User) -> None:
    """Log in with a fresh session: nothing of the anonymous session (fixation) carries over."""
    session.clear()
    login_user(user)
    session["login_at"] = session["seen_at"] = utcnow().timestamp()
    session.permanent = True


def end_session() -> None:
    logout_user()
    session.clear()


#: how the app's forms are sent (an empty body has no type); nothing in the app reads JSON
FORM_ENCODINGS = frozenset({"", "application/x-www-form-urlencoded", "multipart/form-data"})
#: the one name an upload is taken under: every file input of the app's forms is called so
UPLOAD_FIELD = "file"


def refuse_bodies_no_form_sends():
    """Refuse a body no form of the app sends (issue 12, hostile forms), before a form reads it.

    Flask-WTF gives a form a JSON body's values (numbers, lists, objects) and every uploaded file under
    the name it was sent with; a field that expects text then failed on them with a 500.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.mimetype not in FORM_ENCODINGS:
        raise UnsupportedMediaType()
    if any(name != UPLOAD_FIELD for name in request.files):
        raise BadRequest()


#: how precisely the idle timeout is measured (minutes-long timeouts need no better)
SEEN_AT_RESOLUTION_SECONDS = 60


def enforce_session_timeouts():
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    config = current_app.config
    now = utcnow().timestamp()
    idle = now - session.get("seen_at", 0) > config["SESSION_IDLE_TIMEOUT"].total_seconds()
    expired = now - session.get("login_at", 0) > config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    if idle or expired:
        end_session()
        flash(_l("Your session has expired. Please log in again."), "warning")
        return redirect(url_for("accounts.login", next=request.full_path))
    if now - session.get("seen_at", 0) > SEEN_AT_RESOLUTION_SECONDS:
        # refreshed once a minute, not on every request: each refresh re-signs and re-sends the cookie
        session["seen_at"] = now
    return None


#: HSTS (RFC 6797) for a year; sent whenever cookies are secure-only, i.e. the site is served over HTTPS.
#: No includeSubDomains: the certification body's other hosts are not ours to commit to HTTPS.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        # Keyed on the setting, not on request.is_secure: behind a TLS proxy the app sees plain HTTP.
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if current_user and current_user.is_authenticated:
        # Pages of a logged-in user must not be kept by shared caches or the back button after logout.
        response.headers.setdefault("Cache-Control", "no-store")
    return response
