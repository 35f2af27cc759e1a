"""An organisation's KPIs over the years against its peers' median (issue 18): the peers are the other
organisations of the same year in the same level, region or field, and a median of fewer than five is
withheld."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from certify.monitoring.report import core_question_id, field_question_id
from certify.monitoring.trends import (
    MIN_PEERS,
    PeerGroup,
    TrendPoint,
    YearReport,
    peer_median,
    peers,
    series,
    trend,
)

PARTICIPANTS = core_question_id("participants")
WATER_SAVED = field_question_id("water", "water_saved", "actual")


def report(organisation_id, year, participants=None, level="advanced", region="Tatarstan", fields=(), **more):
    figures = {} if participants is None else {PARTICIPANTS: Decimal(participants)}
    figures |= {question: Decimal(value) for question, value in more.items()}
    return YearReport(organisation_id, year, level, region, frozenset(fields), figures)


def test_a_series_is_the_organisation_s_figure_year_by_year_without_the_years_it_lacks():
    reports = [
        report(1, 2024, 30),
        report(1, 2022, 20),
        report(1, 2023),  # the figure left unanswered
        report(2, 2023, 99),
    ]
    assert series(reports, 1, PARTICIPANTS) == [(2022, Decimal(20)), (2024, Decimal(30))]
    assert series(reports, 3, PARTICIPANTS) == []


@pytest.mark.parametrize(
    ("group", "field", "expected"),
    [
        (PeerGroup.LEVEL, None, {2, 3}),
        (PeerGroup.REGION, None, {2, 4}),
        (PeerGroup.FIELD, "water", {3, 4}),
    ],
)
def test_peers_are_the_other_organisations_of_the_same_year_in_the_group(group, field, expected):
    subject = report(1, 2024, 30, level="advanced", region="Tatarstan", fields=("water",))
    reports = [
        subject,
        report(2, 2024, 10, level="advanced", region="Tatarstan"),
        report(3, 2024, 10, level="advanced", region="Moscow", fields=("water",)),
        report(4, 2024, 10, level="basic", region="Tatarstan", fields=("water", "construction")),
        report(5, 2023, 10, level="advanced", region="Tatarstan", fields=("water",)),  # another year
        report(1, 2023, 10, level="advanced", region="Tatarstan", fields=("water",)),  # itself, earlier
    ]
    assert {peer.organisation_id for peer in peers(reports, subject, group, field)} == expected


@pytest.mark.parametrize(("group", "field"), [(PeerGroup.FIELD, None), (PeerGroup.LEVEL, "water")])
def test_a_field_is_named_for_the_field_group_and_only_for_it(group, field):
    with pytest.raises(ValueError, match="field"):
        peers([], report(1, 2024), group, field)


def test_the_median_needs_five_peers_with_the_figure():
    subject = report(1, 2024, 1000)
    four = [report(n, 2024, 10 * n) for n in range(2, 6)]
    unanswered = report(6, 2024)  # a peer, but without the figure
    assert MIN_PEERS == 5
    assert peer_median([subject, *four, unanswered], subject, PARTICIPANTS, PeerGroup.LEVEL) is None
    five = [*four, report(6, 2024, 60)]
    # 20, 30, 40, 50, 60: the subject's own 1000 is not among them
    assert peer_median([subject, *five], subject, PARTICIPANTS, PeerGroup.LEVEL) == Decimal(40)
    six = [*five, report(7, 2024, 75)]
    assert peer_median([subject, *six], subject, PARTICIPANTS, PeerGroup.LEVEL) == Decimal(45)


def test_the_threshold_is_the_same_five_as_the_other_small_number_rules():
    from certify.certificates.report_pdf import MIN_PEERS as REPORT_PEERS
    from certify.insight.figures import MIN_GROUP

    assert MIN_PEERS == REPORT_PEERS == MIN_GROUP


def test_a_field_s_median_is_over_the_organisations_that_chose_the_field():
    subject = report(1, 2024, fields=("water",), **{WATER_SAVED: 100})
    chose = [report(n, 2024, fields=("water",), **{WATER_SAVED: n}) for n in range(2, 7)]
    other = [report(n, 2024, fields=("construction",), **{WATER_SAVED: 1000}) for n in range(7, 12)]
    reports = [subject, *chose, *other]
    assert peer_median(reports, subject, WATER_SAVED, PeerGroup.FIELD, "water") == Decimal(4)


def test_a_trend_gives_each_year_s_value_with_its_peers_median_or_none():
    own = [
        report(1, 2022, 15, level="basic"),
        report(1, 2023, 20, level="advanced"),
        report(1, 2024, level="advanced"),  # no figure: no point
    ]
    basic_2022 = [report(n, 2022, n, level="basic") for n in range(10, 15)]  # median 12
    advanced_2023 = [report(n, 2023, n, level="advanced") for n in range(10, 14)]  # only four
    advanced_2024 = [report(n, 2024, n, level="advanced") for n in range(10, 15)]
    reports = own + basic_2022 + advanced_2023 + advanced_2024
    assert trend(reports, 1, PARTICIPANTS, PeerGroup.LEVEL) == [
        TrendPoint(2022, Decimal(15), Decimal(12)),
        TrendPoint(2023, Decimal(20), None),
    ]


def test_a_trend_takes_its_reports_from_any_iterable():
    reports = [report(1, 2024, 30), *(report(n, 2024, n) for n in range(2, 7))]
    assert trend(iter(reports), 1, PARTICIPANTS, PeerGroup.REGION) == [
        TrendPoint(2024, Decimal(30), Decimal(4))
    ]


def test_two_reports_of_one_organisation_for_one_year_are_refused():
    reports = [report(1, 2024, 30), report(1, 2024, 31)]
    with pytest.raises(ValueError, match="more than one report"):
        series(reports, 1, PARTICIPANTS)


def test_the_trends_are_pure():
    code = (
        "import certify.monitoring.trends, certify.monitoring.effectiveness;"
        " import sys; assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
