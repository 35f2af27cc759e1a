"""The YAML text of a bank read from a workbook: `bank_yaml`, laid out as the library's files are.

Pure: no Flask, no SQLAlchemy. The text is what `services.import_bank` stores and hashes, so it depends
only on the bank's data: the same workbook, under any file name, always gives the same text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

#: the first line of every converted file; constant, so one workbook always gives the same text (and hash)
HEADER_COMMENT = "# An item bank converted from an XLSX workbook by Certify (docs/exams.md).\n"


class _Dumper(yaml.SafeDumper):
    """Writes texts, options, sources and blueprint areas on one line each, as the library's files do."""


class _Line(dict):
    """A mapping written in flow style: `{ru: "...", en: "..."}`."""


_Dumper.add_representer(_Line, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
# The shortest exact decimal, read back by `certify.standards.yamlmarks` as the same Decimal.
_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v.normalize(), "f"))
)


def bank_yaml(data: dict[str, Any]) -> str:
    """The bank file's YAML text for the plain data read from a workbook (keys in the file's order)."""
    shaped = dict(data)
    shaped["title"] = _Line(data["title"])
    shaped["areas"] = [{"id": a["id"], "title": _Line(a["title"])} for a in data["areas"]]
    shaped["blueprints"] = [
        {**b, "title": _Line(b["title"]), "areas": [_Line(part) for part in b["areas"]]}
        for b in data["blueprints"]
    ]
    shaped["items"] = [_shaped_item(item) for item in data["items"]]
    # No line is wrapped: a text stays on the line of its key, as an author writing the file would.
    body = yaml.dump(shaped, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000)
    return HEADER_COMMENT + body


def _shaped_item(item: dict[str, Any]) -> dict[str, Any]:
    source = dict(item["source"])
    if "document" in source:
        source["document"] = _Line(source["document"])
    return {
        **item,
        "stem": _Line(item["stem"]),
        "options": [_Line({**option, "text": _Line(option["text"])}) for option in item["options"]],
        "rationale": _Line(item["rationale"]),
        "source": _Line(source),
    }
