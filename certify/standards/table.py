"""The table of every indicator of a standard, as Markdown: what docs/standard.md shows for each version.

Pure (no Flask, no SQLAlchemy). The docs hold one generated section per library file, between
`<!-- indicator-table cmq-1.0 -->` and `<!-- /indicator-table -->`; a test keeps each equal to the
table generated here, and `python -m certify.standards.table docs/standard.md` rewrites them. A personal
attestation scheme's section (in docs/attestation.md, `--kind person`) also has the table of the
scheme's own rules: exam, attempts, deadlines, levels, recertification.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from certify.scoring.plan import plan_for
from certify.standards.attestation import StandardKind
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
#: the document that shows the tables of each kind's library files, and the command that rewrites it
DOCUMENTS = {StandardKind.ORGANISATION: "docs/standard.md", StandardKind.PERSON: "docs/attestation.md"}
REGENERATE = ".venv/bin/python -m certify.standards.table docs/standard.md"
REGENERATE_PERSON = ".venv/bin/python -m certify.standards.table --kind person docs/attestation.md"
SCHEME_HEADER = ("| Rule | Value |", "|---|---|")


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


def scheme_table(standard: Standard) -> str:
    """The Markdown table of a personal scheme's own rules, ending with a newline."""
    scheme, levels = standard.attestation, sorted(standard.levels, key=lambda lv: lv.rank)
    exam, attempts, deadlines = scheme.exam, scheme.exam.attempts, scheme.procedure
    renewal = scheme.recertification
    rows = (
        ("Document", scheme.document.en),
        ("Prerequisites", "; ".join(f"{r.title.en} (`{r.rule.source}`)" for r in standard.eligibility)),
        ("Theory exam", f"bank `{exam.bank}`, blueprint `{exam.blueprint}`, within {exam.window_days} days"),
        (
            "Attempts",
            f"at most {attempts.max} in {attempts.within_months} months,"
            f" at least {attempts.min_days_between} days apart",
        ),
        ("Practical part", PRACTICAL_FORMS[scheme.practical.form]),
        (
            "Deadlines",
            f"admission {deadlines.admission_days} days; decision {deadlines.decision_days} days after the"
            f" last stage; appeal within {deadlines.appeal_days} days, heard by a panel of"
            f" {deadlines.appeal_panel} examiners who took no part",
        ),
        ("Levels", "; ".join(_level(level) for level in levels)),
        ("Validity", f"{standard.validity_months} months"),
        (
            "Recertification",
            f"{renewal.cpd_hours} CPD hours over the validity; reminders "
            + ", ".join(str(days) for days in renewal.reminders_days)
            + " days before expiry; without the hours "
            + ("a new exam" if renewal.exam_unless_cpd else "the attestation lapses"),
        ),
        ("CPD kinds", "; ".join(_cpd_kind(kind) for kind in renewal.cpd_kinds)),
    )
    return "\n".join((*SCHEME_HEADER, *(f"| {name} | {_cell(value)} |" for name, value in rows))) + "\n"


PRACTICAL_FORMS = {"case": "a case task answered in writing", "portfolio": "a portfolio defence"}


def _level(level) -> str:
    shown = f"`{level.id}` {level.name.en}: total ≥{_number(level.min_total)}"
    if level.min_area:
        shown += f", every area ≥{_number(level.min_area)}"
    if level.requires is not None:
        note = level.requires_note.en if level.requires_note else level.requires.source
        shown += f", and {note} (`{level.requires.source}`)"
    return shown


def _cpd_kind(kind) -> str:
    limit = f"at most {kind.max_hours} h" if kind.max_hours is not None else "no maximum"
    return f"`{kind.id}` {kind.name.en} ({limit})"


def standard_tables(standard: Standard) -> str:
    """What a library file's generated section holds: its indicators, and a scheme's own rules."""
    table = indicator_table(standard)
    return table + "\n" + scheme_table(standard) if standard.attestation is not None else table


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


def library_tables(paths: Iterable[Path], kind: str | None = None) -> dict[str, str]:
    """File stem (e.g. `cmq-1.0`) -> the generated section, for each standard file (of `kind`)."""
    standards = {path.stem: load_standard_file(path) for path in sorted(paths)}
    return {
        stem: standard_tables(standard)
        for stem, standard in standards.items()
        if kind is None or standard.kind == kind
    }


def main(arguments: list[str] | None = None) -> None:
    """Rewrite the generated sections of a Markdown file from the library files of one kind."""
    parser = argparse.ArgumentParser(prog="python -m certify.standards.table")
    parser.add_argument("--kind", choices=[k.value for k in StandardKind], default=StandardKind.ORGANISATION)
    parser.add_argument("document")
    options = parser.parse_args(arguments)
    path = Path(options.document)
    tables = library_tables(LIBRARY.glob("*.yaml"), options.kind)
    path.write_text(with_tables(path.read_text(encoding="utf-8"), tables), encoding="utf-8")
    print(f"{path}: {len(tables)} indicator table(s) written")  # noqa: T201


if __name__ == "__main__":
    main()
