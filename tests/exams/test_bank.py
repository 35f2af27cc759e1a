"""Loading item banks: the default bank, the tiny test bank, and one broken file per mistake, located."""

from decimal import Decimal

import pytest

from certify.exams.bank import (
    LIBRARY,
    MAX_FILE_BYTES,
    BankInvalid,
    ItemStatus,
    ItemType,
    load_bank,
    load_bank_file,
    validate_bank_text,
)
from certify.exams.forms import draw_form
from tests.exams.builders import TINY

DEFAULT = LIBRARY / "cm-1.0.yaml"
TEXT = TINY.read_text(encoding="utf-8")
#: The issue's minimum: every area holds at least three times the items a form draws from it.
BANK_TO_FORM = 3


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line containing `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def broken(old: str, new: str, occurrence: int = 1) -> str:
    """The tiny bank with the `occurrence`-th `old` replaced by `new`."""
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(old, start + 1)
    return TEXT[:start] + new + TEXT[start + len(old) :]


def only_problem(text: str) -> tuple[str, int | None, str]:
    problems = validate_bank_text(text, source_name="tiny-1.0.yaml")
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0].path, problems[0].line, problems[0].message


def test_the_default_bank_loads():
    # Written by another helper at the same time: this test fails, on purpose, until the file is there.
    bank = load_bank_file(DEFAULT)
    assert (bank.code, bank.version) == ("cm", "1.0")
    assert bank.blueprints
    for blueprint in bank.blueprints:
        for part in blueprint.areas:
            assert len(bank.active_items(part.area)) >= BANK_TO_FORM * part.items, (blueprint.id, part.area)
        assert len(draw_form(bank, blueprint, seed=1).slots) == blueprint.item_count


def test_the_tiny_bank_loads_into_dataclasses():
    bank = load_bank_file(TINY)
    assert (bank.code, bank.version, bank.title.en) == ("tiny", "1.0", "A tiny bank")
    assert [area.id for area in bank.areas] == ["basics", "practice"]
    short = bank.blueprint("short")
    assert (short.pass_mark, short.time_limit_minutes, short.item_count) == (Decimal(60), 10, 5)
    assert [(p.area, p.items, p.pass_mark) for p in short.areas] == [
        ("basics", 3, Decimal(50)),
        ("practice", 2, Decimal(50)),
    ]
    services = next(item for item in bank.items if item.id == "basics_services")
    assert services.type is ItemType.MULTIPLE_CHOICE
    assert services.key == {"a", "b"}
    assert services.option_ids == ("a", "b", "c")
    assert services.source.document.ru == "Методические рекомендации"
    assert services.source.indicator is None
    assert [item.id for item in bank.active_items("practice")] == [
        "practice_kpi",
        "practice_project",
        "practice_survey",
    ]
    assert {item.status for item in bank.items} == set(ItemStatus)


def test_a_broken_bank_is_refused_with_every_problem():
    text = broken("area: practice\n", "area: nowhere\n").replace("status: draft", "status: live")
    with pytest.raises(BankInvalid) as refused:
        load_bank(text, source_name="tiny-1.0.yaml")
    assert [problem.path for problem in refused.value.problems] == ["items[5].status"]
    assert str(refused.value).startswith(f"tiny-1.0.yaml:{line_of(text, 'status: live')}: items[5].status: ")


MULTIPLE_KEYS = '      - {id: c, text: {ru: "Выдачу паспортов", en: "Issuing passports"}}'

# (changed text, path, the line's needle (occurrence), message)
MISTAKES = [
    pytest.param(
        broken(
            'title: {ru: "Маленький банк", en: "A tiny bank"}',
            'title: {ru: "Маленький банк", en: "A tiny bank"',
        ),
        "",
        ("areas:", 1),
        "YAML syntax error at column 1: while parsing a flow mapping;"
        " expected ',' or '}', but got '<scalar>'",
        id="yaml syntax",
    ),
    pytest.param(
        broken("    version: 1\n", "    version: 1\n    version: 2\n", 2),
        "items[1].version",
        ("version: 2", 1),
        "the key 'version' appears twice in this mapping (first on line 32)",
        id="duplicate key",
    ),
    pytest.param(
        broken('en: "Who runs a cluster\'s day-to-day business?"', 'en: " "'),
        "items[1].stem.en",
        ("Кто ведёт дела кластера?", 1),
        "must not be empty",
        id="empty text",
    ),
    pytest.param(
        broken(', en: "Who runs a cluster\'s day-to-day business?"', ""),
        "items[1].stem",
        ("Кто ведёт дела кластера?", 1),
        "the text has no 'en' version; ru and en are both required",
        id="missing translation",
    ),
    pytest.param(
        broken('{id: b, text: {ru: "Губернатор"', '{id: B, text: {ru: "Губернатор"'),
        "items[1].options[1].id",
        ("Губернатор", 1),
        "'B' does not have the expected form (a single lowercase letter)",
        id="option id",
    ),
    pytest.param(
        broken('      - {id: c, text: {ru: "Любой участник", en: "Any member"}}\n', ""),
        "items[1].options",
        ("    options:", 2),
        "needs at least 3 item(s)",
        id="two options",
    ),
    pytest.param(
        broken("status: active", "status: live", 2),
        "items[1].status",
        ("status: live", 1),
        "must be one of: draft, active, suspended, retired",
        id="status",
    ),
    pytest.param(
        broken("pass_mark: 60", "pass_mark: 120"),
        "blueprints[0].pass_mark",
        ("pass_mark: 120", 1),
        "must be at most 100, not 120",
        id="pass mark",
    ),
    pytest.param(
        broken("id: basics_manager", "id: basics_members"),
        "items[1].id",
        ("id: basics_members", 2),
        "duplicate item id 'basics_members' (first used on line 19)",
        id="duplicate item",
    ),
    pytest.param(
        broken('{id: b, text: {ru: "Губернатор"', '{id: a, text: {ru: "Губернатор"'),
        "items[1].options[1].id",
        ("Губернатор", 1),
        "duplicate option id 'a' (first used on line 38)",
        id="duplicate option",
    ),
    pytest.param(
        broken("    area: basics\n", "    area: bascis\n", 2),
        "items[1].area",
        ("area: bascis", 1),
        "names area 'bascis', which is not an area of this bank",
        id="item area unknown",
    ),
    pytest.param(
        broken(
            '{ru: "Губернатор", en: "The governor"}}',
            '{ru: "Губернатор", en: "The governor"}, correct: true}',
        ),
        "items[1].options",
        ("    options:", 2),
        "a single choice item needs exactly one correct option, not 2",
        id="single choice two keys",
    ),
    pytest.param(
        broken(MULTIPLE_KEYS, MULTIPLE_KEYS[:-1] + ", correct: true}"),
        "items[3].options",
        ("    options:", 4),
        "every option is correct; a multiple choice item needs at least one wrong option",
        id="multiple choice all keys",
    ),
    pytest.param(
        broken("type: single_choice", "type: multiple_choice").replace(
            'en: "Members who signed the agreement"}, correct: true}',
            'en: "Members who signed the agreement"}}',
        ),
        "items[0].options",
        ("    options:", 1),
        "a multiple choice item needs at least one correct option",
        id="multiple choice no key",
    ),
    pytest.param(
        broken("source: {indicator: gov_membership}", "source: {}"),
        "items[0].source",
        ("source: {}", 1),
        "a source names exactly one of: an indicator, a document",
        id="no source",
    ),
    pytest.param(
        broken("source: {indicator: gov_membership}", "source: {indicator: Gov}"),
        "items[0].source.indicator",
        ("source: {indicator: Gov}", 1),
        "'Gov' does not have the expected form (lowercase letters, digits and _, starting with a letter)",
        id="indicator id",
    ),
    pytest.param(
        broken("{area: practice, items: 2, pass_mark: 50}", "{area: basics, items: 2, pass_mark: 50}"),
        "blueprints[0].areas[1].area",
        ("{area: basics, items: 2", 1),
        "names area 'basics' twice; an area has one entry with its count",
        id="blueprint area twice",
    ),
    pytest.param(
        broken("{area: practice, items: 2, pass_mark: 50}", "{area: theory, items: 2, pass_mark: 50}"),
        "blueprints[0].areas[1].area",
        ("{area: theory", 1),
        "names area 'theory', which is not an area of this bank",
        id="blueprint area unknown",
    ),
    pytest.param(
        broken("{area: practice, items: 2, pass_mark: 50}", "{area: practice, items: 4, pass_mark: 50}"),
        "blueprints[0].areas[1].items",
        ("{area: practice, items: 4", 1),
        "area 'practice' has 3 active items; blueprint 'short' draws 4",
        id="too few active items",
    ),
]


@pytest.mark.parametrize(("text", "path", "needle", "message"), MISTAKES)
def test_a_mistake_in_a_bank_file_is_reported_at_its_line_and_path(text, path, needle, message):
    assert only_problem(text) == (path, line_of(text, *needle), message)


def test_a_file_too_large_is_refused_before_it_is_read():
    text = TEXT + "#" * MAX_FILE_BYTES
    problems = validate_bank_text(text, source_name="huge.yaml")
    assert [str(p) for p in problems] == [
        f"huge.yaml: the file is {len(text.encode())} bytes, more than the {MAX_FILE_BYTES} bytes allowed,"
        " so it was not read"
    ]


def test_a_file_that_is_not_utf8_is_refused_at_the_line_of_the_bad_byte():
    raw = TEXT.encode("utf-8").replace("Практика".encode(), b"\xff\xfe", 1)
    problems = validate_bank_text(raw, source_name="tiny-1.0.yaml")
    assert [(p.line, p.message) for p in problems] == [
        (line_of(TEXT, "Практика"), "the file is not valid UTF-8 text: invalid start byte")
    ]
