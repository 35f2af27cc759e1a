"""docs/workflow.md shows exactly the machine's table, so the two cannot drift apart."""

from collections import Counter
from pathlib import Path

from certify.workflow import TRANSITIONS

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"
COLUMNS = ["from", "action", "who", "requires", "to"]


def documented_rows() -> list[tuple[str, ...]]:
    """The rows of the table under '## Transitions', each a tuple of its five cells."""
    section = DOC.read_text(encoding="utf-8").split("## Transitions", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header, separator, *rows = ([cell.strip() for cell in line.strip("|").split("|")] for line in lines)
    assert header == COLUMNS
    assert set("".join(separator)) <= set("-: ")
    return [tuple(row) for row in rows]


def machine_rows() -> list[tuple[str, ...]]:
    rows = []
    for row in TRANSITIONS:
        requires = [guard.requirement for guard in row.requires] + ([row.when.condition] if row.when else [])
        who = ", ".join(sorted(row.roles))
        rows.append((row.source, row.action, who, "; ".join(requires) or "-", row.target))
    return rows


def test_the_documented_table_is_the_machines_table():
    assert Counter(documented_rows()) == Counter(machine_rows())


def test_the_diagram_names_only_real_states():
    states = {row.source for row in TRANSITIONS} | {row.target for row in TRANSITIONS}
    diagram = DOC.read_text(encoding="utf-8").split("```mermaid", 1)[1].split("```", 1)[0]
    arrows = [line.split(":")[0].split("-->") for line in diagram.splitlines() if "-->" in line]
    named = {end.strip() for arrow in arrows for end in arrow} - {"[*]"}
    assert named == states
