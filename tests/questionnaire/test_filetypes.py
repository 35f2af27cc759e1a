"""Evidence files are judged by their bytes: real samples, disguised programs and hostile archives."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.questionnaire import filetypes
from certify.questionnaire.filetypes import FileKind, FileRefused, check_size, detect_kind, safe_display_name
from tests.questionnaire.workbook_bombs import shared_strings_chunk

MB = 1024 * 1024


def minimal_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + app0 + b"\xff\xd9"


def zip_bytes(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            method = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            archive.writestr(name, body, compress_type=method)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Устав"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def opendocument_bytes(media_type: bytes) -> bytes:
    members = {"mimetype": media_type, "content.xml": b"<office:document-content/>"}
    return zip_bytes(members, stored_first="mimetype")


def detect(data: bytes) -> FileKind:
    return detect_kind(io.BytesIO(data), size=len(data))


def refusal(data: bytes) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        detect(data)
    return caught.value


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (minimal_pdf(), FileKind.PDF),
        (png_bytes(), FileKind.PNG),
        (jpeg_bytes(), FileKind.JPEG),
        (docx_bytes(), FileKind.DOCX),
        (xlsx_bytes(), FileKind.XLSX),
        (opendocument_bytes(b"application/vnd.oasis.opendocument.text"), FileKind.ODT),
        (opendocument_bytes(b"application/vnd.oasis.opendocument.spreadsheet"), FileKind.ODS),
    ],
)
def test_each_accepted_kind_is_recognised_by_content(data, kind):
    stream = io.BytesIO(data)
    stream.seek(5)

    assert detect_kind(stream, size=len(data)) == kind
    assert stream.tell() == 0


def test_every_kind_has_a_media_type():
    assert FileKind.PDF.media_type == "application/pdf"
    assert FileKind("xlsx").media_type.endswith("spreadsheetml.sheet")
    assert all("/" in kind.media_type for kind in FileKind)


@pytest.mark.parametrize("magic", [b"MZ\x90\x00\x03\x00\x00\x00", b"\x7fELF\x02\x01\x01\x00"])
def test_a_program_renamed_to_pdf_is_refused(magic):
    error = refusal(magic + b"\x00" * 200)

    assert "not one of the accepted types" in error.message
    assert error.params == {"accepted": "PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG"}


@pytest.mark.parametrize(
    "data",
    [
        b"just some text, not a document",
        b"<html><script>alert(1)</script></html>",
        zip_bytes({"notes.txt": b"a plain zip archive"}),
        zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
        opendocument_bytes(b"application/vnd.oasis.opendocument.presentation"),
    ],
)
def test_other_content_is_refused_as_an_unaccepted_type(data):
    assert "not one of the accepted types" in refusal(data).message


def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path):
    # Written in streaming fashion: 300 MB of zeros compress to about 300 KB, and memory stays low.
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            block = bytes(MB)
            for _ in range(300):
                member.write(block)

    with path.open("rb") as stream:
        with pytest.raises(FileRefused) as caught:
            detect_kind(stream, size=path.stat().st_size)
        assert stream.tell() == 0
    assert caught.value.params == {"limit": "200"}


def test_one_member_inflating_over_a_hundredfold_is_refused():
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    members["word/media/zeros.bin"] = bytes(2 * MB)

    assert "bomb" in refusal(zip_bytes(members)).message


def test_small_repetitive_members_are_not_mistaken_for_bombs():
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:p/>" * 50_000}

    assert detect(zip_bytes(members)) == FileKind.DOCX


def test_an_archive_with_too_many_members_is_refused():
    members = {f"x/{number}": b"" for number in range(filetypes.ZIP_MAX_MEMBERS + 1)}

    assert refusal(zip_bytes(members)).params == {"limit": filetypes.ZIP_MAX_MEMBERS}


def test_an_encrypted_member_is_refused():
    data = bytearray(docx_bytes())
    # Set the "encrypted" flag in every central directory entry, as a password-protecting tool does.
    position = data.find(b"PK\x01\x02")
    while position != -1:
        data[position + 8] |= 0x1
        position = data.find(b"PK\x01\x02", position + 4)

    assert "password" in refusal(bytes(data)).message


def test_a_member_with_an_unusual_compression_method_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>", compress_type=zipfile.ZIP_BZIP2)

    assert "compression method" in refusal(buffer.getvalue()).message


@pytest.mark.parametrize("cut", [30, 200])
def test_a_corrupt_archive_is_refused(cut):
    data = docx_bytes()

    assert "damaged" in refusal(data[:cut]).message


def test_an_archive_with_a_garbled_central_directory_is_refused():
    data = bytearray(docx_bytes())
    start = data.find(b"PK\x01\x02")
    data[start : start + 40] = b"\xff" * 40

    assert "damaged" in refusal(bytes(data)).message


def test_empty_files_are_refused():
    with pytest.raises(FileRefused, match="empty"):
        detect_kind(io.BytesIO(b""), size=0)


def test_a_file_over_the_limit_is_refused_naming_the_limit():
    check_size(20 * MB, 20 * MB)
    with pytest.raises(FileRefused) as caught:
        check_size(2 * 1024 * MB, 20 * MB)

    assert caught.value.params == {"size": "2048", "limit": "20"}
    assert str(caught.value) == "The file (2048 MB) is larger than the limit of 20 MB."


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Устав АНО.pdf", "Устав АНО.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Иван\\Отчёт 2024.docx", "Отчёт 2024.docx"),
        ("report\x00.pdf", "report.pdf"),
        ("two\nlines\r.pdf", "twolines.pdf"),
        ("scan\u202egpj.exe", "scangpj.exe"),
        ("\u2066hidden\u2069.png", "hidden.png"),
        ("  ..hidden.pdf", "hidden.pdf"),
        ("..", "file"),
        ("", "file"),
        ("dir/", "file"),
        ("Уста\u0301в.pdf", "Уста\u0301в.pdf"),
    ],
)
def test_display_names_are_made_safe(name, shown):
    assert safe_display_name(name) == shown


def test_a_long_name_is_cut_keeping_its_extension():
    shown = safe_display_name("Отчёт " * 100 + ".xlsx")

    assert len(shown) == filetypes.DISPLAY_NAME_LIMIT
    assert shown.endswith(".xlsx")


@given(st.text(max_size=400))
def test_any_name_becomes_a_short_plain_file_name(name):
    shown = safe_display_name(name)

    assert 0 < len(shown) <= filetypes.DISPLAY_NAME_LIMIT
    assert not {"/", "\\", "\x00", "\n", "\u202e"} & set(shown)
    assert not shown.startswith((".", " "))


def test_workbook_bomb_caps_are_asked_for_and_evidence_keeps_its_wider_limits():
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    members["word/media/strings.bin"] = shared_strings_chunk() * 20  # about 90:1
    data = zip_bytes(members)
    assert detect(data) == FileKind.DOCX

    def refused(**limits) -> FileRefused:
        with pytest.raises(FileRefused) as caught:
            filetypes.check_zip(io.BytesIO(data), size=len(data), **limits)
        return caught.value

    in_all = refused(max_total=5 * MB, max_member=1 * MB)
    assert (in_all.message, in_all.params) == (
        "The archive would expand to more than %(limit)s MB.",
        {"limit": "5"},
    )
    in_one = refused(max_member=1 * MB)
    assert (in_one.message, in_one.params) == (
        "A part of the archive would expand to more than %(limit)s MB.",
        {"limit": "1"},
    )
