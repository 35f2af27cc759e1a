"""Evidence files checked by their content, never by their name; safe names for display.

Pure: no Flask, no SQLAlchemy, stdlib only. ZIP containers (DOCX, XLSX, ODT, ODS) are inspected through
their central directory and never extracted to disk; the only member ever decompressed is ODF's short
`mimetype`. Refusals raise `FileRefused` with an English template marked for translation and its params.
"""

from __future__ import annotations

import unicodedata
import zipfile
from enum import StrEnum
from typing import BinaryIO

from certify.textmarks import N_

MB = 1024 * 1024
#: Limits for ZIP containers: together they keep a decompression bomb from reaching any reader.
ZIP_MAX_TOTAL = 200 * MB
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_RATIO = 100
#: Small XML parts legitimately compress beyond 100:1; below this size a high ratio does no harm.
ZIP_RATIO_FLOOR = 1 * MB
DISPLAY_NAME_LIMIT = 200
#: A longer "extension" is rather part of the name, and is cut like the rest of it.
EXTENSION_LIMIT = 16

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_OOXML_MAIN_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
#: Office formats use only these; other methods (bzip2, lzma, AES) have no business in an upload.
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
#: Unicode categories removed from display names: controls, invisible format marks (U+202E RTL override,
#: zero-width characters) and line/paragraph separators, all of which can disguise a name.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


class FileKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    ODT = "odt"
    ODS = "ods"
    PNG = "png"
    JPEG = "jpeg"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
    FileKind.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
}
ACCEPTED = ", ".join(kind.name for kind in FileKind)


class FileRefused(Exception):
    """A file is refused; `message` is an English template for `message % params`, marked with N_."""

    def __init__(self, message: str, **params: object):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def check_size(size: int, limit: int) -> None:
    """Refuse a file larger than `limit` bytes, before anything reads it."""
    if size > limit:
        raise FileRefused(
            N_("The file (%(size)s MB) is larger than the limit of %(limit)s MB."),
            size=_megabytes(size),
            limit=_megabytes(limit),
        )


def detect_kind(stream: BinaryIO, *, size: int) -> FileKind:
    """The accepted type of the file's content; raises `FileRefused` otherwise. Leaves `stream` at 0."""
    try:
        if size <= 0:
            raise FileRefused(N_("The file is empty."))
        stream.seek(0)
        head = stream.read(8)
        kind = _kind_by_signature(head)
        if kind is None and head.startswith(_ZIP_SIGNATURE):
            kind = _zip_kind(stream, size)
        if kind is None:
            raise FileRefused(
                N_("The file's content is not one of the accepted types (%(accepted)s)."), accepted=ACCEPTED
            )
        return kind
    finally:
        stream.seek(0)


def check_zip(
    stream: BinaryIO, *, size: int, max_total: int = ZIP_MAX_TOTAL, max_member: int | None = None
) -> None:
    """Refuse a ZIP that is corrupt, encrypted or would expand too far. Leaves `stream` at 0.

    `max_total` caps all members together and `max_member` (if given) each one, decompressed; both are
    read from the central directory, and Python's zipfile never returns more than a member declares.
    """
    try:
        with _open_zip(stream) as archive:
            _check_members(archive.infolist(), size, max_total, max_member)
    finally:
        stream.seek(0)


def safe_display_name(name: str) -> str:
    """The uploaded file's name, fit for display: no folders, no hidden characters, at most 200 chars."""
    visible = "".join(c for c in unicodedata.normalize("NFC", name) if not _is_hidden(c))
    base = visible.replace("\\", "/").rsplit("/", 1)[-1]
    base = base.lstrip(". \t").rstrip()
    return _shortened(base) or "file"


def _kind_by_signature(head: bytes) -> FileKind | None:
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith(_PNG_SIGNATURE):
        return FileKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    return None


def _zip_kind(stream: BinaryIO, size: int) -> FileKind | None:
    with _open_zip(stream) as archive:
        members = archive.infolist()
        _check_members(members, size, ZIP_MAX_TOTAL)
        names = {member.filename for member in members}
        if "mimetype" in names:
            return _odf_kind(archive)
        if "[Content_Types].xml" in names:
            return next((FileKind(kind) for part, kind in _OOXML_MAIN_PARTS.items() if part in names), None)
    return None


def _odf_kind(archive: zipfile.ZipFile) -> FileKind | None:
    # Read a few bytes only: the member's declared size could be a lie.
    with archive.open("mimetype") as member:
        mimetype = member.read(100).decode("ascii", errors="replace").strip()
    kind = _ODF_MIMETYPES.get(mimetype)
    return FileKind(kind) if kind else None


def _open_zip(stream: BinaryIO) -> zipfile.ZipFile:
    stream.seek(0)
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise FileRefused(N_("The file is damaged: its archive cannot be read.")) from error


def _check_members(
    members: list[zipfile.ZipInfo], size: int, max_total: int, max_member: int | None = None
) -> None:
    if len(members) > ZIP_MAX_MEMBERS:
        raise FileRefused(N_("The archive holds more than %(limit)s files."), limit=ZIP_MAX_MEMBERS)
    # Compressed parts that add up to more than the file itself mean a forged directory.
    if sum(member.compress_size for member in members) > size:
        raise FileRefused(N_("The file is damaged: its archive cannot be read."))
    if sum(member.file_size for member in members) > max_total:
        raise FileRefused(
            N_("The archive would expand to more than %(limit)s MB."), limit=_megabytes(max_total)
        )
    if max_member is not None and any(member.file_size > max_member for member in members):
        raise FileRefused(
            N_("A part of the archive would expand to more than %(limit)s MB."), limit=_megabytes(max_member)
        )
    for member in members:
        _check_member(member)


def _check_member(member: zipfile.ZipInfo) -> None:
    if member.flag_bits & 0x1:
        raise FileRefused(N_("The file is protected by a password; upload it without one."))
    if member.compress_type not in _ZIP_METHODS:
        raise FileRefused(N_("The archive uses a compression method that is not accepted."))
    if member.file_size > ZIP_RATIO_FLOOR and member.file_size > ZIP_MAX_RATIO * member.compress_size:
        raise FileRefused(N_("The archive expands suspiciously far and looks like a decompression bomb."))


def _is_hidden(character: str) -> bool:
    return unicodedata.category(character) in _HIDDEN_CATEGORIES


def _shortened(name: str) -> str:
    if len(name) <= DISPLAY_NAME_LIMIT:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) >= EXTENSION_LIMIT:
        return name[:DISPLAY_NAME_LIMIT].rstrip()
    return stem[: DISPLAY_NAME_LIMIT - len(extension) - 1].rstrip() + "." + extension


def _megabytes(size: int) -> str:
    # One decimal at most, never exponent notation ("2048", not "2.05e+03", for a 2 GB upload).
    return f"{size / MB:.1f}".removesuffix(".0")
