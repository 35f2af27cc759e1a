"""Charts as SVG drawn on the server: no script and no request anywhere else, so the CSP stays strict.

Pure: labels and values in, SVG text out. A chart is one image to a screen reader (role="img", its title
and an aria-label that reads every bar or box), and the page beside it carries the same numbers in a
table, so nothing is only in the picture. Numbers are written by the caller in the reader's language
(`Bar.text`, `Box.spoken`): a chart draws, it does not format. Colours are presentation attributes, not
inline styles, which the CSP (style-src 'self') would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from html import escape
from math import ceil

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


#: a line chart's plot area, below the legend and above the years; its value ticks (about four steps)
PLOT_HEIGHT, VALUE_STEPS = 160, 4
#: the median's line: dashed, in the marks' dark grey (8:1 on white), its dots hollow
LINE_DASH, DOT_RADIUS = "6 4", 4
#: the room a year's label takes on the axis, so that a long series labels every other year instead
YEAR_ROOM = CHARACTER_WIDTH * LABEL_SIZE * 4 + 8


@dataclass(frozen=True)
class LinePoint:
    """A line's value in one year of the chart, or a gap."""

    #: None: nothing to draw that year, and the line breaks there
    value: int | float | Decimal | None
    #: what the point says: its value in the reader's language, or why there is none
    spoken: str


@dataclass(frozen=True)
class Line:
    label: str
    #: one for each year of the chart, in its order
    points: tuple[LinePoint, ...]
    #: a dashed line with hollow dots (a median) rather than a solid one with filled dots
    dashed: bool = False

    @property
    def colour(self) -> str:
        return MARK_COLOUR if self.dashed else BAR_COLOUR


def _plain(value: Decimal) -> str:
    return format(value, "f")


def line_chart(
    title: str, years: Sequence[int], lines: Sequence[Line], tick_text: Callable[[Decimal], str] = _plain
) -> str:
    """A line per series over the years, from a zero baseline, with a legend above naming each line.

    A year without a value breaks the line; a point with no neighbour is still its dot, which is why the
    dashed line has dots too. The value ticks are round numbers (1, 2 or 5 times a power of ten) chosen
    here, so the caller writes them through `tick_text` in the reader's language.
    """
    if any(len(line.points) != len(years) for line in lines):
        raise ValueError("a line has one point for each year")
    values = [Decimal(str(p.value)) for line in lines for p in line.points if p.value is not None]
    ticks = _value_ticks(max(values, default=Decimal(0)))
    texts = [tick_text(tick) for tick in ticks]
    plot = _Plot(
        left=CHARACTER_WIDTH * LABEL_SIZE * max(len(text) for text in texts) + 12,
        top=LEGEND_LINE * len(lines) + LABEL_SIZE,
        years=len(years),
        scale=float(ticks[-1]),
    )
    height = plot.bottom + AXIS_HEIGHT
    spoken = escape(f"{title}: " + "; ".join(_spoken_line(years, line) for line in lines))
    legend = "".join(_legend_entry(index, line) for index, line in enumerate(lines))
    drawn = "".join(_series(plot, line) for line in lines)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart mw-100 h-auto" role="img"'
        f' width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" aria-label="{spoken}">'
        f"<title>{escape(title)}</title>{legend}{_value_axis(plot, ticks, texts)}"
        f"{_year_axis(plot, years)}{drawn}</svg>"
    )


def _spoken_line(years: Sequence[int], line: Line) -> str:
    """A line as a screen reader says it: its name, then every year with its point."""
    points = zip(years, line.points, strict=True)
    return f"{line.label}: " + ", ".join(f"{year}: {point.spoken}" for year, point in points)


def _value_ticks(largest: Decimal) -> list[Decimal]:
    """0 and round steps up to the first at or above the largest value (0 and 1 when all are 0)."""
    if largest <= 0:
        return [Decimal(0), Decimal(1)]
    least = largest / VALUE_STEPS
    step = next(
        step for step in (Decimal(m).scaleb(least.adjusted()) for m in (1, 2, 5, 10)) if step >= least
    )
    count = int((largest / step).to_integral_value(rounding=ROUND_CEILING))
    return [(step * k).normalize() for k in range(count + 1)]


@dataclass(frozen=True)
class _Plot:
    """Where a line chart's values and years fall: each year in the middle of its share of the width."""

    left: float
    top: float
    years: int
    scale: float

    @property
    def bottom(self) -> float:
        return self.top + PLOT_HEIGHT

    def x(self, index: int) -> float:
        band = (WIDTH - self.left) / max(self.years, 1)
        return self.left + band * (index + 0.5)

    def y(self, value: float) -> float:
        return self.bottom - PLOT_HEIGHT * min(max(value, 0), self.scale) / self.scale


def _legend_entry(index: int, line: Line) -> str:
    middle = LEGEND_LINE * index + LEGEND_LINE / 2
    sample = _path(((0, middle), (24, middle)), line) + _dot(12, middle, line)
    return sample + (
        f'<text x="32" y="{LEGEND_LINE * (index + 1) - 4}" font-size="{LABEL_SIZE}" fill="{TEXT_COLOUR}">'
        f"{escape(line.label)}</text>"
    )


def _value_axis(plot: _Plot, ticks: Sequence[Decimal], texts: Sequence[str]) -> str:
    """The value axis on the left with a tick and its number at each step, and the zero baseline."""
    axis = (
        f'<line x1="{plot.left:.1f}" y1="{plot.top:.1f}" x2="{plot.left:.1f}" y2="{plot.bottom:.1f}"'
        f' stroke="{TEXT_COLOUR}"/>'
        f'<line x1="{plot.left:.1f}" y1="{plot.bottom:.1f}" x2="{WIDTH}" y2="{plot.bottom:.1f}"'
        f' stroke="{TEXT_COLOUR}"/>'
    )
    for tick, text in zip(ticks, texts, strict=True):
        y = plot.y(float(tick))
        axis += (
            f'<line x1="{plot.left - 5:.1f}" y1="{y:.1f}" x2="{plot.left:.1f}" y2="{y:.1f}"'
            f' stroke="{TEXT_COLOUR}"/>'
            f'<text x="{plot.left - 8:.1f}" y="{y + 5:.1f}" font-size="{LABEL_SIZE}" text-anchor="end"'
            f' fill="{TEXT_COLOUR}">{escape(text)}</text>'
        )
    return axis


def _year_axis(plot: _Plot, years: Sequence[int]) -> str:
    """Each year under its place, or every n-th year when they would run into each other."""
    every = max(1, ceil(len(years) * YEAR_ROOM / (WIDTH - plot.left)))
    return "".join(
        f'<text x="{plot.x(index):.1f}" y="{plot.bottom + 5 + LABEL_SIZE:.1f}" font-size="{LABEL_SIZE}"'
        f' text-anchor="middle" fill="{TEXT_COLOUR}">{year}</text>'
        for index, year in enumerate(years)
        if index % every == 0
    )


def _series(plot: _Plot, line: Line) -> str:
    """A line's runs of consecutive values joined, broken at each gap, and a dot at every value."""
    runs: list[list[tuple[float, float]]] = [[]]
    for index, point in enumerate(line.points):
        if point.value is None:
            runs.append([])
        else:
            runs[-1].append((plot.x(index), plot.y(float(point.value))))
    joined = "".join(_path(run, line) for run in runs if len(run) > 1)
    return joined + "".join(_dot(x, y, line) for run in runs for x, y in run)


def _path(points: Sequence[tuple[float, float]], line: Line) -> str:
    dash = f' stroke-dasharray="{LINE_DASH}"' if line.dashed else ""
    joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline points="{joined}" fill="none" stroke="{line.colour}" stroke-width="2"{dash}/>'


def _dot(x: float, y: float, line: Line) -> str:
    """A filled dot on the solid line; a hollow one, white inside, on the dashed line."""
    fill = "#fff" if line.dashed else line.colour
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{DOT_RADIUS}" fill="{fill}" stroke="{line.colour}"'
        ' stroke-width="2"/>'
    )
