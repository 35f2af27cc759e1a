"""Charts as SVG drawn on the server: no script and no request anywhere else, so the CSP stays strict.

Pure: labels and values in, SVG text out. A chart is one image to a screen reader (role="img", its title
and an aria-label that reads every bar or box), and the page beside it carries the same numbers in a
table, so nothing is only in the picture. Numbers are written by the caller in the reader's language
(`Bar.text`, `Box.spoken`): a chart draws, it does not format. Colours are presentation attributes, not
inline styles, which the CSP (style-src 'self') would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

#: the chart's natural width in pixels: it shrinks to a narrower column (Bootstrap's mw-100 and h-auto)
#: but is not stretched, so that its text stays the size of the page's
WIDTH = 420
#: each row: its label on one line, its bar below
ROW_HEIGHT, BAR_HEIGHT, LABEL_SIZE = 42, 16, 14
#: room kept right of the longest bar for its value
VALUE_ROOM = 50
#: Bootstrap's primary blue and body text: 4.5:1 or more on white (WCAG AA)
BAR_COLOUR, TEXT_COLOUR = "#0d6efd", "#212529"


#: the box chart's scale (area scores run from 0 to 100), its ticks, and the room for them below the rows
SCALE_MAX, TICKS, AXIS_HEIGHT = 100, (0, 25, 50, 75, 100), 24
#: the box's fill, light enough for the median line and the text beside it to stand out
BOX_FILL = "#cfe2ff"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    #: how the value reads (a decimal in the reader's language); the value itself where empty
    text: str = ""

    @property
    def shown(self) -> str:
        return self.text or str(self.value)


@dataclass(frozen=True)
class Box:
    """A row of a box chart: minimum, lower quartile, median, upper quartile and maximum, or nothing."""

    label: str
    #: the five numbers on the chart's scale; empty when there is nothing to draw
    five: tuple[float, ...]
    #: what the row says: its numbers in the reader's language, or why there are none
    spoken: str


def horizontal_bars(title: str, bars: Sequence[Bar]) -> str:
    """A bar per row, as long as its value against the largest, labelled above and valued at its end."""
    longest = max((bar.value for bar in bars), default=0) or 1
    height = ROW_HEIGHT * max(len(bars), 1)
    spoken = escape(f"{title}: " + "; ".join(f"{bar.label}: {bar.shown}" for bar in bars))
    rows = "".join(_row(index, bar, longest) for index, bar in enumerate(bars))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart mw-100 h-auto" role="img"'
        f' width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" aria-label="{spoken}">'
        f"<title>{escape(title)}</title>{rows}</svg>"
    )


def _row(index: int, bar: Bar, longest: int) -> str:
    top = index * ROW_HEIGHT
    length = (WIDTH - VALUE_ROOM) * bar.value / longest
    bar_top = top + LABEL_SIZE + 6
    return (
        f'<text x="0" y="{top + LABEL_SIZE}" font-size="{LABEL_SIZE}" fill="{TEXT_COLOUR}">'
        f"{escape(bar.label)}</text>"
        f'<rect x="0" y="{bar_top}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
        f'<text x="{length + 6:.1f}" y="{bar_top + BAR_HEIGHT - 3}" font-size="{LABEL_SIZE}"'
        f' fill="{TEXT_COLOUR}">{escape(bar.shown)}</text>'
    )


def box_plots(title: str, boxes: Sequence[Box]) -> str:
    """A box per row on a 0-100 scale: whiskers from minimum to maximum, the box between the quartiles
    and a line at the median; a row with nothing to draw says why in its place."""
    height = ROW_HEIGHT * max(len(boxes), 1) + AXIS_HEIGHT
    spoken = escape(f"{title}: " + "; ".join(f"{box.label}: {box.spoken}" for box in boxes))
    rows = "".join(_box_row(index, box) for index, box in enumerate(boxes))
    axis = _axis(ROW_HEIGHT * max(len(boxes), 1))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart mw-100 h-auto" role="img"'
        f' width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" aria-label="{spoken}">'
        f"<title>{escape(title)}</title>{rows}{axis}</svg>"
    )


def _x(value: float) -> float:
    """A value's position: the scale fills the width but a margin either side, where end ticks are read."""
    margin = VALUE_ROOM / 2
    return margin + (WIDTH - 2 * margin) * min(max(value, 0), SCALE_MAX) / SCALE_MAX


def _box_row(index: int, box: Box) -> str:
    top = index * ROW_HEIGHT
    label = (
        f'<text x="0" y="{top + LABEL_SIZE}" font-size="{LABEL_SIZE}" fill="{TEXT_COLOUR}">'
        f"{escape(box.label)}</text>"
    )
    box_top, middle = top + LABEL_SIZE + 6, top + LABEL_SIZE + 6 + BAR_HEIGHT / 2
    if not box.five:
        return label + (
            f'<text x="{_x(0):.1f}" y="{box_top + BAR_HEIGHT - 3}" font-size="{LABEL_SIZE}"'
            f' fill="{TEXT_COLOUR}">{escape(box.spoken)}</text>'
        )
    low, q1, median, q3, high = (_x(v) for v in box.five)
    whiskers = f'<line x1="{low:.1f}" y1="{middle}" x2="{high:.1f}" y2="{middle}" stroke="{TEXT_COLOUR}"/>'
    for end in (low, high):
        whiskers += _tick(end, box_top, BAR_HEIGHT)
    return (
        label
        + whiskers
        + f'<rect x="{q1:.1f}" y="{box_top}" width="{q3 - q1:.1f}" height="{BAR_HEIGHT}" fill="{BOX_FILL}"'
        f' stroke="{BAR_COLOUR}"/>' + _tick(median, box_top, BAR_HEIGHT, width=3)
    )


def _tick(x: float, top: float, length: float, width: int = 1) -> str:
    """A vertical line at `x`."""
    return (
        f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + length}" stroke="{TEXT_COLOUR}"'
        f' stroke-width="{width}"/>'
    )


def _axis(top: int) -> str:
    """The scale's ticks below the rows, each with its number."""
    return "".join(
        _tick(_x(tick), top, 5)
        + f'<text x="{_x(tick):.1f}" y="{top + 5 + LABEL_SIZE}" font-size="{LABEL_SIZE}" text-anchor="middle"'
        f' fill="{TEXT_COLOUR}">{tick}</text>'
        for tick in TICKS
    )


#: a level's mark across the bars: dark, dashed, so that it reads apart from the bar's own end
MARK_COLOUR, MARK_DASH, TRACK_FILL = "#495057", "4 2", "#e9ecef"
#: the level names above the rows, on up to two lines so that close marks' names do not overlap
LEGEND_LINE = 18
#: a label's width per character, as a share of its font size (an estimate: the SVG has no text metrics)
CHARACTER_WIDTH = 0.6


@dataclass(frozen=True)
class Mark:
    """A threshold drawn across a row: a level's minimum, on the chart's 0-100 scale."""

    label: str
    value: float


@dataclass(frozen=True)
class MarkedBar:
    """A row of a chart of scores against levels: its score (None: not scored) and the levels' marks."""

    label: str
    value: float | None
    #: the score as the reader writes it, or a dash
    shown: str
    marks: tuple[Mark, ...]
    #: what the row says to a screen reader: the score and the gap to each level
    spoken: str


def marked_bars(title: str, rows: Sequence[MarkedBar]) -> str:
    """A bar per row on a 0-100 scale with each level's minimum marked across it, the levels named once
    above the rows at their marks."""
    legend = list(dict.fromkeys(mark for row in rows for mark in row.marks))
    legend_lines = _legend_lines(legend)
    top = LEGEND_LINE * max(legend_lines.values(), default=0)
    height = top + ROW_HEIGHT * max(len(rows), 1) + AXIS_HEIGHT
    spoken = escape(f"{title}: " + "; ".join(row.spoken for row in rows))
    names = "".join(
        f'<text x="{_x(mark.value):.1f}" y="{LEGEND_LINE * line - 4}" font-size="{LABEL_SIZE}"'
        f' text-anchor="middle" fill="{TEXT_COLOUR}">{escape(mark.label)}</text>'
        for mark, line in legend_lines.items()
    )
    body = "".join(_marked_row(top + index * ROW_HEIGHT, row) for index, row in enumerate(rows))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart mw-100 h-auto" role="img"'
        f' width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" aria-label="{spoken}">'
        f"<title>{escape(title)}</title>{names}{body}{_axis(top + ROW_HEIGHT * max(len(rows), 1))}</svg>"
    )


def _legend_lines(marks: Sequence[Mark]) -> dict[Mark, int]:
    """The line (1 or 2) of each mark's name: the second where it would run into a name on the first."""
    lines: dict[Mark, int] = {}
    first_line_ends = float("-inf")
    for mark in sorted(marks, key=lambda m: m.value):
        half = CHARACTER_WIDTH * LABEL_SIZE * len(mark.label) / 2
        if _x(mark.value) - half >= first_line_ends:
            lines[mark], first_line_ends = 1, _x(mark.value) + half
        else:
            lines[mark] = 2
    return lines


def _marked_row(top: float, row: MarkedBar) -> str:
    bar_top = top + LABEL_SIZE + 6
    track = f'<rect x="{_x(0):.1f}" y="{bar_top}" width="{_x(SCALE_MAX) - _x(0):.1f}" height="{BAR_HEIGHT}"'
    track += f' fill="{TRACK_FILL}"/>'
    bar = ""
    if row.value is not None:
        bar = f'<rect x="{_x(0):.1f}" y="{bar_top}" width="{_x(row.value) - _x(0):.1f}" height="{BAR_HEIGHT}"'
        bar += f' fill="{BAR_COLOUR}"/>'
    marks = "".join(
        f'<line x1="{_x(mark.value):.1f}" y1="{bar_top - 3}" x2="{_x(mark.value):.1f}"'
        f' y2="{bar_top + BAR_HEIGHT + 3}" stroke="{MARK_COLOUR}" stroke-width="2"'
        f' stroke-dasharray="{MARK_DASH}"/>'
        for mark in row.marks
    )
    label = (
        f'<text x="0" y="{top + LABEL_SIZE}" font-size="{LABEL_SIZE}" fill="{TEXT_COLOUR}">'
        f"{escape(row.label)}: {escape(row.shown)}</text>"
    )
    return label + track + bar + marks
