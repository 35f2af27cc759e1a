"""docs/standard.md's table of every indicator: generated from each library file, kept equal here."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from certify.standards.definition import Critical, Text
from certify.standards.format import LIBRARY, load_standard_file
from certify.standards.table import (
    DOCUMENTS,
    REGENERATE,
    REGENERATE_PERSON,
    indicator_table,
    library_tables,
    sections,
    with_tables,
)

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "standard.md"
LIBRARY_FILES = sorted(LIBRARY.glob("*.yaml"))


@pytest.fixture(scope="module")
def standard():
    return load_standard_file(LIBRARY / "cmq-1.0.yaml")


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda path: path.stem)
def test_the_docs_show_the_current_table_of_each_library_file(path):
    # an organisation's standard in docs/standard.md, a personal scheme in docs/attestation.md
    standard = load_standard_file(path)
    document, command = DOCUMENTS[standard.kind], REGENERATE_PERSON if standard.is_person else REGENERATE
    shown = sections((ROOT / document).read_text(encoding="utf-8"))
    assert path.stem in shown, f"{document} has no indicator table of {path.name}; run {command}"
    assert shown[path.stem] == library_tables([path])[path.stem], (
        f"the indicator table of {path.name} in {document} is out of date; run {command}"
    )


def row_of(table: str, indicator_id: str) -> list[str]:
    line = next(line for line in table.splitlines() if f"| `{indicator_id}` |" in line)
    return [cell.strip() for cell in line.strip("|").split(" | ")]


def test_every_indicator_has_a_row_with_its_documents_and_weight(standard):
    table = indicator_table(standard)
    assert len(table.splitlines()) == 2 + len(standard.indicators())
    area, indicator_id, title, weight, documents, evidence, critical, reason = row_of(table, "fin_plan")
    assert (area, indicator_id, title, weight) == ("`fin`", "`fin_plan`", "Three-year financial plan", "25")
    assert documents == "The financial plan and the decision approving it."
    assert (evidence, critical, reason) == ("yes (else at most 25)", "—", "—")
    assert row_of(table, "fin_sources")[5] == "no"


def test_critical_levels_include_those_inherited_from_lower_levels(standard):
    basic, advanced, excellence = standard.levels
    levels = (
        replace(basic, critical=(Critical("stg_strategy", 1), Critical("fin_plan", 1, answers=Decimal(50)))),
        replace(advanced, critical=(Critical("stg_strategy", 2),)),
        excellence,  # no critical list of its own; its min_rubric asks 3 of stg_strategy
    )
    table = indicator_table(replace(standard, levels=levels))
    assert row_of(table, "stg_strategy")[6] == "basic ≥1, advanced ≥2, excellence ≥3"
    assert row_of(table, "fin_plan")[6] == (
        "basic ≥1 (answers ≥50), advanced ≥1 (answers ≥50), excellence ≥1 (answers ≥50)"
    )


def test_the_reason_is_the_indicators_rationale_on_one_line_with_pipes_escaped(standard):
    area = standard.areas[0]
    reason = Text(ru="Почему", en="Members are\nthe cluster | without them nothing")
    indicators = (replace(area.indicators[0], rationale=reason), *area.indicators[1:])
    changed = replace(standard, areas=(replace(area, indicators=indicators), *standard.areas[1:]))
    line = next(line for line in indicator_table(changed).splitlines() if "`str_members`" in line)
    assert line.endswith("| Members are the cluster \\| without them nothing |")


def test_regenerating_replaces_stale_sections_and_appends_missing_ones():
    document = "# Doc\n\n<!-- indicator-table a-1.0 -->\nold\n<!-- /indicator-table -->\n\nAfter.\n"
    rewritten = with_tables(document, {"a-1.0": "| new |\n", "a-1.1": "| newer |\n"})
    assert sections(rewritten) == {"a-1.0": "| new |\n", "a-1.1": "| newer |\n"}
    assert rewritten.startswith("# Doc\n\n<!-- indicator-table a-1.0 -->\n| new |\n<!-- /indicator-table -->")
    assert "After.\n\n### Indicators of a-1.1\n\n<!-- indicator-table a-1.1 -->" in rewritten
    assert with_tables(rewritten, {"a-1.0": "| new |\n", "a-1.1": "| newer |\n"}) == rewritten


def test_the_cli_prints_the_table_of_a_file(runner):
    result = runner.invoke(args=["certify", "standard", "table", str(LIBRARY / "cmq-1.0.yaml")])
    assert result.exit_code == 0
    assert result.output == library_tables([LIBRARY / "cmq-1.0.yaml"])["cmq-1.0"]
