"""An organisation's KPIs over the years against the median of its peers (issue 18; docs/monitoring.md). Pure.

A certified organisation's page draws each figure of its yearly reports as a line, and beside it the
median of the same figure among its peers that year: the other organisations certified at the same level,
in the same region, or having chosen the same green priority field. A median of fewer than `MIN_PEERS`
figures is not given, since with so few a reader who knows some of the peers could work out the others.

The reports come in as plain values (`YearReport`), one per organisation and year; a second report of an
organisation for the same year is refused rather than counted twice.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

#: Fewer peers than this with a figure and their median is withheld: the same five as the assessment
#: report's percentiles and the statistics page (`certify.certificates.report_pdf.MIN_PEERS`, kept equal by
#: a test; importing it here would load WeasyPrint into a pure module).
MIN_PEERS = 5


@dataclass(frozen=True)
class YearReport:
    """One organisation's submitted yearly report, as plain values."""

    organisation_id: int
    #: the year in which the report's period ends (its due date's year)
    year: int
    #: the certified level while the period ran
    level: str
    region: str
    #: the green priority fields the organisation chose (option values of the standard's fields question)
    fields: frozenset[str]
    #: the report's figures by question id (`certify.monitoring.report.core_question_id`,
    #: `field_question_id`); a question left unanswered is absent
    figures: Mapping[str, Decimal]


class PeerGroup(StrEnum):
    """Whom an organisation is compared with, in the same year."""

    #: certified at the same level
    LEVEL = "level"
    #: in the same region
    REGION = "region"
    #: having chosen the same green priority field
    FIELD = "field"


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: Decimal
    #: the peers' median that year; None when fewer than MIN_PEERS peers have the figure
    median: Decimal | None


def series(
    reports: Iterable[YearReport], organisation_id: int, question_id: str
) -> list[tuple[int, Decimal]]:
    """The organisation's figure for `question_id`, year by year; a year without the figure is left out."""
    own = [report for report in one_per_year(reports) if report.organisation_id == organisation_id]
    return sorted(
        (report.year, report.figures[question_id]) for report in own if question_id in report.figures
    )


def peers(
    reports: Iterable[YearReport], subject: YearReport, group: PeerGroup, field: str | None = None
) -> list[YearReport]:
    """The other organisations' reports of the subject's year in its peer group: the same level, the same
    region, or (`group` FIELD) having chosen `field`. The subject's own organisation is never its peer."""
    if (group == PeerGroup.FIELD) != (field is not None):
        raise ValueError("a field is given for the field group, and only for it")
    return [
        report
        for report in one_per_year(reports)
        if report.year == subject.year
        and report.organisation_id != subject.organisation_id
        and _same_group(report, subject, group, field)
    ]


def _same_group(report: YearReport, subject: YearReport, group: PeerGroup, field: str | None) -> bool:
    if group == PeerGroup.LEVEL:
        return report.level == subject.level
    if group == PeerGroup.REGION:
        return report.region == subject.region
    return field in report.fields


def peer_median(
    reports: Iterable[YearReport],
    subject: YearReport,
    question_id: str,
    group: PeerGroup,
    field: str | None = None,
) -> Decimal | None:
    """The median of the peers' figures for `question_id` (the mean of the middle two for an even count);
    None when fewer than MIN_PEERS peers have the figure."""
    values = [
        report.figures[question_id]
        for report in peers(reports, subject, group, field)
        if question_id in report.figures
    ]
    return statistics.median(values) if len(values) >= MIN_PEERS else None


def trend(
    reports: Iterable[YearReport],
    organisation_id: int,
    question_id: str,
    group: PeerGroup,
    field: str | None = None,
) -> list[TrendPoint]:
    """Each year the organisation reported the figure: its value and its peers' median that year.

    The peers are taken by the organisation's report of that year, so a cluster certified at a higher
    level after a renewal is compared with that level's clusters from then on.
    """
    reports = one_per_year(reports)
    own = {report.year: report for report in reports if report.organisation_id == organisation_id}
    return [
        TrendPoint(year, value, peer_median(reports, own[year], question_id, group, field))
        for year, value in series(reports, organisation_id, question_id)
    ]


def one_per_year(reports: Iterable[YearReport]) -> list[YearReport]:
    """The reports as a list, refused if an organisation has two for one year (it would count twice)."""
    listed = list(reports)
    keys = {(report.organisation_id, report.year) for report in listed}
    if len(keys) != len(listed):
        raise ValueError("an organisation has more than one report for a year")
    return listed
