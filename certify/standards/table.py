"""The table of every indicator of a standard, as Markdown: what docs/standard.md shows for each version.

Pure (no Flask, no SQLAlchemy). The docs hold one generated section per library file, between
`<!-- indicator-table cmq-1.0 -->` and `<!-- /indicator-table -->`; a test keeps each equal to the
table generated here, and `python -m certify.standards.table docs/standard.md` rewrites them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from certify.scoring.plan import plan_for
from certify.standards.definition import Critical, Indicator, Standard, Text
from certify.standards.format import LIBRARY, load_standard_file

HEADER = (
    "| Area | Id | Indicator | Weight in area | Documents | Evidence required | Critical at | Reason |",
    "|---|---|---|---:|---|---|---|---|",
)
NONE = "—"
SECTION = re.compile(
    r"<!-- indicator-table (?P<key>\S+) -->\n(?P<table>.*?)<!-- /indicator-table -->", re.DOTALL
)
REGENERATE = ".venv/bin/python -m certify.standards.table docs/standard.md"


def indicator_table(standard: Standard) -> str:
    """The Markdown table of `standard`'s indicators, area by area, ending with a newline."""
    minimums = critical_minimums(standard)
    rows = (
        _row(area.id, indicator, minimums.get(indicator.id, {}))
        for area in standard.areas
        for indicator in area.indicators
    )
    return "\n".join((*HEADER, *rows)) + "\n"


def critical_minimums(standard: Standard) -> dict[str, dict[str, Critical]]:
    """Indicator id -> level id -> the minimum that level demands of it, lowest level first.

    The critical indicators come as the engine applies them (each level inherits those of the levels
    below, at the higher minimum); a level's `min_rubric` is a critical rubric minimum too, without a
    self-assessed one, so it shows here alongside them.
    """
    inherited = plan_for(standard).critical
    minimums: dict[str, dict[str, Critical]] = {}
    for level in sorted(standard.levels, key=lambda lv: lv.rank):
        rubric_only = (Critical(i, rubric) for i, rubric in level.min_rubric.items())
        for critical in (*inherited[level.id], *rubric_only):
            known = minimums.setdefault(critical.indicator, {}).get(level.id)
            if known is None or critical.rubric > known.rubric:
                minimums[critical.indicator][level.id] = critical
    return minimums


def _row(area_id: str, indicator: Indicator, minimums: Mapping[str, Critical]) -> str:
    cells = (
        f"`{area_id}`",
        f"`{indicator.id}`",
        _cell(indicator.title.en),
        _number(indicator.weight),
        _cell(indicator.expected_evidence.en),
        _evidence(indicator),
        ", ".join(_minimum(level_id, critical) for level_id, critical in minimums.items()) or NONE,
        _text_or_none(indicator.rationale),
    )
    return "| " + " | ".join(cells) + " |"


def _evidence(indicator: Indicator) -> str:
    if not indicator.evidence_required:
        return "no"
    return f"yes (else at most {_number(indicator.cap_without_evidence)})"


def _minimum(level_id: str, critical: Critical) -> str:
    shown = f"{level_id} ≥{critical.rubric}"
    # A self-assessed minimum is worth naming only where it differs from what the rubric one stands for.
    if critical.answers is not None and critical.answers != 25 * critical.rubric:
        shown += f" (answers ≥{_number(critical.answers)})"
    return shown


def _text_or_none(text: Text | None) -> str:
    return _cell(text.en) if text is not None else NONE


def _cell(text: str) -> str:
    """`text` on one line, with pipes escaped so that it stays in its cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- the generated sections of docs/standard.md --------------------------------------------------------


def sections(document: str) -> dict[str, str]:
    """Key (e.g. `cmq-1.0`) -> the table in that generated section of `document`."""
    return {match["key"]: match["table"] for match in SECTION.finditer(document)}


def with_tables(document: str, tables: Mapping[str, str]) -> str:
    """`document` with each generated section replaced by its table; a missing one is appended."""
    rewritten = SECTION.sub(lambda m: _section(m["key"], tables.get(m["key"], m["table"])), document)
    missing = [key for key in tables if key not in sections(document)]
    for key in missing:
        rewritten = rewritten.rstrip("\n") + f"\n\n### Indicators of {key}\n\n{_section(key, tables[key])}\n"
    return rewritten


def _section(key: str, table: str) -> str:
    return f"<!-- indicator-table {key} -->\n{table}<!-- /indicator-table -->"


def library_tables(paths: Iterable[Path]) -> dict[str, str]:
    """File stem (e.g. `cmq-1.0`) -> the generated table, for each standard file."""
    return {path.stem: indicator_table(load_standard_file(path)) for path in sorted(paths)}


def main(arguments: list[str]) -> None:
    """Rewrite the generated sections of the Markdown file named by `arguments` from the library."""
    (document_path,) = arguments
    path = Path(document_path)
    tables = library_tables(LIBRARY.glob("*.yaml"))
    path.write_text(with_tables(path.read_text(encoding="utf-8"), tables), encoding="utf-8")
    print(f"{path}: {len(tables)} indicator table(s) written")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
