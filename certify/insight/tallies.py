"""A number on the dashboard, the list it links to, and how a list reads its filter: shared by the
organisations' pages (`pages`) and the candidates' (`candidates_page`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup

from certify.insight.charts import Bar, horizontal_bars


@dataclass(frozen=True)
class Tally:
    """A number on the dashboard, what it counts and the list behind it."""

    label: str
    count: int
    url: str
    #: a remark beside it (how long the longest of them has waited)
    note: str = ""


def choice(value: str, options):
    """The option whose value is `value`; None (the whole list) for anything else."""
    return next((option for option in options if str(option) == value), None)


def list_url(list_name: str, **filters) -> str:
    """The address of the insight list `list_name` with `filters`."""
    return url_for(f"insight.{list_name}", **filters)


def chart(title: str, tallies: list[Tally]) -> Markup:
    """A bar per number, as the table beside it lists them."""
    # the chart's text is escaped by `horizontal_bars`
    return Markup(horizontal_bars(title, [Bar(t.label, t.count) for t in tallies]))  # noqa: S704
