"""The manager's summary (issue 17, item 6): the self-assessment per area as a chart, each level's area
minimum marked across the bars, and a table beside it that says every score and gap in words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from babel.numbers import format_decimal

from certify.insight.charts import VALUE_ROOM, WIDTH
from certify.questionnaire.overview import overview_of
from tests import factories
from tests.insight.html_tables import tables

SVG = "{http://www.w3.org/2000/svg}"


def _x(value: float) -> float:
    """Where a score sits on the chart's 0-100 scale: the width less half the value room either side."""
    return VALUE_ROOM / 2 + (WIDTH - VALUE_ROOM) * value / 100


def chart_of(page: str) -> ET.Element:
    found = re.search(r'<div class="my-3" id="self-assessment-chart">(<svg.*?</svg>)</div>', page, re.S)
    assert found, "no chart on the summary"
    return ET.fromstring(found.group(1))  # noqa: S314 (our own output)


def expected_gaps(standard, areas):
    """Per area, per level from the lowest: the points short of its area minimum (None: no minimum)."""
    levels = sorted(standard.levels, key=lambda level: level.rank)
    rows = {}
    for area, (_, score) in zip(standard.areas, areas, strict=True):
        rows[area.id] = [
            None
            if level.min_area == 0 or area.id in level.min_area_exempt
            else max(level.min_area - score, Decimal(0))
            for level in levels
        ]
    return levels, rows


def test_the_summary_draws_each_area_against_each_levels_minimum(db, client_for):
    case = factories.submitted(db, seed=7, strength=0.6)
    db.commit()
    overview = overview_of(db, case.manager, case.application)
    standard, areas = overview.standard, overview.assessment.areas
    levels, gaps = expected_gaps(standard, areas)
    assert any(g and g > 0 for row in gaps.values() for g in row), "nothing short: the test proves little"

    page = client_for(case.manager).get(f"/applications/{case.application.id}/summary").get_data(as_text=True)
    chart = chart_of(page)
    assert (
        chart.get("role") == "img"
        and chart.find(f"{SVG}title").text == "Самооценка по областям в сравнении с уровнями"
    )
    # one bar per scored area, as long as its score on the 0-100 scale
    bars = [r for r in chart.iter(f"{SVG}rect") if r.get("fill") == "#0d6efd"]
    scored = [score for _, score in areas if score is not None]
    assert [round(float(r.get("width")), 1) for r in bars] == [round(_x(float(s)) - _x(0), 1) for s in scored]
    # a dashed mark at each level's area minimum, where the level sets one
    marks = sorted(
        round(float(line.get("x1")), 1) for line in chart.iter(f"{SVG}line") if line.get("stroke-dasharray")
    )
    minima = sorted(
        round(_x(float(level.min_area)), 1)
        for area in standard.areas
        for level, gap in zip(levels, gaps[area.id], strict=True)
        if gap is not None
    )
    assert marks == minima and marks
    legend = {t.text for t in chart.iter(f"{SVG}text")}
    assert {level.name.ru for level in levels if level.min_area > 0} <= legend

    # the table says the same, in words: the total first, then each area, a column per level
    table = tables(page)["self-assessment-gaps"]
    assert table[0][0] == "Итого"
    for (title, score), area, row in zip(areas, standard.areas, table[1:], strict=True):
        assert row[:2] == [title, "—" if score is None else format_decimal(score, locale="ru")]
        for gap, cell in zip(gaps[area.id], row[2:], strict=True):
            if gap is None:
                assert cell == "без минимума"
            elif gap == 0:
                assert cell.endswith("достигнут")
            else:
                assert cell.endswith(f"не хватает {format_decimal(gap, locale='ru')}")
        # and so does the image, to a screen reader
        assert title in chart.get("aria-label")


def test_a_candidates_summary_has_no_self_assessment_chart(db, client_for):
    from tests.attestation import steps

    steps.install_scheme(db, with_exam=False)
    application = steps.submitted(db)
    db.commit()
    page = client_for(application.candidate).get(f"/applications/{application.id}/summary")
    assert page.status_code == 200
    assert "self-assessment-chart" not in page.get_data(as_text=True)
