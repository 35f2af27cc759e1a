"""The files the app keeps (certificate PDFs, decision documents, evidence): one interface, two backends.

Every stored file lives in an *area* under a random name chosen by its caller, is written once and never
changed, and is deleted only after the commit that stopped referring to it. The backend is chosen by
CERTIFY_STORAGE_BACKEND when the app is built (`init_app`) and reached through `storage()`:

- `local` (the default, `certify.storage.local`): owner-only files at CERTIFY_STORAGE/<area>/<name>;
- `s3` (`certify.storage.s3`): objects at <CERTIFY_S3_PREFIX>/<area>/<name> in CERTIFY_S3_BUCKET, on AWS
  or any S3-compatible service (CERTIFY_S3_ENDPOINT_URL).

Whatever goes wrong in a backend (a full or read-only disk, an unreachable or refusing service, a missing
file) is raised as `StorageUnavailable`, which a caller that writes turns into "try again" (503) before
any row names the file, and which the site's error pages answer with 503 otherwise.

The mail fallback's .eml files and the audit trail's checkpoints are the operator's files, not the app's
data: they stay in local folders (`certify.mail`, `certify.audit.checkpoints`).
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from typing import BinaryIO

from flask import Flask, Response, current_app

#: the areas, one per kind of stored file
CERTIFICATES = "certificates"
REPORTS = "reports"
EVIDENCE = "evidence"
AREAS = (CERTIFICATES, REPORTS, EVIDENCE)

BACKENDS = ("local", "s3")
#: how much of a stream is read at a time while it is stored and hashed
CHUNK = 1024 * 1024


class StorageUnavailable(Exception):
    """The storage refused an operation; the message names the file and the backend's own error."""


class StorageMisconfigured(RuntimeError):
    """The storage settings cannot work: raised when the app is built, so the app does not start."""


class Storage(abc.ABC):
    """Where the app's files are kept; every method raises StorageUnavailable when the storage fails."""

    @abc.abstractmethod
    def store(self, area: str, name: str, content: bytes | BinaryIO) -> str:
        """Keep `content` (bytes, or a binary stream read from where it stands) as `name`; its SHA-256
        (hex). A refused write leaves nothing behind under `name`."""

    @abc.abstractmethod
    def open(self, area: str, name: str) -> BinaryIO:
        """The stored file as a binary stream, to be closed by the caller (`with`)."""

    @abc.abstractmethod
    def delete(self, area: str, name: str) -> None:
        """Forget the file; one that is not there is no error."""

    @abc.abstractmethod
    def download(self, area: str, name: str, *, mimetype: str, download_name: str, sha256: str) -> Response:
        """The file as the answer to the current request: always an attachment (a stored file is never
        shown in the site's own origin), with an ETag, answering a matching If-None-Match with 304."""

    @abc.abstractmethod
    def describe(self) -> str:
        """Where the files are, for an operator (`flask certify check`)."""

    def discard(self, area: str, name: str) -> None:
        """Delete a file no row names any more, whatever the storage says: a refusal is logged, not raised,
        since what was committed stands and a file no row names is never served (an orphan, faults.md)."""
        try:
            self.delete(area, name)
        except StorageUnavailable as error:
            current_app.logger.warning("a file no row names stays in the storage: %s", error)


def chunks_of(content: bytes | BinaryIO) -> Iterator[bytes]:
    """`content` in pieces of at most CHUNK bytes (bytes are given whole)."""
    if isinstance(content, bytes | bytearray | memoryview):
        yield bytes(content)
        return
    while chunk := content.read(CHUNK):
        yield chunk


def storage() -> Storage:
    """The current app's storage."""
    return current_app.extensions["certify.storage"]


def init_app(app: Flask) -> None:
    """Build the configured backend once for the app; StorageMisconfigured when its settings cannot work.

    Only the settings are checked: nothing is asked of the storage at start-up (`flask certify check`
    names the backend in use).
    """
    config = app.config
    backend = str(config.get("CERTIFY_STORAGE_BACKEND") or "local").strip().lower()
    if backend == "local":
        from certify.storage.local import LocalStorage

        app.extensions["certify.storage"] = LocalStorage(config["CERTIFY_STORAGE"])
    elif backend == "s3":
        from certify.storage.s3 import S3Storage

        # imported only when chosen: boto3 takes a noticeable part of a second to load
        app.extensions["certify.storage"] = S3Storage.from_config(config)
    else:
        raise StorageMisconfigured(
            f"CERTIFY_STORAGE_BACKEND={backend!r}: choose one of {', '.join(BACKENDS)} (local is the default)"
        )
