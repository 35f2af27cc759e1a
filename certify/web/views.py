"""The home page and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from certify.accounts.services import set_locale
from certify.extensions import db
from certify.web.i18n import LANGUAGE_COOKIE
from certify.web.navigation import safe_next

bp = Blueprint("web", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def index():
    """Home: what Certify is and where each role starts."""
    return render_template("web/index.html")


@bp.post("/language")
def set_language():
    """Switch the interface language, remember it on this browser and, when logged in, on the account."""
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        raise BadRequest()
    if current_user.is_authenticated:
        set_locale(db.session, current_user, language)
        db.session.commit()
    response = redirect(safe_next(request.form.get("next")) or url_for("web.index"))
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=ONE_YEAR,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
