"""Charts as SVG drawn on the server: no script and no request anywhere else, so the CSP stays strict.

Pure: labels and values in, SVG text out. A chart is one image to a screen reader (role="img", its title
and an aria-label that reads every bar), and the page beside it carries the same numbers as links, so
nothing is only in the picture. Colours are presentation attributes, not inline styles, which the CSP
(style-src 'self') would refuse.
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


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def horizontal_bars(title: str, bars: Sequence[Bar]) -> str:
    """A bar per row, as long as its value against the largest, labelled above and valued at its end."""
    longest = max((bar.value for bar in bars), default=0) or 1
    height = ROW_HEIGHT * max(len(bars), 1)
    spoken = escape(f"{title}: " + "; ".join(f"{bar.label}: {bar.value}" for bar in bars))
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
        f' fill="{TEXT_COLOUR}">{bar.value}</text>'
    )
