"""Friendly error pages in the user's language; never a stack trace."""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import Flask, current_app, jsonify, make_response, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from certify.extensions import db
from certify.storage import StorageUnavailable

log = logging.getLogger(__name__)

#: status codes that have a page of their own; the rest use the generic one
OWN_PAGES = {400, 403, 404, 413, 429, 500}


#: how long a client waits before trying again when the database is unreachable (a restart, a failover)
RETRY_AFTER_SECONDS = 5
#: the database's unavailability, in both languages: the page cannot ask the database (or the signed-in
#: user, who is loaded from it) which language to speak, so it speaks both, as the PDFs do
UNAVAILABLE = {
    "ru": {
        "heading": "Сервис временно недоступен",
        "message": (
            "Сервис ненадолго недоступен. Повторите попытку через минуту: всё сохранённое ранее не потеряно."
        ),
        "again": "Повторить",
    },
    "en": {
        "heading": "Service briefly unavailable",
        "message": (
            "The service is briefly unavailable. Please try again in a minute: nothing saved before is lost."
        ),
        "again": "Try again",
    },
}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(PoolTimeout, _database_unavailable)
    app.register_error_handler(StorageUnavailable, _storage_unavailable)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _render(error: HTTPException, template: str | None = None):
    code = error.code or 500
    name = template or (f"errors/{code}.html" if code in OWN_PAGES else "errors/generic.html")
    response = error.get_response()
    response.set_data(render_template(name, code=code))
    response.content_type = "text/html; charset=utf-8"
    return response


def _csrf_error(error: CSRFError):
    return _render(error, "errors/csrf.html")


def _http_error(error: HTTPException):
    if error.code is None:  # a redirect raised as an exception
        return error
    return _render(error)


#: what a secret in a logged path is replaced with
REDACTED = "[redacted]"

#: URL variables that carry a secret (password-reset and confirmation tokens)
SECRET_URL_VARIABLES = ("token",)


def loggable_path() -> str:
    """The request's path with any token in it replaced, so that logs never hold a usable reset link."""
    path = request.path
    for name in SECRET_URL_VARIABLES:
        value = (request.view_args or {}).get(name)
        if isinstance(value, str) and value:
            path = path.replace(value, REDACTED)
    return path


def _database_unavailable(error: SQLAlchemyError):
    """The database cannot be reached: "try again" (503), as JSON to a script, else as a page that needs
    nothing from the database. Whatever the request was doing is rolled back, so nothing half-done is
    acknowledged; the pool checks its connections before use (`pool_pre_ping`), so the next request after
    the database is back works without restarting the workers."""
    log.warning("database unavailable on %s %s: %s", request.method, loggable_path(), error)
    with suppress(SQLAlchemyError):  # the connection that failed may fail the rollback too
        db.session.rollback()
    if request.accept_mimetypes.best == "application/json":
        messages = {language: text["message"] for language, text in UNAVAILABLE.items()}
        response = jsonify(saved=False, unavailable=True, messages=messages)
    else:
        # straight from the template, past the context processors: the navigation asks the database
        template = current_app.jinja_env.get_template("errors/unavailable.html")
        page = template.render(texts=UNAVAILABLE, request=request, url_for=url_for)
        response = make_response(page)
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _storage_unavailable(error: StorageUnavailable):
    """The file storage failed where no caller answered it (a download, a certificate being issued):
    "try again" (503). The request's transaction is rolled back, so no row names a file that was not
    stored; an upload answers the failure itself, on its own page (`certify.questionnaire.evidence`)."""
    log.error("storage unavailable on %s %s: %s", request.method, loggable_path(), error)
    db.session.rollback()
    response = _render(ServiceUnavailable())
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unexpected_error(error: Exception):
    log.exception("unhandled error on %s %s", request.method, loggable_path())
    return _render(InternalServerError())
