"""The body's monitoring workbook (issue 18, item 4): the effectiveness index and the aggregates as XLSX.

Sheets, each with a bilingual header row (Russian first, as the questionnaire workbook), frozen and
filtered, numbers stored as numbers with a number format:

- the index per organisation and year, with its two halves and each KPI's score;
- every component behind the index (`effectiveness.index_inputs`), one row each;
- the aggregates by year, by region and by green field, with nothing withheld (the body's own view), and
  a column saying whether the public figures withhold the cell.

The workbook is small (organisations × years), so it is built whole in memory: openpyxl's write-only
sheets of the insight exports (`certify.insight.xlsx`) take neither an auto-filter nor a cell's number
format. Texts are written as texts, never formulas, without the control characters XML cannot hold.
Pure: neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from certify.insight.xlsx import MAX_WIDTH
from certify.monitoring.aggregates import Aggregates, Breakdown, Cell, body_aggregates
from certify.monitoring.effectiveness import CoreScore, GreenScore, IndexInputs, index_inputs, one_decimal
from certify.monitoring.trends import YearReport, one_per_year
from certify.questionnaire.workbook_layout import BOLD, HEADER_FILL, WRAP, printable
from certify.standards.definition import Text
from certify.standards.monitoring import WHOLE_TYPES, Kpi, Monitoring

INDEX_SHEET = "Индекс - Index"
COMPONENTS_SHEET = "Составляющие - Components"
BREAKDOWN_SHEETS = {
    Breakdown.YEAR: "По годам - By year",
    Breakdown.REGION: "По регионам - By region",
    Breakdown.FIELD: "По направлениям - By field",
}
ORGANISATION, REGION, LEVEL, YEAR = (
    "Организация / Organisation",
    "Регион / Region",
    "Уровень / Level",
    "Год / Year",
)
GROUP_HEADERS = {Breakdown.REGION: REGION, Breakdown.FIELD: "Направление / Field"}
INDEX_HEADERS = (
    ORGANISATION,
    REGION,
    LEVEL,
    YEAR,
    "Индекс / Index",
    "Основные показатели: средний ранг / Core KPIs: mean rank",
    "Зелёные направления: среднее достижение цели / Green fields: mean attainment",
)
COMPONENT_HEADERS = (
    ORGANISATION,
    REGION,
    YEAR,
    "Составляющая / Component",
    "Направление / Field",
    "Показатель / KPI",
    "Значение или факт / Figure or actual",
    "Базовое значение / Baseline",
    "Целевое значение / Target",
    "С худшим значением / With a worse figure",
    "С тем же значением / With the same figure",
    "Сообщили показатель / Reported it",
    "Ранг или достижение / Rank or attainment",
    "Учтена в индексе / Counted in the index",
)
AGGREGATE_HEADERS = (
    "Показатель / Figure",
    "Единица / Unit",
    "Организаций / Organisations",
    "Итого / Total",
    "Медиана / Median",
    "В открытых данных / In the public figures",
)
CORE_KIND, GREEN_KIND = "основной показатель / core KPI", "зелёное направление / green field"
YES, NO = "да / yes", "нет / no"
PUBLISHED, WITHHELD = "публикуется / published", "скрыто / withheld"
#: number formats: whole numbers, scores to one decimal (as the index is rounded), other quantities
WHOLE, SCORE, QUANTITY = "#,##0", "0.0", "#,##0.00"


def monitoring_workbook(
    reports: Iterable[YearReport],
    organisations: Mapping[int, tuple[str, str]],
    monitoring: Monitoring,
    field_titles: Mapping[str, Text] | None = None,
) -> bytes:
    """The workbook's bytes for `reports` (one per organisation and year).

    `organisations` gives each organisation id of the reports its (name, region) as the caller has them
    now, for the index sheets; the aggregates count each report in the region it gives. `field_titles`
    names the green fields (the options of the standard's fields question); without it a field is its
    value.
    """
    reports = one_per_year(reports)
    names = dict(organisations)
    missing = {report.organisation_id for report in reports} - names.keys()
    if missing:
        raise ValueError(f"organisations without a name: {sorted(missing)}")
    titles = dict(field_titles or {})
    workbook = Workbook()
    workbook.remove(workbook.active)
    _index_sheets(workbook, reports, names, monitoring, titles)
    aggregates = body_aggregates(reports, monitoring)
    for breakdown, title in BREAKDOWN_SHEETS.items():
        _aggregate_sheet(workbook.create_sheet(title), breakdown, aggregates, monitoring, titles)
    for sheet in workbook.worksheets:
        sheet.auto_filter.ref = sheet.dimensions
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# The index --------------------------------------------------------------------------------------------------


def _index_sheets(workbook, reports, names, monitoring: Monitoring, titles) -> None:
    """The index sheet, one row per organisation and year, then the components sheet."""
    green_kpis = [(entry.field, kpi) for entry in monitoring.fields for kpi in entry.kpis]
    index_header = [
        *INDEX_HEADERS,
        *(_named("Ранг", "Rank", monitoring.kpi(kpi)) for kpi in monitoring.core),
        *(
            _named("Достижение", "Attainment", monitoring.kpi(kpi), _field_name(field, titles))
            for field, kpi in green_kpis
        ),
    ]
    index, components = workbook.create_sheet(INDEX_SHEET), workbook.create_sheet(COMPONENTS_SHEET)
    _header(index, index_header)
    _header(components, COMPONENT_HEADERS)
    for report, inputs in _by_year_and_name(reports, names, monitoring):
        name, region = names[report.organisation_id]
        ranks = {score.kpi: score.score for score in inputs.core}
        attained = {(score.field, score.kpi): score.score for score in inputs.green}
        halves = (_half([s.exact for s in inputs.core]), _half([s.exact for s in inputs.green if s.counted]))
        _row(
            index,
            [
                (name, None),
                (region, None),
                (report.level, None),
                (report.year, "0"),
                (inputs.index, SCORE),
                *((half, SCORE) for half in halves),
                *((ranks.get(kpi), SCORE) for kpi in monitoring.core),
                *((attained.get(key), SCORE) for key in green_kpis),
            ],
        )
        for score in (*inputs.core, *inputs.green):
            who = [(name, None), (region, None), (report.year, "0")]
            _row(components, [*who, *_component(score, monitoring, titles)])


def _by_year_and_name(reports, names, monitoring: Monitoring) -> list[tuple[YearReport, IndexInputs]]:
    """Each report with its index inputs among its year's reports, by year and then by name."""
    by_year: dict[int, list[YearReport]] = defaultdict(list)
    for report in reports:
        by_year[report.year].append(report)
    rows = []
    for year in sorted(by_year):
        made = index_inputs(by_year[year], monitoring)
        ordered = sorted(by_year[year], key=lambda r: (names[r.organisation_id][0], r.organisation_id))
        rows += [(report, made[report.organisation_id]) for report in ordered]
    return rows


def _component(score: CoreScore | GreenScore, monitoring: Monitoring, titles) -> list[tuple[Any, str | None]]:
    """A component's cells from the kind on: core KPIs have counts, green ones a baseline and a target."""
    kpi = monitoring.kpi(score.kpi)
    name, figure = f"{kpi.name.ru} / {kpi.name.en}", _figure_format(kpi)
    if isinstance(score, CoreScore):
        return [
            (CORE_KIND, None),
            (None, None),
            (name, None),
            (score.value, figure),
            (None, None),
            (None, None),
            (score.worse, WHOLE),
            (score.equal, WHOLE),
            (score.reporting, WHOLE),
            (score.score, SCORE),
            (YES, None),
        ]
    return [
        (GREEN_KIND, None),
        (_title(score.field, titles), None),
        (name, None),
        (score.actual, figure),
        (score.baseline, figure),
        (score.target, figure),
        (None, None),
        (None, None),
        (None, None),
        (score.score, SCORE),
        (YES if score.counted else NO, None),
    ]


def _half(scores: Sequence[Fraction]) -> Decimal | None:
    """A half of the index (the mean of its exact scores), rounded once as the index is."""
    return one_decimal(sum(scores, Fraction(0)) / len(scores)) if scores else None


# The aggregates ---------------------------------------------------------------------------------------------


def _aggregate_sheet(sheet, breakdown: Breakdown, aggregates: Aggregates, monitoring, titles) -> None:
    """One breakdown's cells, year by year: every total and median, and whether the public sees them."""
    group_header = [GROUP_HEADERS[breakdown]] if breakdown in GROUP_HEADERS else []
    _header(sheet, [YEAR, *group_header, *AGGREGATE_HEADERS])
    for cell in aggregates.cells:
        if cell.breakdown != breakdown:
            continue
        kpi = monitoring.kpi(cell.kpi)
        group = [] if cell.group is None else [(_group_name(cell, titles), None)]
        _row(
            sheet,
            [
                (cell.year, "0"),
                *group,
                (f"{kpi.name.ru} / {kpi.name.en}", None),
                (f"{kpi.unit.ru} / {kpi.unit.en}", None),
                (cell.organisations, WHOLE),
                (cell.total, _figure_format(kpi)),
                (cell.median, _figure_format(kpi, median=True)),
                (WITHHELD if cell.withheld else PUBLISHED, None),
            ],
        )


def _group_name(cell: Cell, titles) -> str:
    return _title(cell.group, titles) if cell.breakdown == Breakdown.FIELD else cell.group


# Cells ------------------------------------------------------------------------------------------------------


def _figure_format(kpi: Kpi, median: bool = False) -> str:
    """Whole numbers for counts (a median of counts may end in .5), two decimals for other quantities."""
    if kpi.type in WHOLE_TYPES:
        return "#,##0.0" if median else WHOLE
    return QUANTITY


def _named(ru: str, en: str, kpi: Kpi, field: Text | None = None) -> str:
    """A score's column: "Ранг: <KPI> / Rank: <KPI>", a green KPI's with its field's name before it."""
    where = Text(ru="", en="") if field is None else Text(ru=f"{field.ru}: ", en=f"{field.en}: ")
    return f"{ru}: {where.ru}{kpi.name.ru} / {en}: {where.en}{kpi.name.en}"


def _field_name(field: str, titles: Mapping[str, Text]) -> Text:
    """A field's name in both languages; without a title given, its value in both."""
    return titles.get(field) or Text(ru=field, en=field)


def _title(field: str, titles: Mapping[str, Text]) -> str:
    name = _field_name(field, titles)
    return field if name.ru == name.en else f"{name.ru} / {name.en}"


def _header(sheet, header: Sequence[str]) -> None:
    """The bold, frozen header row; a column is half as wide as its header, which wraps its Russian and
    English over two lines (within MAX_WIDTH)."""
    for column, text in enumerate(header, 1):
        cell = _text(sheet.cell(1, column), text)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        width = min(max(len(text) // 2 + 2, 12), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _row(sheet, values: Sequence[tuple[Any, str | None]]) -> None:
    """A row of (value, number format): numbers as numbers, texts as texts, None as an empty cell."""
    row = sheet.max_row + 1
    for column, (value, number_format) in enumerate(values, 1):
        if value is None:
            continue
        if isinstance(value, str):
            _text(sheet.cell(row, column), value)
            continue
        sheet.cell(row, column, _number(value)).number_format = number_format or "General"


def _number(value: Decimal | int) -> int | float:
    """A figure as the spreadsheet's number: a whole one as an integer, others as a float."""
    return int(value) if value == int(value) else float(value)


def _text(cell, text: str):
    """`text` as a literal string: a name beginning with "=" stays a name, not a formula."""
    cell.value = printable(text)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell
