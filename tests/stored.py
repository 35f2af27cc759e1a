"""The files the app stored, read back through its storage (`certify.storage`) as a test sees them."""

from __future__ import annotations

from pathlib import Path

from certify.storage import CERTIFICATES, storage


def stored_bytes(area: str, name: str) -> bytes:
    with storage().open(area, name) as stream:
        return stream.read()


def stored_path(area: str, name: str) -> Path:
    """The file on disk, for what reads a path (poppler, file modes): the local backend tests run on."""
    return storage().path(area, name)


def certificate_pdf(certificate) -> bytes:
    return stored_bytes(CERTIFICATES, certificate.pdf_name)


def certificate_pdf_path(certificate) -> Path:
    return stored_path(CERTIFICATES, certificate.pdf_name)
