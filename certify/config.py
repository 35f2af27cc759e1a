"""Settings read from the environment, with safe defaults for an embedded, zero-configuration install."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import argon2

from certify.insight.deadlines import DEFAULT_DAYS as DEADLINE_DAYS
from certify.insight.deadlines import setting_name

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _integer(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _minutes(name: str, default: int) -> timedelta:
    return timedelta(minutes=int(os.environ.get(name, default)))


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance_path / 'certify.sqlite'}")
    # Hosting platforms often hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance_path: Path) -> str:
    """The SECRET_KEY from the environment, or one generated once and kept in the instance folder.

    Generated rather than a constant so that no two installations share a key; kept on disk so that
    sessions survive restarts. Several hosts must share it: production sets SECRET_KEY.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def settings_from_environment(instance_path: Path) -> dict:
    """All settings of the app, each overridable by an environment variable of the same name."""
    storage = Path(os.environ.get("CERTIFY_STORAGE", instance_path / "storage"))
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": _secret_key(instance_path),
        "CERTIFY_STORAGE": storage,
        # Where certificate PDFs, decision documents and evidence are kept (certify/storage): `local`, the
        # folders of CERTIFY_STORAGE, or `s3`, a bucket on AWS or an S3-compatible service, its
        # credentials taken by boto3 from its usual places (AWS_ACCESS_KEY_ID …), never from here.
        "CERTIFY_STORAGE_BACKEND": os.environ.get("CERTIFY_STORAGE_BACKEND", "local"),
        "CERTIFY_S3_BUCKET": os.environ.get("CERTIFY_S3_BUCKET", ""),
        "CERTIFY_S3_PREFIX": os.environ.get("CERTIFY_S3_PREFIX", ""),
        "CERTIFY_S3_ENDPOINT_URL": os.environ.get("CERTIFY_S3_ENDPOINT_URL") or None,
        "CERTIFY_S3_REGION": os.environ.get("CERTIFY_S3_REGION") or None,
        # The certification body's signing key for certificate PDFs: a PKCS#12 file in production; without
        # it, a development key and self-signed certificate are generated once in the instance folder.
        "CERTIFY_PKCS12_PATH": os.environ.get("CERTIFY_PKCS12_PATH") or None,
        "CERTIFY_PKCS12_PASSWORD": os.environ.get("CERTIFY_PKCS12_PASSWORD") or None,
        # The Ed25519 key (PEM) that signs the certificates' Open Badges credentials and status lists;
        # without it, one is generated once in the instance folder.
        "CERTIFY_CREDENTIAL_KEY_PATH": os.environ.get("CERTIFY_CREDENTIAL_KEY_PATH") or None,
        # The audit trail's HMAC key (certify/audit/keys.py): a file, kept out of the database and its
        # backups, holding at least 32 random bytes; the same on every host. Without it, a development key
        # is generated once in the instance folder.
        "CERTIFY_AUDIT_KEY_PATH": os.environ.get("CERTIFY_AUDIT_KEY_PATH") or None,
        # Where the audit chain's signed checkpoints are written (shared by every host); by default the
        # folder audit-checkpoints of CERTIFY_STORAGE.
        "CERTIFY_AUDIT_CHECKPOINTS": os.environ.get("CERTIFY_AUDIT_CHECKPOINTS") or None,
        # Password hashing (Argon2id): iterations, memory in KiB, lanes. The defaults are argon2-cffi's
        # (RFC 9106's low-memory profile, 3 / 65536 / 4). Only tests lower them; a hash made with other
        # values still verifies and is rehashed with these at the user's next login.
        "CERTIFY_ARGON2_TIME_COST": _integer("CERTIFY_ARGON2_TIME_COST", argon2.DEFAULT_TIME_COST),
        "CERTIFY_ARGON2_MEMORY_COST": _integer("CERTIFY_ARGON2_MEMORY_COST", argon2.DEFAULT_MEMORY_COST),
        "CERTIFY_ARGON2_PARALLELISM": _integer("CERTIFY_ARGON2_PARALLELISM", argon2.DEFAULT_PARALLELISM),
        # The body's service levels on the dashboard, in days (certify/insight/deadlines.py, docs/insight.md).
        **{setting_name(d): _integer(setting_name(d), days) for d, days in DEADLINE_DAYS.items()},
        # Public lookups are counted in memory and written at most this often (see certificates/lookups.py).
        "CERTIFY_LOOKUP_FLUSH_SECONDS": float(os.environ.get("CERTIFY_LOOKUP_FLUSH_SECONDS", 5)),
        # Mail: without MAIL_SERVER, messages go to the log and to instance/mail/ as .eml files.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 587)),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", True),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Certify <no-reply@certify.example.org>"),
        "MAIL_FOLDER": Path(os.environ.get("MAIL_FOLDER", instance_path / "mail")),
        # The outbox (certify/outbox): how long to wait for the SMTP server, how many tries a message gets
        # before it is shown to admins as failed, and the first pause between tries (doubling each time).
        "MAIL_TIMEOUT_SECONDS": float(os.environ.get("MAIL_TIMEOUT_SECONDS", 10)),
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", 10)),
        "MAIL_RETRY_SECONDS": int(os.environ.get("MAIL_RETRY_SECONDS", 60)),
        # Public address used in e-mails and QR codes when there is no request to take it from.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # Sessions (OWASP ASVS 3.x): cookie flags, idle and absolute lifetime.
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_IDLE_TIMEOUT": _minutes("SESSION_IDLE_TIMEOUT_MINUTES", 30),
        "SESSION_ABSOLUTE_TIMEOUT": _minutes("SESSION_ABSOLUTE_TIMEOUT_MINUTES", 12 * 60),
        "PERMANENT_SESSION_LIFETIME": _minutes("SESSION_ABSOLUTE_TIMEOUT_MINUTES", 12 * 60),
        # The cookie is re-sent when the session changes (at least once a minute while in use), not on
        # every response: re-signing it each time costs every request and buys nothing.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # E-mail confirmation links live a day; a password-reset link, which hands over the account,
        # an hour (OWASP ASVS 2.5, issue 12 finding 11).
        "TOKEN_MAX_AGE": timedelta(hours=int(os.environ.get("TOKEN_MAX_AGE_HOURS", 24))),
        "RESET_TOKEN_MAX_AGE": _minutes("RESET_TOKEN_MAX_AGE_MINUTES", 60),
        # Rate limits are shared between workers and hosts only through a shared store (redis://…).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # the public API's limits (certify.api.auth): per personal token, and per address without one
        "CERTIFY_API_TOKEN_RATE_LIMIT": os.environ.get("CERTIFY_API_TOKEN_RATE_LIMIT", "120 per minute"),
        "CERTIFY_API_ANONYMOUS_RATE_LIMIT": os.environ.get(
            "CERTIFY_API_ANONYMOUS_RATE_LIMIT", "60 per minute"
        ),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour"),
        # Login attempts on one account from one address: tighter than the address's own limit, and
        # never shared with the account's owner elsewhere (a limit on the account alone let anyone lock
        # its owner out).
        "ACCOUNT_LOGIN_RATE_LIMIT": os.environ.get("ACCOUNT_LOGIN_RATE_LIMIT", "5 per minute; 20 per hour"),
        # How many proxies in front of the app set X-Forwarded-For / X-Forwarded-Proto (werkzeug's
        # ProxyFix). 0 trusts none: the headers are then the client's to forge. Behind the required TLS
        # proxy set both to 1, or the rate limits see every user as the proxy's one address.
        "PROXY_FIX_X_FOR": _integer("PROXY_FIX_X_FOR", 0),
        "PROXY_FIX_X_PROTO": _integer("PROXY_FIX_X_PROTO", 0),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session that holds it
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("CERTIFY_TIMEZONE", "Europe/Moscow"),
        "LANGUAGES": ("ru", "en"),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", 20)) * 1024 * 1024 + 64 * 1024,
    }
