"""Friendly error pages in the user's language; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

#: status codes that have a page of their own; the rest use the generic one
OWN_PAGES = {400, 403, 404, 413, 429, 500}


def register_error_handlers(app: Flask) -> None:
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


def _unexpected_error(error: Exception):
    log.exception("unhandled error on %s %s", request.method, loggable_path())
    return _render(InternalServerError())
