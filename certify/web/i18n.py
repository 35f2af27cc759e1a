"""Language choice: the user's saved preference, else the one picked on this browser, else Russian."""

from __future__ import annotations

from datetime import date

from flask import Flask, current_app, has_request_context, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}
#: remembers the language chosen on this browser, for visitors who are not logged in
LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work: the messages' default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if request.cookies.get(LANGUAGE_COOKIE) in languages:
        return request.cookies[LANGUAGE_COOKIE]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def format_day(value, format=None) -> str:
    """A date in the reader's locale, one format everywhere; ISO text (as the public API carries dates) too.

    None is no date at all (Babel would print today's).
    """
    if value is None:
        return ""
    return format_date(date.fromisoformat(value) if isinstance(value, str) else value, format)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(date=format_day, datetime=format_datetime, number=format_decimal)

    @app.context_processor
    def language_context():
        return {"current_language": current_language(), "language_names": LANGUAGE_NAMES}
