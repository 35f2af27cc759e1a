"""The audit key: the HMAC key of the audit chain and its checkpoints, kept outside the database.

In production CERTIFY_AUDIT_KEY_PATH names a file holding it (issue 12, finding 5): the key is the
file's content without surrounding whitespace, at least MIN_KEY_BYTES long. Without the setting a
development key is generated once into the instance folder, so tests and development need no
configuration, and `flask certify check` flags it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from flask import current_app

from certify.files import FILE_MODE

MIN_KEY_BYTES = 32
DEVELOPMENT_KEY_FILE = "audit-key"
#: where checkpoints go without CERTIFY_AUDIT_CHECKPOINTS: a folder of CERTIFY_STORAGE
CHECKPOINT_FOLDER = "audit-checkpoints"


class AuditKeyError(Exception):
    """The configured audit key cannot be used."""


def load_audit_key(instance_path: Path, configured: Path | None) -> bytes:
    """The key in the `configured` file, or the instance folder's development key (made if missing)."""
    if configured is None:
        return _development_key(instance_path / DEVELOPMENT_KEY_FILE)
    try:
        key = configured.read_bytes().strip()
    except OSError as error:
        problem = f"CERTIFY_AUDIT_KEY_PATH {configured} cannot be read: {error.strerror}"
        raise AuditKeyError(problem) from error
    if len(key) < MIN_KEY_BYTES:
        raise AuditKeyError(f"CERTIFY_AUDIT_KEY_PATH {configured} holds fewer than {MIN_KEY_BYTES} bytes")
    return key


def _development_key(path: Path) -> bytes:
    """Read the development key, generating it first if it is missing.

    Several workers may start at once: each writes a whole key to its own file and links it into place,
    which only the first manages, so every worker reads one complete key.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another worker's key is in place: use it
        finally:
            draft.unlink()
    return path.read_bytes().strip()


@lru_cache(maxsize=4)
def _cached_key(instance_path: str, configured: str | None) -> bytes:
    return load_audit_key(Path(instance_path), Path(configured) if configured else None)


def audit_key() -> bytes:
    """The app's audit key, read once per process."""
    return _cached_key(current_app.instance_path, current_app.config.get("CERTIFY_AUDIT_KEY_PATH"))


def checkpoint_folder(config: Mapping | None = None) -> Path:
    """Where the app writes its checkpoints: CERTIFY_AUDIT_CHECKPOINTS, else a folder of the storage."""
    config = current_app.config if config is None else config
    configured = config.get("CERTIFY_AUDIT_CHECKPOINTS")
    return Path(configured) if configured else Path(config["CERTIFY_STORAGE"]) / CHECKPOINT_FOLDER


def key_problem(instance_path: Path, config: Mapping) -> str | None:
    """Why the configured audit key is dangerous or unusable in production (`flask certify check`)."""
    configured = config.get("CERTIFY_AUDIT_KEY_PATH")
    if not configured:
        return "the audit trail is keyed with the development key generated into the instance folder"
    try:
        load_audit_key(instance_path, Path(configured))
    except AuditKeyError as error:
        return str(error)
    return None
