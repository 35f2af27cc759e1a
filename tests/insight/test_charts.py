"""Server-side SVG bar charts: one accessible image, no script, no request elsewhere, text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from certify.insight.charts import VALUE_ROOM, WIDTH, Bar, horizontal_bars

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
