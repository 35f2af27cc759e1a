"""The body's monitoring workbook (issue 18, item 4), read back as a reader opens it: the index per
organisation and year with its components, and the aggregates with nothing withheld but marked where the
public figures withhold them."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from certify.monitoring.effectiveness import effectiveness_index
from certify.monitoring.export import (
    AGGREGATE_HEADERS,
    COMPONENT_HEADERS,
    INDEX_HEADERS,
    monitoring_workbook,
)
from certify.monitoring.report import core_question_id, field_question_id
from certify.monitoring.trends import YearReport
from certify.standards.definition import Text
from certify.standards.format import LIBRARY, load_standard_file

MONITORING = load_standard_file(LIBRARY / "cmq-1.2.yaml").monitoring
SHEETS = [
    "Индекс - Index",
    "Составляющие - Components",
    "По годам - By year",
    "По регионам - By region",
    "По направлениям - By field",
]


def water(actual, baseline, target) -> dict[str, Decimal]:
    figures = {"actual": actual, "baseline": baseline, "target": target}
    return {
        field_question_id("water", "water_saved", name): Decimal(value) for name, value in figures.items()
    }


def report(organisation_id, year=2025, region="Tatarstan", **core) -> YearReport:
    figures = {core_question_id(kpi): Decimal(value) for kpi, value in core.items()}
    if organisation_id == 1:
        figures |= water(175, 100, 200)
    return YearReport(organisation_id, year, "advanced", region, frozenset({"water"}), figures)


#: six organisations in Tatarstan and one in Moscow, whose cell the public figures withhold
REPORTS = [
    report(n, participants=10 + n, investment_attracted=1000 * n, team_fte="0.5") for n in range(1, 7)
] + [
    report(7, region="Moscow", participants=40, investment_attracted="2500.50"),
    report(1, year=2024, participants=11),
]
NAMES = {n: (f"Кластер {n}", "Республика Татарстан") for n in range(1, 7)} | {7: ("=HYPERLINK(1)", "Москва")}
FIELD_TITLES = {"water": Text(ru="Вода", en="Water")}


def opened(reports=REPORTS, names=NAMES, field_titles=FIELD_TITLES):
    return load_workbook(io.BytesIO(monitoring_workbook(reports, names, MONITORING, field_titles)))


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_the_sheets_have_a_bilingual_header_row_frozen_bold_and_filtered():
    book = opened()
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        header = rows(sheet)[0]
        assert all(" / " in name for name in header), sheet.title
        assert header[0].startswith(("Организация", "Год"))
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
        assert sheet.auto_filter.ref == sheet.dimensions
    assert rows(book["По регионам - By region"])[0] == ("Год / Year", "Регион / Region", *AGGREGATE_HEADERS)
    assert rows(book["По годам - By year"])[0] == ("Год / Year", *AGGREGATE_HEADERS)
    assert rows(book["Составляющие - Components"])[0] == COMPONENT_HEADERS


def test_the_index_sheet_has_one_row_per_organisation_and_year_with_the_index():
    book = opened()
    sheet = book["Индекс - Index"]
    header, *body = rows(sheet)
    assert header[: len(INDEX_HEADERS)] == INDEX_HEADERS
    assert "Ранг: Привлечённые инвестиции / Rank: Investment attracted" in header
    assert "Достижение: Вода: Сбережённая вода / Attainment: Water: Water saved" in header
    # by year, then by name; the name and region as the caller gave them
    assert [(row[0], row[3]) for row in body] == [("Кластер 1", 2024), ("=HYPERLINK(1)", 2025)] + [
        (f"Кластер {n}", 2025) for n in range(1, 7)
    ]
    assert body[2][1:3] == ("Республика Татарстан", "advanced")
    index = effectiveness_index([r for r in REPORTS if r.year == 2025], MONITORING)
    assert [row[4] for row in body[1:]] == [float(index[n]) for n in (7, 1, 2, 3, 4, 5, 6)]
    water_column = header.index("Достижение: Вода: Сбережённая вода / Attainment: Water: Water saved")
    assert body[2][water_column] == 75 and body[3][water_column] is None
    assert sheet.cell(4, 5).number_format == "0.0" and sheet.cell(4, 4).number_format == "0"


def test_a_name_that_looks_like_a_formula_stays_a_name():
    sheet = opened()["Индекс - Index"]
    (cell,) = [row[0] for row in sheet.iter_rows(min_row=2) if row[0].value == "=HYPERLINK(1)"]
    assert cell.data_type == "s"


def test_the_components_sheet_shows_every_input_of_the_index():
    header, *body = rows(opened()["Составляющие - Components"])
    first = [row for row in body if row[0] == "Кластер 1" and row[2] == 2025]
    participants = next(row for row in first if row[5] == "Участники кластера / Cluster participants")
    # participants 11..16 and 40: the first is the lowest of seven
    assert participants[3] == "основной показатель / core KPI"
    assert participants[6:13] == (11, None, None, 0, 1, 7, 7.1)
    assert participants[13] == "да / yes"
    saved = next(row for row in first if row[3] == "зелёное направление / green field")
    assert saved[4:10] == ("Вода / Water", "Сбережённая вода / Water saved", 175, 100, 200, None)
    assert saved[12:] == (75, "да / yes")


def test_a_green_target_that_sets_nothing_to_attain_is_shown_as_left_out():
    reports = [YearReport(1, 2025, "advanced", "T", frozenset({"water"}), water(5, 10, 10))]
    header, row = rows(opened(reports, {1: ("Кластер", "Т")}, None)["Составляющие - Components"])
    assert row[4] == "water"  # no title given: the field's value
    assert row[12:] == (None, "нет / no")


def test_the_aggregates_show_every_total_and_mark_what_the_public_figures_withhold():
    book = opened()
    year = rows(book["По годам - By year"])[1:]
    investment_2025 = next(row for row in year if row[0] == 2025 and row[1].startswith("Привлечённые"))
    assert investment_2025 == (
        2025,
        "Привлечённые инвестиции / Investment attracted",
        "руб. / RUB",
        7,
        23500.5,
        3000,
        "публикуется / published",
    )
    regions = {(row[0], row[1], row[2][:5]): row[5:] for row in rows(book["По регионам - By region"])[1:]}
    # Moscow's one organisation (the region its report gives): its figure, which the public figures
    # withhold, and Tatarstan's with it, since the year's total less Tatarstan would be Moscow
    assert regions[(2025, "Moscow", "Привл")] == (2500.5, 2500.5, "скрыто / withheld")
    assert regions[(2025, "Tatarstan", "Привл")][2] == "скрыто / withheld"
    sheet = book["По годам - By year"]
    total = next(
        row for row in sheet.iter_rows(min_row=2) if row[0].value == 2025 and row[4].value == 23500.5
    )
    assert total[4].number_format == "#,##0.00" and total[3].number_format == "#,##0"
    fields = rows(book["По направлениям - By field"])[1:]
    assert {row[1] for row in fields} == {"Вода / Water"}


def test_every_organisation_of_the_reports_needs_a_name():
    with pytest.raises(ValueError, match=r"without a name: \[7\]"):
        monitoring_workbook(REPORTS, {n: NAMES[n] for n in range(1, 7)}, MONITORING)
