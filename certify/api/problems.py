"""Every error of the API as `application/problem+json` (RFC 9457), in the client's language.

A problem has a `type` (a URI naming the kind of problem: our documentation page's section for it, or
`about:blank` for a plain HTTP status), a `title` (the kind's short summary), the `status`, a `detail` for
this occurrence and the `instance` (the path asked for). The rest of the site keeps its HTML error pages:
only the API blueprint's handlers and, for errors raised while routing (no view was found, so no
blueprint's handler is asked), `answer_routing_errors` under `/api/v1` answer with problems.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from urllib.parse import quote

from flask import Flask, current_app, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from certify.extensions import limiter
from certify.textmarks import N_
from certify.web.errors import loggable_path
from certify.web.urls import external_url

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
#: what a URI's path may carry unescaped (RFC 3986, pchar and "/"): `instance` must be a URI reference
PATH_CHARACTERS = "/:@!$&'()*+,;=-._~"
API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Kind:
    status: int
    title: str


#: the kinds of problem the API defines (each has a section on /api/v1/docs)
KINDS: dict[str, Kind] = {
    "invalid-parameter": Kind(400, N_("A parameter is not valid")),
    "invalid-cursor": Kind(400, N_("The cursor is not valid")),
    "token-required": Kind(401, N_("A token is required")),
    "invalid-token": Kind(401, N_("The token is not valid")),
    "insufficient-scope": Kind(403, N_("The token lacks a scope")),
    "not-found": Kind(404, N_("Not found")),
    "method-not-allowed": Kind(405, N_("Method not allowed")),
    "rate-limited": Kind(429, N_("Too many requests")),
    "server-error": Kind(500, N_("Internal server error")),
}
#: the kind of each HTTP error werkzeug raises; any other status is `about:blank`
KIND_OF_STATUS = {404: "not-found", 405: "method-not-allowed", 429: "rate-limited", 500: "server-error"}
#: what the detail says when the code raising the error gave none of its own
DEFAULT_DETAILS = {
    "not-found": N_("There is nothing at this address."),
    "method-not-allowed": N_("The API only reads: use GET."),
    "rate-limited": N_("Too many requests: wait the number of seconds in Retry-After and try again."),
    "server-error": N_("Something went wrong on our side. It has been logged; please try again later."),
}


class Problem(Exception):
    """A problem raised by the API's code: `kind` of KINDS, `detail` (translatable, lazily), extra members."""

    def __init__(self, kind: str, detail, *, headers: dict | None = None, **members):
        super().__init__(str(kind))
        self.kind, self.detail, self.headers, self.members = kind, detail, headers or {}, members


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def register(blueprint) -> None:
    """Answer with problems every error raised while the blueprint's views run."""
    blueprint.register_error_handler(Problem, _raised)
    blueprint.register_error_handler(HTTPException, _http_error)
    blueprint.register_error_handler(Exception, _unexpected)


def answer_routing_errors(app: Flask) -> None:
    """404 and 405 under /api/v1 as problems, everywhere else as the site's own pages.

    Call after the site's handlers are registered: these are asked first (Flask looks for a handler of
    the status code before one of HTTPException) and hand anything outside the API to the site's.
    """
    site = app.error_handler_spec[None][None][HTTPException]

    def routing_error(error: HTTPException):
        return _http_error(error) if is_api_request() else site(error)

    app.register_error_handler(404, routing_error)
    app.register_error_handler(405, routing_error)


def _raised(error: Problem):
    return problem(error.kind, error.detail, headers=error.headers, **error.members)


def _http_error(error: HTTPException):
    if error.code is None:  # a redirect raised as an exception
        return error
    kind = KIND_OF_STATUS.get(error.code)
    headers = dict(error.get_headers())
    headers.pop("Content-Type", None)
    if error.code == 429:
        headers["Retry-After"] = str(_retry_after())
    # a werkzeug description is English prose for browsers; our kinds carry their own detail
    detail = DEFAULT_DETAILS.get(kind) if kind else error.description
    return problem(kind, detail, status=error.code, title=None if kind else error.name, headers=headers)


def _unexpected(error: Exception):
    log.exception("unhandled error on %s %s", request.method, loggable_path())
    return _http_error(InternalServerError())


def _retry_after() -> int:
    """Seconds until the limit that was hit lets requests through again (at least one)."""
    limit = limiter.current_limit
    return max(1, int(limit.reset_at - time.time())) if limit is not None else 60


def problem(kind: str | None, detail, *, status: int | None = None, title=None, headers=None, **members):
    """The problem response, in the language the client accepts (else the site's)."""
    language = request.accept_languages.best_match(current_app.config["LANGUAGES"]) or str(get_locale())
    with force_locale(language):
        body = {
            "type": f"{external_url('api.docs')}#problem-{kind}" if kind else "about:blank",
            "title": _(KINDS[kind].title) if kind else str(title),
            "status": KINDS[kind].status if kind else status,
            # a marked message (N_) or a werkzeug description is translated here; a lazy one (_l) by str()
            "detail": _(detail) if isinstance(detail, str) else str(detail or ""),
            "instance": quote(request.path, safe=PATH_CHARACTERS),
            **members,
        }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=body["status"], mimetype=PROBLEM_JSON
    )
    response.headers.extend(headers or {})
    response.headers["Content-Language"] = language
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Accept-Language")
    return response
