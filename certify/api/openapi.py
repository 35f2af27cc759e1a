"""The OpenAPI 3.1 document of `/api/v1`, built once from these dicts: the one description of the API.

`/api/v1/openapi.json` serves it and `/api/v1/docs` renders it for people (in Russian too: its texts are
marked with N_ and translated by the page; the JSON stays in English). A test checks that every `/api/v1`
rule of the app is described here with the scope its view asks for, and every path described exists;
another validates the document against the OpenAPI 3.1 schema, and schemathesis checks the API's answers
against it.
"""

from __future__ import annotations

import copy
from functools import cache

from certify.accounts.api_tokens import Scope
from certify.api.pagination import DEFAULT_LIMIT, MAX_CURSOR_LENGTH, MAX_LIMIT, MAX_PAGE
from certify.api.problems import KINDS, PROBLEM_JSON
from certify.api.schemas import SCHEMAS, ref
from certify.certificates.forms import NUMBER
from certify.textmarks import N_

VERSION = "1.1.0"
#: path -> (summary, description, scope, anonymous allowed, parameters, 200's schema, error statuses)
OPERATIONS = {
    "/api/v1/certificates": (
        N_("Certificates in force"),
        N_(
            "The public registry, oldest first. q finds a number, name, region or level, in any case and "
            "script, as the registry page does."
        ),
        Scope.REGISTRY,
        True,
        ("q", "limit", "cursor", "page"),
        ref("CertificatePage"),
        (400,),
    ),
    "/api/v1/certificates/{number}": (
        N_("One certificate"),
        N_("Any certificate issued, in force or not, with its status today. Each lookup is counted."),
        Scope.REGISTRY,
        True,
        ("number",),
        ref("Certificate"),
        (404,),
    ),
    "/api/v1/standards": (
        N_("Standard versions"),
        N_(
            "Published and retired versions; current marks those new applications start on. "
            "A short list, not paginated."
        ),
        Scope.REGISTRY,
        True,
        (),
        {"type": "array", "items": ref("Standard")},
        (),
    ),
    "/api/v1/standards/{code}/{version}": (
        N_("One standard version"),
        N_("The whole definition of a published or retired version, as in its YAML file."),
        Scope.REGISTRY,
        True,
        ("code", "version"),
        ref("StandardDefinition"),
        (404,),
    ),
    "/api/v1/me/applications": (
        N_("My applications"),
        N_(
            "A manager's organisation's applications, and a candidate's own: state, standard, dates "
            "and the level decided."
        ),
        Scope.OWN,
        False,
        ("limit", "cursor"),
        ref("ApplicationPage"),
        (400,),
    ),
    "/api/v1/me/certificates": (
        N_("My certificates"),
        N_("Every certificate issued on those applications, in force or not."),
        Scope.OWN,
        False,
        ("limit", "cursor"),
        ref("OwnCertificatePage"),
        (400,),
    ),
    "/api/v1/statistics": (
        N_("Public statistics"),
        N_(
            "Certificates in force by standard version and level, and applications decided per year. "
            'Counts from 1 to 4 are written "<5". For the certification body\'s staff.'
        ),
        Scope.STATISTICS,
        False,
        (),
        ref("Statistics"),
        (),
    ),
    "/api/v1/monitoring": (
        N_("Monitoring of certified organisations"),
        N_(
            "Totals and medians of the yearly reports accepted from certified organisations (investment "
            "attracted, joint projects, energy saved, CO₂ avoided), per year, region and green field. No "
            "organisation can be identified: small cells are withheld."
        ),
        Scope.REGISTRY,
        True,
        (),
        ref("MonitoringAggregates"),
        (),
    ),
    "/api/v1/openapi.json": (
        N_("This document"),
        N_("The OpenAPI 3.1 description of the API."),
        Scope.REGISTRY,
        True,
        (),
        {"type": "object"},
        (),
    ),
}
#: the page for people: HTML, described here so that the document covers every /api/v1 address
DOCS_PATH = "/api/v1/docs"

PARAMETERS = {
    "q": {
        "in": "query",
        "schema": {"type": "string", "maxLength": 200},
        "description": N_("Text to find (at most 200 characters)."),
    },
    "limit": {
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        "description": N_("Rows per page, 1 to 100 (20 if not given)."),
    },
    "cursor": {
        "in": "query",
        "schema": {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
        "description": N_(
            "Where the page starts: copy it from the previous page's next link, never build one."
        ),
    },
    "page": {
        "in": "query",
        "deprecated": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        "description": N_("Deprecated: the page number of the first API version. Use cursor."),
    },
    "number": {"in": "path", "required": True, "schema": {"type": "string", "pattern": NUMBER.pattern}},
    "code": {"in": "path", "required": True, "schema": {"type": "string"}},
    "version": {"in": "path", "required": True, "schema": {"type": "string"}},
}
HEADERS = {
    "ETag": {
        "description": N_("Send it back in If-None-Match: 304 if nothing changed."),
        "required": True,
        "schema": {"type": "string"},
    },
    "Link": {"description": N_('The next page: <url>; rel="next".'), "schema": {"type": "string"}},
    "Deprecation": {
        "description": N_("Only with page: the date page was deprecated (RFC 9745)."),
        "schema": {"type": "string"},
    },
    "Retry-After": {"description": N_("Seconds to wait."), "required": True, "schema": {"type": "integer"}},
}
ERRORS = {
    400: N_("A parameter or the cursor was refused."),
    401: N_("No token was sent where one is needed, or the token is unknown, expired or revoked."),
    403: N_("The token does not grant the scope."),
    404: N_("There is nothing at this address."),
    429: N_("Too many requests from this token or address."),
    500: N_("An error on our side."),
}


def _problem(status: int) -> dict:
    answer = {"description": ERRORS[status], "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}
    if status == 429:
        answer["headers"] = {"Retry-After": {"$ref": "#/components/headers/Retry-After"}}
    return answer


def _operation(path: str) -> dict:
    summary, description, scope, anonymous, parameters, schema, errors = OPERATIONS[path]
    paginated = "cursor" in parameters
    headers = {"ETag": {"$ref": "#/components/headers/ETag"}}
    if paginated:
        headers |= {name: {"$ref": f"#/components/headers/{name}"} for name in ("Link", "Deprecation")}
    statuses = sorted({*errors, 401, 403, 429, 500})
    return {
        "operationId": path.removeprefix("/api/v1/")
        .replace("/", "_")
        .replace("{", "")
        .replace("}", "")
        .replace(".", "_"),
        "summary": summary,
        "description": description,
        "security": ([{}] if anonymous else []) + [{"bearerToken": [str(scope)]}],
        "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in parameters],
        "responses": {
            "200": {
                "description": N_("The answer."),
                "headers": headers,
                "content": {"application/json": {"schema": schema}},
            },
            "304": {
                "description": N_("Unchanged since the ETag sent in If-None-Match."),
                "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
            },
            **{str(status): _problem(status) for status in statuses},
        },
    }


def _docs_operation() -> dict:
    return {
        "operationId": "docs",
        "summary": N_("This reference, for people"),
        "description": N_("The same document as a web page, in Russian or English."),
        "responses": {
            "200": {"description": N_("The page."), "content": {"text/html": {"schema": {"type": "string"}}}},
            "304": {"description": N_("Unchanged since the ETag sent in If-None-Match.")},
            "429": _problem(429),
        },
    }


@cache
def _built() -> dict:
    paths = {path: {"get": _operation(path)} for path in OPERATIONS}
    paths[DOCS_PATH] = {"get": _docs_operation()}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Certify API",
            "version": VERSION,
            "summary": N_(
                "The certification body's public registry, standards and statistics, "
                "and a token owner's own records."
            ),
            "description": N_(
                "Read-only. Errors are application/problem+json (RFC 9457); lists are paginated with "
                "cursors; every answer has an ETag. See docs/api.md."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "parameters": {name: {"name": name, **spec} for name, spec in PARAMETERS.items()},
            "headers": HEADERS,
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": N_(
                        "A personal API token made on your account page: Authorization: Bearer <token>."
                    ),
                }
            },
        },
        "x-problem-types": {
            kind: {"status": spec.status, "title": spec.title} for kind, spec in KINDS.items()
        },
    }


@cache
def query_parameters() -> dict[str, frozenset[str]]:
    """The query parameters each described path takes, as the app's rule writes it (`<number>`)."""
    found = {}
    for path, methods in _built()["paths"].items():
        names = {item["$ref"].rsplit("/", 1)[1] for item in methods["get"].get("parameters", [])}
        rule = path.replace("{", "<").replace("}", ">")
        found[rule] = frozenset(name for name in names if PARAMETERS[name]["in"] == "query")
    return found


def document() -> dict:
    """The document (a copy: a caller may change it without changing what the next request is served)."""
    return copy.deepcopy(_built())
