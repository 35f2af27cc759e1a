"""Issue 12, finding 11: no silent signing with the development key in production."""

from __future__ import annotations

import logging

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from certify import create_app
from certify.deployment import DEVELOPMENT_KEY_WARNING
from tests.certificates.test_signing import make_pkcs12


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "certify.deployment"]


def test_a_production_app_without_a_signing_key_warns_at_startup(app_settings, caplog):
    caplog.set_level(logging.WARNING)
    create_app(dict(app_settings, TESTING=False, CERTIFY_PKCS12_PATH=None))
    assert _warnings(caplog) == [DEVELOPMENT_KEY_WARNING]


def test_no_warning_with_a_signing_key_or_when_testing(app_settings, caplog):
    caplog.set_level(logging.WARNING)
    create_app(dict(app_settings, TESTING=False, CERTIFY_PKCS12_PATH="/etc/certify/body.p12"))
    create_app(dict(app_settings, TESTING=True, CERTIFY_PKCS12_PATH=None))
    assert _warnings(caplog) == []


@pytest.fixture(scope="module")
def body_key(tmp_path_factory) -> str:
    """The body's PKCS#12 file, with an RSA key as the check asks."""
    path = tmp_path_factory.mktemp("keys") / "body.p12"
    path.write_bytes(make_pkcs12(b"correct horse"))
    return str(path)


@pytest.fixture
def safe(body_key) -> dict:
    return {
        "CERTIFY_PKCS12_PATH": body_key,
        "CERTIFY_PKCS12_PASSWORD": "correct horse",
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://certify@db.internal/certify",
        "SESSION_COOKIE_SECURE": True,
        "SECRET_KEY": "k" * 64,
        "MAIL_SERVER": "smtp.example.org",
    }


def _check(app):
    return app.test_cli_runner().invoke(args=["certify", "check"])


def test_check_lists_each_dangerous_setting_with_its_fix_and_fails(app_settings, tmp_path):
    sqlite = f"sqlite:///{tmp_path / 'production.sqlite'}"  # SQLite also on the PostgreSQL run
    overrides = dict(
        TESTING=False, CERTIFY_PKCS12_PATH=None, SECRET_KEY="short", SQLALCHEMY_DATABASE_URI=sqlite
    )
    app = create_app(dict(app_settings, **overrides))
    result = _check(app)
    assert result.exit_code == 1
    for setting in (
        "CERTIFY_PKCS12_PATH",
        "DATABASE_URL",
        "RATELIMIT_STORAGE_URI",
        "SESSION_COOKIE_SECURE",
        "SECRET_KEY",
        "MAIL_SERVER",
        "CERTIFY_AUDIT_KEY_PATH",
    ):
        assert f"dangerous: {setting}: " in result.output
    assert result.output.count("  fix: ") == 7


def test_check_refuses_an_audit_key_too_short_to_resist_guessing(app_settings, tmp_path, safe):
    short_key = tmp_path / "audit.key"
    short_key.write_text("k" * 16)
    app = create_app(dict(app_settings, TESTING=False, **safe, CERTIFY_AUDIT_KEY_PATH=str(short_key)))
    app.config["RATELIMIT_STORAGE_URI"] = "redis://redis.internal:6379"
    result = _check(app)
    assert result.exit_code == 1 and "dangerous: CERTIFY_AUDIT_KEY_PATH: " in result.output


def test_check_passes_a_safe_configuration(app_settings, tmp_path, safe):
    audit_key = tmp_path / "audit.key"
    audit_key.write_text("k" * 64)
    app = create_app(dict(app_settings, TESTING=False, **safe, CERTIFY_AUDIT_KEY_PATH=str(audit_key)))
    app.config["RATELIMIT_STORAGE_URI"] = "redis://redis.internal:6379"  # only read by the check here
    result = _check(app)
    storage = f"storage: local files in {app_settings['CERTIFY_STORAGE']}\n"
    assert (result.exit_code, result.output) == (0, storage + "no dangerous settings found\n")


@pytest.mark.parametrize(
    ("key_file", "problem"),
    [
        ("ecdsa", "its ECDSA/EdDSA key makes signed certificates PDF 2.0, which a PDF/A-3 file may not be"),
        ("missing", "the PKCS#12 file cannot be read"),
    ],
)
def test_check_refuses_a_signing_key_that_cannot_sign_pdf_a_3(
    app_settings, tmp_path, safe, key_file, problem
):
    path = tmp_path / "body.p12"
    if key_file == "ecdsa":
        path.write_bytes(make_pkcs12(b"correct horse", ec.generate_private_key(ec.SECP256R1())))
    audit_key = tmp_path / "audit.key"
    audit_key.write_text("k" * 64)
    settings = dict(safe, CERTIFY_PKCS12_PATH=str(path), CERTIFY_AUDIT_KEY_PATH=str(audit_key))
    app = create_app(dict(app_settings, TESTING=False, **settings))
    app.config["RATELIMIT_STORAGE_URI"] = "redis://redis.internal:6379"
    result = _check(app)
    assert result.exit_code == 1
    assert f"dangerous: CERTIFY_PKCS12_PATH: {problem}" in result.output


def test_check_only_reports_in_testing_mode(app):
    result = _check(app)
    assert result.exit_code == 0
    assert "dangerous: CERTIFY_PKCS12_PATH: " in result.output
