"""Language choice: the language named in a public page's address, else the user's saved preference, else
the one picked on this browser, else Russian."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}
#: remembers the language chosen on this browser, for visitors who are not logged in
LANGUAGE_COOKIE = "lang"
#: the query argument naming the language of a page a shared cache may keep (`/registry?lang=en`)
LANGUAGE_ARGUMENT = "lang"


def take_language_from_address(view: Callable) -> None:
    """Mark a view whose pages take their language from `?lang=` and switch it by links.

    Such a page depends on its URL alone, so a shared cache may keep it; the switch of the other pages is
    a form that remembers the choice, whose CSRF token would write a session cookie.
    """
    view.language_in_address = True


def _takes_language_from_address() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "language_in_address", False)


def address_language() -> str | None:
    """The language named in the address of a page that takes it from there, if any."""
    if not has_request_context() or not _takes_language_from_address():
        return None
    language = request.args.get(LANGUAGE_ARGUMENT)
    return language if language in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work: the messages' default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if language := address_language():
        return language
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if request.cookies.get(LANGUAGE_COOKIE) in languages:
        return request.cookies[LANGUAGE_COOKIE]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def language_links() -> list[dict] | None:
    """The language switch of a page that takes its language from its address: this page in each language
    (None on the other pages, whose switch is the form)."""
    if not has_request_context() or not _takes_language_from_address():
        return None
    arguments = request.args.to_dict(flat=False)
    return [
        {
            "code": code,
            "name": name,
            "url": url_for(request.endpoint, **request.view_args, **arguments | {LANGUAGE_ARGUMENT: code}),
        }
        for code, name in LANGUAGE_NAMES.items()
    ]


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
        return {
            "current_language": current_language(),
            "language_names": LANGUAGE_NAMES,
            "language_links": language_links(),
            "address_language": address_language(),
        }
