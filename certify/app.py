"""Assembles the application: settings, extensions, blueprints (the app's table of contents), CLI, errors."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from certify import collector, deployment, storage
from certify.certificates import lookups
from certify.config import PROJECT_ROOT, settings_from_environment
from certify.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
from certify.web.requests import Request


def build_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        "certify",
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.request_class = Request  # closes every upload stream it opened, even of a refused form
    app.config.update(settings_from_environment(Path(app.instance_path)))
    app.config.update(overrides or {})
    logging.basicConfig(level=logging.INFO)
    # WeasyPrint reports every layout step at INFO; only its warnings matter to an operator.
    for noisy in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _trust_proxies(app)
    app.wsgi_app = collector.PausedPerRequest(app.wsgi_app)  # outermost: the whole request
    _import_models()
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    lookups.flush_at_exit(app)
    deployment.warn_at_startup(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Take the client's address and scheme from the configured number of proxies in front of the app."""
    x_for, x_proto = app.config["PROXY_FIX_X_FOR"], app.config["PROXY_FIX_X_PROTO"]
    if x_for or x_proto:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto)


def _import_models() -> None:
    """Every domain's tables, so that create_all and the migrations see the whole schema."""
    import certify.accounts.models
    import certify.attestation.models
    import certify.audit.models
    import certify.certificates.models
    import certify.exams.models
    import certify.monitoring.models
    import certify.outbox.models
    import certify.questionnaire.models
    import certify.review.models
    import certify.standards.models  # noqa: F401


def _init_extensions(app: Flask) -> None:
    from certify.web import i18n, navigation, security

    storage.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(PROJECT_ROOT / "certify" / "translations"),
    )
    limiter.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    navigation.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from certify.accounts.admin_views import bp as accounts_admin
    from certify.accounts.views import bp as accounts
    from certify.api.problems import answer_routing_errors
    from certify.api.views import bp as api
    from certify.attestation.views import bp as attestation
    from certify.audit.views import bp as audit
    from certify.certificates.views import bp as certificates
    from certify.exams.views import bp as exams
    from certify.insight.views import bp as insight
    from certify.monitoring.views import bp as monitoring
    from certify.outbox.views import bp as outbox
    from certify.questionnaire.views import bp as questionnaire
    from certify.review.views import bp as review
    from certify.standards.views import bp as standards
    from certify.web.errors import register_error_handlers
    from certify.web.views import bp as web

    for blueprint in (
        web,
        accounts,
        accounts_admin,
        standards,
        questionnaire,
        attestation,
        review,
        audit,
        certificates,
        exams,
        insight,
        monitoring,
        outbox,
        api,
    ):
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    answer_routing_errors(app)  # after the site's handlers, which it hands everything outside /api/v1


def _register_cli(app: Flask) -> None:
    from certify.cli import certify_cli

    app.cli.add_command(certify_cli)
