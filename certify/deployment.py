"""What an operator must know about the way this installation is configured (issue 12, finding 11)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from certify.audit.keys import key_problem
from certify.certificates.signing import load_signing_key, raises_pdf_version

log = logging.getLogger(__name__)

DEVELOPMENT_KEY_WARNING = (
    "CERTIFY_PKCS12_PATH is not set: certificate PDFs are signed with a self-signed development key, "
    "which no PDF reader trusts. Set CERTIFY_PKCS12_PATH (and CERTIFY_PKCS12_PASSWORD) to the "
    "certification body's PKCS#12 file."
)


def development_signing_key(config: Mapping) -> bool:
    """Whether certificate PDFs are signed with the generated development key (no PKCS#12 file set)."""
    return not config.get("CERTIFY_PKCS12_PATH")


def is_development(app: Flask) -> bool:
    """Tests and the debug server may run on development defaults without being warned."""
    return bool(app.testing or app.debug)


def warn_at_startup(app: Flask) -> None:
    """Log, once when the app is built, what would be dangerous in production."""
    if is_development(app):
        return
    if development_signing_key(app.config):
        log.warning(DEVELOPMENT_KEY_WARNING)


@dataclass(frozen=True)
class Finding:
    """A setting that is dangerous in production, and what to do about it."""

    setting: str
    problem: str
    fix: str


def _generated_secret_key(app: Flask) -> bool:
    key_file = Path(app.instance_path) / "secret_key"
    key = app.config.get("SECRET_KEY") or ""
    return len(key) < 32 or (key_file.exists() and key_file.read_text().strip() == key)


def _signing_key_problem(config: Mapping) -> str | None:
    """What is wrong with the body's PKCS#12 key for signing PDF/A-3 certificates, if anything."""
    password = config.get("CERTIFY_PKCS12_PASSWORD")
    try:
        key = load_signing_key(
            Path(), Path(config["CERTIFY_PKCS12_PATH"]), password.encode() if password else None
        )
    except (OSError, ValueError) as error:
        return f"the PKCS#12 file cannot be read: {error}"
    if raises_pdf_version(key):
        return "its ECDSA/EdDSA key makes signed certificates PDF 2.0, which a PDF/A-3 file may not be"
    return None


def findings(app: Flask) -> list[Finding]:
    """The dangerous settings of this installation, each with its fix (`flask certify check`)."""
    config = app.config
    audit_key = key_problem(Path(app.instance_path), config)
    signing_key = None if development_signing_key(config) else _signing_key_problem(config)
    checks = [
        (
            development_signing_key(config),
            Finding(
                "CERTIFY_PKCS12_PATH",
                "certificates are signed with the self-signed development key",
                "set CERTIFY_PKCS12_PATH and CERTIFY_PKCS12_PASSWORD to the body's PKCS#12 file",
            ),
        ),
        (
            signing_key is not None,
            Finding(
                "CERTIFY_PKCS12_PATH",
                signing_key or "",
                "set CERTIFY_PKCS12_PATH (and CERTIFY_PKCS12_PASSWORD) to a readable PKCS#12 file "
                "with an RSA key of 2048 bits or more",
            ),
        ),
        (
            audit_key is not None,
            Finding(
                "CERTIFY_AUDIT_KEY_PATH",
                audit_key or "",
                "set CERTIFY_AUDIT_KEY_PATH to a file holding a long random key (e.g. 64 hex digits), "
                "kept out of the database and its backups, the same on every host",
            ),
        ),
        (
            config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"),
            Finding(
                "DATABASE_URL",
                "SQLite: several workers or hosts cannot share it safely",
                "set DATABASE_URL to a PostgreSQL database",
            ),
        ),
        (
            config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://"),
            Finding(
                "RATELIMIT_STORAGE_URI",
                "rate limits are counted in each worker's memory",
                "set RATELIMIT_STORAGE_URI to a shared store (redis://host:6379)",
            ),
        ),
        (
            not config["SESSION_COOKIE_SECURE"],
            Finding(
                "SESSION_COOKIE_SECURE",
                "session cookies are sent over plain HTTP, and no HSTS",
                "serve over HTTPS and unset SESSION_COOKIE_SECURE (or set it to true)",
            ),
        ),
        (
            _generated_secret_key(app),
            Finding(
                "SECRET_KEY",
                "the key generated into the instance folder (or a short one) is used",
                "set SECRET_KEY to a long random value, the same on every host",
            ),
        ),
        (
            not config.get("MAIL_SERVER"),
            Finding(
                "MAIL_SERVER",
                "no mail server: e-mails only go to the log and to .eml files",
                "set MAIL_SERVER (and MAIL_USERNAME, MAIL_PASSWORD)",
            ),
        ),
    ]
    return [finding for dangerous, finding in checks if dangerous]
