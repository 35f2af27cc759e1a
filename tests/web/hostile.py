"""Hostile form bodies, and a fingerprint of everything the app stores (tests/web/test_hostile_forms.py).

What a request asks of its form data is recorded (`Recording`, the request's parameter storage), and so
are the fields of every WTForms form it validates (`capture_forms`): the fuzz test posts the names the
views really read, with values from their choices and hostile ones, and a new field needs no list here.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from wtforms.form import Form

from certify.demo.applications import DEMO_PDF
from tests.factories import PASSWORD

# --- values ---------------------------------------------------------------------------------------------

NUMBERS = [
    "1E+999999", "NaN", "-NaN", "sNaN", "Infinity", "-inf", "-0", "-0.0", "+0", str(10**400),
    f"-{10**400}", "1e-400", "0x1F", "1_000", "٣٤", "１２", "9223372036854775808", "-2147483649", "-1",
    "1,5", "1.5.5", " 7 ", "4.0", "1 500,5", "0" * 5000,
]  # fmt: skip
UNICODE = [
    "\u202egnp.exe", "עברית ومرحبا", "e" + "\u0301" * 60, "\u200b\u200c\u200d\ufeff", "👩‍👩‍👧‍👦",
    "Ｉｎｊｅｃｔ", "\U0010ffff", "İıß", "\u0000\u0085\u2028\u2029", "Ω" * 300,
]  # fmt: skip
CONTROL = ["\x00", "a\x00b", "\x1b[2J", "\r\n\r\n", "\x7f\x08", "\t" * 10, "\x01\x02\x03"]
ODD = [
    "", " ", "null", "None", "true", "[]", "{}", "0", "<script>alert(1)</script>", "' OR '1'='1",
    "{{ 7*7 }}", "%s%s%n", "../../../etc/passwd", "${jndi:ldap://x/y}", "draft", "final", "summary",
]  # fmt: skip
HUGE = ["A" * 100_000, "я" * 50_000, "\u0301" * 50_000]

printable = st.characters(exclude_categories=("Cs",))  # a lone surrogate cannot be sent as UTF-8
hostile_text = st.one_of(
    st.sampled_from(NUMBERS + UNICODE + CONTROL + ODD + HUGE),
    st.text(printable, max_size=40),
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(repr),
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(printable, max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _forged_sizes(data: bytes) -> bytes:
    """A ZIP whose headers claim each member expands to 4 GB."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = patched.find(signature)
        while start != -1:
            patched[start + offset : start + offset + 4] = struct.pack("<I", 0xFFFFFFFF)
            start = patched.find(signature, start + 4)
    return bytes(patched)


_XLSX_PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
FILE_CONTENTS = [
    b"",
    DEMO_PDF,
    b"%PDF-1.4\n" + bytes(range(256)) * 4,
    b"PK\x03\x04" + b"\x00" * 60,
    _zip({**_XLSX_PARTS, "xl/sharedStrings.xml": b"\x00" * 20_000_000}),  # 20 MB in about 20 KB
    _forged_sizes(_zip({**_XLSX_PARTS, "xl/sharedStrings.xml": b"<sst/>"})),
    b"cmq: [" * 5000,
]
FILE_NAMES = [
    "", "a.pdf", "a" * 5000 + ".pdf", "../../etc/passwd", "evil\x00.pdf", "\u202efdp.exe", "реестр.pdf",
    "CON", " ", "a/b\\c.xlsx", "x.yaml", "workbook.xlsx",
]  # fmt: skip
upload = st.tuples(
    st.one_of(st.sampled_from(FILE_CONTENTS), st.binary(max_size=512)), st.sampled_from(FILE_NAMES)
)
#: names no form has, and names that mean something somewhere
EXTRA_NAMES = ["csrf_token", "id", "__proto__", "version", "go", "next", "language", "submit", "final", "x"]

# --- what the views read ----------------------------------------------------------------------------------

#: the names asked of the request's parameters since the last `ASKED.clear()`
ASKED: set[str] = set()


class Recording(ImmutableMultiDict):
    """A request's form, files or query string that notes every name asked of it."""

    def __contains__(self, key):
        ASKED.add(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        ASKED.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        ASKED.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        ASKED.add(key)
        return super().getlist(key, type)


@dataclass(frozen=True)
class Spec:
    """One posted name: its WTForms field type (or "raw" when a view reads it directly) and choices."""

    kind: str = "raw"
    choices: tuple[str, ...] = ()


@contextmanager
def capture_forms():
    """Yield a dict that collects name -> Spec for the fields of every form validated meanwhile."""
    specs: dict[str, Spec] = {}
    validate = Form.validate

    def recording_validate(form, *args, **kwargs):
        for item in form:
            choices = getattr(item, "choices", None)
            values = tuple(str(c[0]) for c in item.iter_choices()) if choices else ()
            specs[item.name] = Spec(type(item).__name__, values)
        return validate(form, *args, **kwargs)

    with mock.patch.object(Form, "validate", recording_validate):
        yield specs


# --- bodies -------------------------------------------------------------------------------------------

MISSING = object()
SANE_TEXT = ["Тестовый ответ", "Reasons given in full.", "fuzz@example.org", "40", "1", PASSWORD]


def sane_value(spec: Spec, emails: list[str]):
    if spec.kind == "FileField":
        return st.tuples(st.just(DEMO_PDF), st.just("evidence.pdf"))
    if spec.choices:
        return st.sampled_from(spec.choices)
    if spec.kind == "BooleanField":
        return st.sampled_from(["y", "on", ""])
    if spec.kind in ("IntegerField", "DecimalField", "FloatField"):
        return st.sampled_from(["0", "1", "2"])
    return st.sampled_from(SANE_TEXT + emails)


def field_value(spec: Spec, emails: list[str]):
    """Missing, sane, hostile, the field repeated, or (rarely) a file where text is expected."""
    sane = sane_value(spec, emails)
    one = st.one_of(sane, hostile_text, upload) if spec.kind == "FileField" else st.one_of(sane, hostile_text)
    repeated = st.lists(one, min_size=2, max_size=3)
    return st.one_of(st.just(MISSING), sane, sane, hostile_text, hostile_text, repeated, upload)


@dataclass
class Body:
    """A request body as the test client takes it, and how it was made (for the failure message)."""

    encoding: str
    fields: dict = field(default_factory=dict)

    def client_kwargs(self) -> dict:
        if self.encoding == "json":
            return {"json": self.fields["json"]}
        if self.encoding == "raw":
            return {"data": self.fields["raw"], "content_type": "application/x-www-form-urlencoded"}
        data = MultiDict()
        for name, value in self.fields.items():
            for item in value if isinstance(value, list) else [value]:
                data.add(name, (io.BytesIO(item[0]), item[1]) if isinstance(item, tuple) else item)
        files = any(isinstance(v, tuple) for v in data.values())
        if self.encoding == "multipart" or files:
            return {"data": data, "content_type": "multipart/form-data"}
        return {"data": data}

    def __repr__(self) -> str:
        return f"Body({self.encoding}, {_short(self.fields)})"


def _short(value):
    if isinstance(value, str | bytes) and len(value) > 80:
        return f"{value[:40]!r}…({len(value)} long)"
    if isinstance(value, dict):
        return {k: _short(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_short(v) for v in value)
    return value


@st.composite
def bodies(draw, specs: dict[str, Spec], emails: list[str]) -> Body:
    """A hostile body for a route whose form reads `specs`.

    "pointed": every field sane but one, which is hostile, repeated or missing, to get past the form's
    other checks to the service; "form" and "multipart": every field drawn on its own, with unknown ones
    added; "json" and "raw" (percent-escapes that are not UTF-8, and broken ones): no form sends these.
    """
    names = sorted(specs)
    encoding = draw(st.sampled_from(["pointed", "pointed", "form", "form", "multipart", "json", "raw"]))
    if encoding == "raw":
        escapes = st.sampled_from(["%FF%FE", "%", "%zz", "%00", "a=b"])
        pairs = draw(st.lists(st.tuples(st.sampled_from(names or ["x"]), escapes), max_size=4))
        return Body("raw", {"raw": "&".join(f"{n}={v}" for n, v in pairs).encode()})
    if encoding == "json":
        top = draw(st.one_of(st.dictionaries(st.sampled_from(names or ["x"]), json_value), json_value))
        return Body("json", {"json": top})
    if encoding == "pointed" and names:
        fields = {name: draw(sane_value(specs[name], emails), label=name) for name in names}
        target = draw(st.sampled_from(names), label="the hostile one")
        value = draw(field_value(specs[target], emails).filter(lambda v: v is not MISSING) | st.just(MISSING))
        fields.pop(target)
        return Body("form", {**fields, **({} if value is MISSING else {target: value})})
    fields = {}
    for name in names:
        value = draw(field_value(specs[name], emails), label=name)
        if value is not MISSING:
            fields[name] = value
    extras = draw(
        st.dictionaries(st.sampled_from(EXTRA_NAMES) | st.text(printable, max_size=8), hostile_text)
    )
    return Body("multipart" if encoding == "multipart" else "form", {**extras, **fields})


# --- the database and the files, before and after -----------------------------------------------------


#: the prefix of the tables that keep a copy of the world's rows (in the same database)
SAVED = "hostile_saved_"


def save_rows(engine, metadata) -> None:
    """Copy every table's rows into a table of its own, in SQL: the copy is exact (an SQL NULL stays one
    in a JSON column, which a round trip through Python would make a JSON null)."""
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SAVED}{table.name}")
            connection.exec_driver_sql(f"CREATE TABLE {SAVED}{table.name} AS SELECT * FROM {table.name}")  # noqa: S608


def restore_rows(engine, metadata) -> None:
    """Put back the rows `save_rows` copied (a row referring to its own table is checked per statement)."""
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.exec_driver_sql(f"DELETE FROM {table.name}")  # noqa: S608
        for table in metadata.sorted_tables:
            connection.exec_driver_sql(f"INSERT INTO {table.name} SELECT * FROM {SAVED}{table.name}")  # noqa: S608


def drop_saved_rows(engine, metadata) -> None:
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SAVED}{table.name}")


def fingerprint(engine, metadata, storage: Path, *, tables: bool = True) -> dict[str, str]:
    """Per table (unless `tables` is false), its row count and a hash of its rows; and the stored files'
    names and sizes.

    Read with plain SQL (the driver's values, not the models' types): this runs after every request.
    Audit checkpoints are left out of the files: one is written only by a commit that appended to the
    trail, which the tables already show.
    """
    prints = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables if tables else []:
            order = ", ".join(column.name for column in table.primary_key)
            result = connection.exec_driver_sql(f"SELECT * FROM {table.name} ORDER BY {order}")  # noqa: S608
            rows = [tuple(row) for row in result]
            prints[table.name] = f"{len(rows)} rows {hashlib.sha256(repr(rows).encode()).hexdigest()[:12]}"
    files = sorted(
        (entry.path, entry.stat().st_size)
        for folder, _, _ in os.walk(storage)
        if "audit-checkpoints" not in Path(folder).parts
        for entry in os.scandir(folder)
        if entry.is_file()
    )
    prints["files in storage"] = f"{len(files)} files {hashlib.sha256(repr(files).encode()).hexdigest()[:12]}"
    return prints
