"""The figures the statistics page summarises groups of applications with, and the small-number rule.

Quantiles are interpolated between the closest ranks (the "inclusive" method: Excel's QUARTILE.INC and
PERCENTILE.INC, R's type 7, Python's `statistics.quantiles(method="inclusive")`), so that a reader can
check any figure of the page against the export in a spreadsheet. Exact fractions throughout.

The small-number rule (docs/insight.md, "Statistics"): a figure that summarises fewer than
`MIN_GROUP` applications is withheld, since with so few a minimum, a median or a share all but names the
organisation behind it. It is the same five as the peers a report's percentile needs, for the same reason.

Pure: neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from certify.certificates.report_pdf import MIN_PEERS

#: fewer applications than this behind a figure, and it is withheld
MIN_GROUP = MIN_PEERS

Number = int | Decimal | Fraction


def quantile(ordered: Sequence[Fraction], p: Fraction) -> Fraction:
    """The `p`-quantile (0 <= p <= 1) of values sorted in ascending order, interpolated between ranks."""
    if not ordered:
        raise ValueError("the quantile of nothing")
    position = (len(ordered) - 1) * p
    below = floor(position)
    if below + 1 >= len(ordered):
        return ordered[-1]
    return ordered[below] + (position - below) * (ordered[below + 1] - ordered[below])


def shown(count: int) -> bool:
    """Whether a figure computed from `count` applications may be shown (the small-number rule)."""
    return count >= MIN_GROUP


@dataclass(frozen=True)
class Spread:
    """Five numbers on a group of values: minimum, quartiles, median, maximum (None when withheld)."""

    count: int
    minimum: Fraction | None = None
    lower_quartile: Fraction | None = None
    median: Fraction | None = None
    upper_quartile: Fraction | None = None
    maximum: Fraction | None = None

    @property
    def shown(self) -> bool:
        return shown(self.count)

    @property
    def five(self) -> tuple[Fraction, ...]:
        """The five numbers in order, for a chart and a table row; empty when withheld."""
        if not self.shown:
            return ()
        return (self.minimum, self.lower_quartile, self.median, self.upper_quartile, self.maximum)

    @classmethod
    def of(cls, values: Iterable[Number]) -> Spread:
        ordered = sorted(Fraction(v) for v in values)
        if not shown(len(ordered)):
            return cls(len(ordered))
        quartiles = (quantile(ordered, Fraction(k, 4)) for k in range(5))
        return cls(len(ordered), *quartiles)


@dataclass(frozen=True)
class Timing:
    """How long a group took: the median and the 90th percentile (None when withheld)."""

    count: int
    median: Fraction | None = None
    p90: Fraction | None = None

    @property
    def shown(self) -> bool:
        return shown(self.count)

    @classmethod
    def of(cls, values: Iterable[Number]) -> Timing:
        ordered = sorted(Fraction(v) for v in values)
        if not shown(len(ordered)):
            return cls(len(ordered))
        return cls(len(ordered), quantile(ordered, Fraction(1, 2)), quantile(ordered, Fraction(9, 10)))
