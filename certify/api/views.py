"""The public API, `/api/v1` (docs/api.md): the registry, the standards, a token owner's own records,
the public statistics, and the OpenAPI document that describes every one of them."""

from __future__ import annotations

import yaml
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from certify.accounts.api_tokens import Scope
from certify.api import own, problems
from certify.api.answers import Caching, json_answer, representation
from certify.api.auth import owner, rate_limit, rate_limit_key, scoped
from certify.api.docs_page import docs_context
from certify.api.openapi import document, query_parameters
from certify.api.pagination import page_of, page_request
from certify.api.problems import Problem
from certify.api.statistics import statistics as public_statistics
from certify.certificates import issuance, lookups, register
from certify.certificates.forms import NUMBER, NUMBER_MAX_LENGTH
from certify.certificates.models import Certificate
from certify.certificates.public import public_view
from certify.extensions import db, limiter
from certify.monitoring.aggregates import public_json
from certify.monitoring.records import accepted_reports, latest_standard
from certify.monitoring.trends import MIN_PEERS
from certify.questionnaire.models import Application
from certify.standards import services as standards_services
from certify.standards.models import StandardStatus, StandardVersion
from certify.timeutil import as_utc

bp = Blueprint("api", __name__, url_prefix="/api/v1")
limiter.limit(rate_limit, key_func=rate_limit_key)(bp)
problems.register(bp)

#: the longest search text read, as on the HTML registry
MAX_QUERY = 200


@bp.before_request
def refuse_unknown_parameters():
    """A query parameter the document does not list is refused (a typo such as `limt` would otherwise
    be ignored without a word)."""
    unknown = sorted(set(request.args) - query_parameters().get(request.url_rule.rule, frozenset()))
    if unknown:
        raise Problem(
            "invalid-parameter",
            _l("Unknown parameter: %(name)s.", name=unknown[0][:40]),
            parameter=unknown[0][:40],
        )


@bp.get("/certificates")
@scoped(Scope.REGISTRY, anonymous=True)
def certificates():
    """Certificates in force, by id; `q` finds a number, name, region or level (any case, any script)."""
    query = _text("q", MAX_QUERY)
    statement = register.search(register.in_force(), query)
    page = page_of(db.session, statement, Certificate.id, page_request("certificates", {"q": query}))
    body = page.body("api.certificates", [public_view(db.session, c) for c in page.items], q=query)
    links, headers = page.headers("api.certificates", q=query)
    return json_answer(body, Caching.PUBLIC, links=links, headers=headers)


@bp.get("/certificates/<number>")
@scoped(Scope.REGISTRY, anonymous=True)
def certificate(number: str):
    """One certificate, in force or not, with its status today; each lookup is counted."""
    found = (
        issuance.find(db.session, number)
        if len(number) <= NUMBER_MAX_LENGTH and NUMBER.match(number)
        else None
    )
    if found is None:
        raise Problem(
            "not-found", _l("No certificate has the number %(number)s.", number=number[:NUMBER_MAX_LENGTH])
        )
    if lookups.count_lookup(db.session, found, current_app.config["CERTIFY_LOOKUP_FLUSH_SECONDS"]):
        db.session.commit()
    return json_answer(public_view(db.session, found), Caching.PUBLIC)


def _public_versions():
    return db.select(StandardVersion).where(StandardVersion.status != StandardStatus.DRAFT.value)


@bp.get("/standards")
@scoped(Scope.REGISTRY, anonymous=True)
def standards():
    """Published and retired versions (drafts are not public); `current`: what new applications start on,
    one organisation standard and one personal scheme. A short catalogue, never paginated."""
    current_ids = standards_services.current_version_ids(db.session)
    rows = db.session.scalars(_public_versions().order_by(StandardVersion.code, StandardVersion.published_at))
    return json_answer([_standard_summary(row, current_ids) for row in rows], Caching.PUBLIC)


def _standard_summary(row: StandardVersion, current_ids: set[int]) -> dict:
    return {
        "code": row.code,
        "version": row.version,
        "kind": row.kind,
        "status": row.status,
        "current": row.id in current_ids,
        "title": {"ru": row.title_ru, "en": row.title_en},
        "published_at": as_utc(row.published_at).isoformat() if row.published_at else None,
        "url": url_for("api.standard_version", code=row.code, version=row.version, _external=True),
    }


@bp.get("/standards/<code>/<version>")
@scoped(Scope.REGISTRY, anonymous=True)
def standard_version(code: str, version: str):
    """One published or retired version: its whole definition, as in its YAML file."""
    row = db.session.scalar(
        _public_versions().where(StandardVersion.code == code, StandardVersion.version == version)
    )
    if row is None:
        raise Problem(
            "not-found",
            _l("No published standard is %(code)s %(version)s.", code=code[:40], version=version[:20]),
        )
    body = {"status": row.status, "sha256": row.source_sha256, "definition": yaml.safe_load(row.source)}
    # a retired version's status is the one thing that can still change
    return json_answer(body, Caching.PUBLIC)


@bp.get("/me/applications")
@scoped(Scope.OWN)
def my_applications():
    """The applications the token's owner applies for: their organisation's, or their own as a candidate."""
    page = page_of(db.session, own.applications_of(owner()), Application.id, page_request("me/applications"))
    body = page.body("api.my_applications", own.application_views(db.session, page.items))
    links, headers = page.headers("api.my_applications")
    return json_answer(body, Caching.PRIVATE, links=links, headers=headers)


@bp.get("/me/certificates")
@scoped(Scope.OWN)
def my_certificates():
    """Every certificate issued on those applications, in force or not."""
    page = page_of(db.session, own.certificates_of(owner()), Certificate.id, page_request("me/certificates"))
    body = page.body("api.my_certificates", own.certificate_views(db.session, page.items))
    links, headers = page.headers("api.my_certificates")
    return json_answer(body, Caching.PRIVATE, links=links, headers=headers)


@bp.get("/statistics")
@scoped(Scope.STATISTICS)
def statistics():
    """Certificates in force by standard version and level, decisions per year; counts under 5 hidden."""
    return json_answer(public_statistics(db.session), Caching.PRIVATE)


@bp.get("/monitoring")
@scoped(Scope.REGISTRY, anonymous=True)
def monitoring():
    """The public aggregates of the accepted yearly reports; nothing about fewer than five organisations."""
    standard = latest_standard(db.session)
    reports = accepted_reports(db.session)
    if standard is None:
        return json_answer({"min_organisations": MIN_PEERS, "figures": [], "years": []}, Caching.PUBLIC)
    return json_answer(public_json(reports, standard.monitoring), Caching.PUBLIC)


@bp.get("/openapi.json")
@scoped(Scope.REGISTRY, anonymous=True)
def openapi():
    """The OpenAPI 3.1 document of this API."""
    return json_answer(document(), Caching.PUBLIC)


@bp.get("/docs")
@scoped(Scope.REGISTRY, anonymous=True)
def docs():
    """The API's reference for people, rendered from the OpenAPI document, in the site's language."""
    page = render_template("api/docs.html", **docs_context(document()))
    # private: the page carries the visitor's menu and language
    return representation(page.encode(), "text/html", Caching.PRIVATE)


def _text(name: str, longest: int) -> str:
    """A text parameter, stripped; longer than `longest` is a 400 problem."""
    text = request.args.get(name, "").strip()
    if len(text) > longest:
        raise Problem(
            "invalid-parameter",
            _l("%(name)s may be at most %(count)s characters long.", name=name, count=longest),
            parameter=name,
        )
    return text
