"""Hostile workbooks for the tests and bench/workbook_bomb.py: valid XLSX files that expand far on reading."""

from __future__ import annotations

import io
import random
import zipfile
from typing import BinaryIO

MB = 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
_SST_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_CONTENT_TYPES = "[Content_Types].xml"
_RELATIONSHIPS = "xl/_rels/workbook.xml.rels"
_OVERRIDE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_RELATIONSHIP = (
    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)
#: One string in this many gets a random tail: deflate then shrinks the part about 90:1, just under the
#: 100:1 that evidence uploads refuse, as in the reported 2 MB -> 190 MB workbook. The strings are short,
#: so a parser builds millions of objects from them.
_TAIL_EVERY = 44


def shared_strings_chunk(seed: int = 12) -> bytes:
    """One megabyte of <si> entries: the same short string, one in 44 with a random 8-digit tail."""
    rng = random.Random(seed)
    entries, size = [], 0
    while size < MB:
        tail = f"{rng.getrandbits(32):08x}" if len(entries) % _TAIL_EVERY == 0 else ""
        entry = f"<si><t>Да{tail}</t></si>".encode()
        entries.append(entry)
        size += len(entry)
    return b"".join(entries)


def write_shared_strings_bomb(base: bytes, target: BinaryIO, *, size: int) -> None:
    """Write `base` (a real XLSX) to `target` with about `size` bytes of shared strings, streamed."""
    chunk = shared_strings_chunk()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for member in source.infolist():
            if member.filename != SHARED_STRINGS:
                out.writestr(
                    member.filename, _declaring_strings(member.filename, source.read(member.filename))
                )
        with out.open(SHARED_STRINGS, "w", force_zip64=size >= 2**31) as part:
            part.write(_SST_OPEN)
            for _ in range(size // MB):
                part.write(chunk)
            rest = size % MB
            part.write(chunk[: chunk.rfind(b"</si>", 0, rest) + len(b"</si>")] if rest else b"")
            part.write(b"</sst>")


def _declaring_strings(name: str, body: bytes) -> bytes:
    """The package's manifest and relationships, declaring a shared strings part (openpyxl writes none)."""
    if name == _CONTENT_TYPES and _OVERRIDE not in body:
        return body.replace(b"</Types>", _OVERRIDE + b"</Types>")
    if name == _RELATIONSHIPS and b"sharedStrings.xml" not in body:
        return body.replace(b"</Relationships>", _RELATIONSHIP + b"</Relationships>")
    return body


def shared_strings_bomb(base: bytes, *, size: int) -> bytes:
    """`base` with about `size` bytes of shared strings, in memory."""
    buffer = io.BytesIO()
    write_shared_strings_bomb(base, buffer, size=size)
    return buffer.getvalue()
