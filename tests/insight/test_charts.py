"""Server-side SVG bar, box and line charts: one accessible image, no script, no request elsewhere, text
escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from certify.insight.charts import (
    BAR_COLOUR,
    VALUE_ROOM,
    WIDTH,
    Bar,
    Box,
    Line,
    LinePoint,
    Mark,
    MarkedBar,
    box_plots,
    horizontal_bars,
    line_chart,
    marked_bars,
)

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def test_a_chart_is_one_image_with_a_title_and_every_bar_read_out():
    chart = parsed(horizontal_bars("Applications by state", [Bar("In review", 3), Bar("Scored", 1)]))
    assert chart.get("role") == "img"
    assert chart.find(f"{SVG}title").text == "Applications by state"
    assert chart.get("aria-label") == "Applications by state: In review: 3; Scored: 1"


def test_bars_are_as_long_as_their_values_against_the_largest():
    chart = parsed(horizontal_bars("t", [Bar("a", 4), Bar("b", 2), Bar("c", 0)]))
    widths = [float(rect.get("width")) for rect in chart.iter(f"{SVG}rect")]
    assert widths == [WIDTH - VALUE_ROOM, (WIDTH - VALUE_ROOM) / 2, 0]
    texts = [t.text for t in chart.iter(f"{SVG}text")]
    assert texts == ["a", "4", "b", "2", "c", "0"]


def test_labels_are_escaped_and_nothing_runs_or_loads():
    svg = horizontal_bars('<script>"x"</script> & co', [Bar("<img src=//evil.example>", 1)])
    chart = parsed(svg)
    assert [t.text for t in chart.iter(f"{SVG}text")][0] == "<img src=//evil.example>"
    assert "<script" not in svg and "<img" not in svg
    assert not [e for e in chart.iter() if e.tag in (f"{SVG}script", f"{SVG}image", f"{SVG}foreignObject")]
    assert "style=" not in svg  # the CSP refuses inline styles


def test_an_empty_chart_is_still_a_valid_image():
    chart = parsed(horizontal_bars("Nothing yet", []))
    assert chart.get("role") == "img" and list(chart.iter(f"{SVG}rect")) == []


def test_a_bar_reads_its_value_as_the_caller_wrote_it():
    chart = parsed(horizontal_bars("Median days", [Bar("January 2025", 30.5, "30,5")]))
    assert chart.get("aria-label") == "Median days: January 2025: 30,5"
    assert [t.text for t in chart.iter(f"{SVG}text")] == ["January 2025", "30,5"]


def test_a_box_spans_minimum_to_maximum_with_the_quartiles_boxed_and_its_numbers_read_out():
    boxes = [
        Box("Strategy", (25, 50, 75, 75, 100), "minimum 25, lower quartile 50, median 75"),
        Box("Services", (), "fewer than 5 applications (3)"),
    ]
    chart = parsed(box_plots("Scores by area", boxes))
    assert chart.get("role") == "img" and chart.find(f"{SVG}title").text == "Scores by area"
    assert chart.get("aria-label") == (
        "Scores by area: Strategy: minimum 25, lower quartile 50, median 75;"
        " Services: fewer than 5 applications (3)"
    )
    (box,) = chart.iter(f"{SVG}rect")  # the withheld row draws no box
    whisker = next(chart.iter(f"{SVG}line"))
    left, right = float(whisker.get("x1")), float(whisker.get("x2"))
    scale = (right - left) / 75  # minimum 25 to maximum 100
    assert float(box.get("x")) == round(left + 25 * scale, 1)  # the lower quartile, 50
    assert float(box.get("width")) == round(25 * scale, 1)  # up to the upper quartile, 75
    texts = [t.text for t in chart.iter(f"{SVG}text")]
    assert "fewer than 5 applications (3)" in texts and texts[-5:] == ["0", "25", "50", "75", "100"]


def test_a_box_chart_escapes_its_text():
    svg = box_plots("<b>", [Box('<script>"x"</script>', (), "<img src=x>")])
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    parsed(svg)


def test_marked_bars_name_each_level_once_and_mark_it_across_every_row_it_applies_to():
    basic, senior = Mark("Basic", 40), Mark("Senior <b>", 45)  # close: the second name on a line of its own
    rows = [
        MarkedBar("Strategy", 55.0, "55", (basic, senior), "Strategy: 55 (reached)"),
        MarkedBar("Finance", None, "—", (basic,), "Finance: — (needs 40)"),
    ]
    chart = parsed(marked_bars("Self-assessment", rows))
    assert chart.get("role") == "img" and chart.find(f"{SVG}title").text == "Self-assessment"
    assert chart.get("aria-label") == "Self-assessment: Strategy: 55 (reached); Finance: — (needs 40)"
    names = {t.text: float(t.get("y")) for t in chart.iter(f"{SVG}text") if t.get("text-anchor") == "middle"}
    assert names["Basic"] < names["Senior <b>"]  # escaped, and below the first name
    dashed = [line for line in chart.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 3  # two on the first row, one on the second
    bars = [rect for rect in chart.iter(f"{SVG}rect") if rect.get("fill") == BAR_COLOUR]
    assert len(bars) == 1  # an unscored row has its track only


def points(*values) -> tuple[LinePoint, ...]:
    """Points read as written, a gap read as "none"."""
    return tuple(LinePoint(None, "none") if v is None else LinePoint(Decimal(v), str(v)) for v in values)


YEARS = [2021, 2022, 2023, 2024, 2025]
CLUSTER = Line("Your cluster", points(18, 24, None, 31, 29))
MEDIAN = Line("Median of peers", points(None, 20, "22.5", None, 26), dashed=True)


def test_a_line_chart_is_one_image_reading_every_point_of_every_line_and_naming_them_in_a_legend():
    chart = parsed(line_chart("Participants", YEARS, [CLUSTER, MEDIAN]))
    assert chart.get("role") == "img" and chart.find(f"{SVG}title").text == "Participants"
    assert chart.get("aria-label") == (
        "Participants: Your cluster: 2021: 18, 2022: 24, 2023: none, 2024: 31, 2025: 29;"
        " Median of peers: 2021: none, 2022: 20, 2023: 22.5, 2024: none, 2025: 26"
    )
    texts = [t.text for t in chart.iter(f"{SVG}text")]
    assert texts[:2] == ["Your cluster", "Median of peers"]
    assert [t.text for t in chart.iter(f"{SVG}text") if t.get("text-anchor") == "middle"] == [
        str(year) for year in YEARS
    ]


def lines_of(chart: ET.Element, colour: str) -> list[ET.Element]:
    """The chart's polylines of one colour, the legend's sample first."""
    return [line for line in chart.iter(f"{SVG}polyline") if line.get("stroke") == colour]


def test_a_gap_breaks_the_line_and_a_lone_point_is_still_a_dot():
    chart = parsed(line_chart("Participants", YEARS, [CLUSTER, MEDIAN]))
    cluster, median = (lines_of(chart, line.colour)[1:] for line in (CLUSTER, MEDIAN))
    assert [len(line.get("points").split()) for line in cluster] == [2, 2]  # 2021-2022, 2024-2025
    assert [len(line.get("points").split()) for line in median] == [2]  # 2022-2023; 2025 alone
    dots = [dot for dot in chart.iter(f"{SVG}circle")]
    assert len(dots) == 2 + 4 + 3  # a dot in each legend entry, and one per value
    assert all(line.get("stroke-dasharray") for line in median) and not any(
        line.get("stroke-dasharray") for line in cluster
    )
    hollow = [dot for dot in dots if dot.get("fill") == "#fff"]
    assert len(hollow) == 1 + 3 and {dot.get("stroke") for dot in hollow} == {MEDIAN.colour}


def tick_heights(chart: ET.Element) -> dict[str, float]:
    """Each value tick's label and the height it marks (its label sits 5 below it)."""
    return {t.text: float(t.get("y")) - 5 for t in chart.iter(f"{SVG}text") if t.get("text-anchor") == "end"}


def test_values_stand_on_a_zero_baseline_against_round_ticks_written_by_the_caller():
    chart = parsed(line_chart("Team", [2024, 2025], [Line("FTE", points("0.5", "1.5"))], tick_text=comma))
    ticks = tick_heights(chart)
    assert list(ticks) == ["0", "0,5", "1", "1,5"]  # steps of 0.5 up to the largest value
    dots = [float(dot.get("cy")) for dot in chart.iter(f"{SVG}circle")][1:]
    assert dots == [round(ticks["0,5"], 1), round(ticks["1,5"], 1)]
    baseline = [line for line in chart.iter(f"{SVG}line") if line.get("y1") == line.get("y2")]
    assert float(baseline[0].get("y1")) == ticks["0"] and baseline[0].get("x2") == str(WIDTH)


def comma(value: Decimal) -> str:
    return format(value, "f").replace(".", ",")


@pytest.mark.parametrize(
    ("largest", "expected"),
    [
        (31, ["0", "10", "20", "30", "40"]),
        (1000, ["0", "500", "1000"]),
        ("0.3", ["0", "0.1", "0.2", "0.3"]),
        (12_345_678, ["0", "5000000", "10000000", "15000000"]),
        (0, ["0", "1"]),
    ],
)
def test_the_ticks_are_a_few_round_steps_from_zero_past_the_largest_value(largest, expected):
    chart = parsed(line_chart("t", [2025], [Line("a", points(largest))]))
    assert list(tick_heights(chart)) == expected


def test_a_long_series_labels_every_other_year_but_reads_every_one():
    years = list(range(2010, 2026))
    chart = parsed(line_chart("t", years, [Line("a", points(*range(16)))]))
    labelled = [t.text for t in chart.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert labelled == [str(year) for year in years[::2]]
    assert chart.get("aria-label").count(":") == 2 + len(years)


def contrast_on_white(colour: str) -> float:
    """The WCAG 2 contrast ratio of a #rrggbb colour against white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_a_line_chart_draws_in_colours_of_4_5_to_1_on_white_through_attributes_only():
    svg = line_chart("Participants", YEARS, [CLUSTER, MEDIAN])
    chart = parsed(svg)
    colours = {
        e.get(a) for e in chart.iter() for a in ("fill", "stroke") if e.get(a) not in (None, "none", "#fff")
    }
    assert colours and all(contrast_on_white(colour) >= 4.5 for colour in colours)
    assert "style=" not in svg


def test_a_line_chart_escapes_its_text():
    line = Line('<script>"x"</script>', (LinePoint(1, "<img src=x>"),))
    svg = line_chart("<b>", [2025], [line], tick_text=lambda value: f"<i>{value}</i>")
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg and "<i>" not in svg
    assert [t.text for t in parsed(svg).iter(f"{SVG}text")][0] == '<script>"x"</script>'


def test_a_line_must_have_a_point_for_each_year():
    with pytest.raises(ValueError, match="each year"):
        line_chart("t", YEARS, [Line("a", points(1, 2))])


def test_an_empty_line_chart_is_still_a_valid_image():
    chart = parsed(line_chart("Nothing yet", [], []))
    assert chart.get("role") == "img" and list(chart.iter(f"{SVG}circle")) == []
