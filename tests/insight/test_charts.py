"""Server-side SVG bar and box charts: one accessible image, no script, no request elsewhere, text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from certify.insight.charts import (
    BAR_COLOUR,
    VALUE_ROOM,
    WIDTH,
    Bar,
    Box,
    Mark,
    MarkedBar,
    box_plots,
    horizontal_bars,
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
