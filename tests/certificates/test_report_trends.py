"""The results between certifications in a renewal's assessment report (issue 18): each KPI of the
organisation's yearly reports accepted before the decision, year by year, against the median of at least
five peers; nothing of the kind in a first certification's report."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest

from certify.certificates.report_pdf import TrendReport, trend_chart_svg
from certify.monitoring.models import ReportPeriod
from certify.monitoring.schedule import schedule_certificate
from certify.monitoring.trends import TrendPoint
from certify.questionnaire.models import Application
from tests import factories
from tests.certificates.test_stored_report import download, forget_stored_report
from tests.monitoring.test_trends_page import accepted
from tests.pdfs import pdf_text

HEADING = "Результаты между сертификациями / Results between certifications"
#: the years of the two reports of the organisation renewed: the last one ended 25 days ago
LAST_YEAR = (date.today() - timedelta(days=25)).year
YEAR_BEFORE = (date.today() - timedelta(days=390)).year


@pytest.fixture
def monitored(db):
    """Six organisations certified on cmq 1.2 at one level, each with an accepted report for the year
    that ended 25 days ago (30 … 70 participants but the first's 20); the first also for the year before
    (18 participants), when it had no peers (committed). The first organisation's case."""
    factories.install_default_standard(db, "1.2")
    cases = [factories.certified(db) for _ in range(6)]
    for number, case in enumerate(cases):
        (period,) = schedule_certificate(db, case.certificate)
        period.starts_on = date.today() - timedelta(days=390)
        period.due_on = date.today() - timedelta(days=25)
        accepted(db, case, period, participants=str(20 + 10 * number))
    first = cases[0]
    earlier = ReportPeriod(
        certificate_id=first.certificate.id,
        number=2,
        starts_on=date.today() - timedelta(days=755),
        due_on=date.today() - timedelta(days=390),
    )
    db.add(earlier)
    db.flush()
    accepted(db, first, earlier, participants="18")
    db.commit()
    return first


def report_text(client, application: Application, tmp_path) -> str:
    """The report as its holder downloads it, as text in its layout: a table's row on one line."""
    pdf = tmp_path / f"report-{application.id}.pdf"
    pdf.write_bytes(download(client, application.id))
    return pdf_text(pdf, layout=True)


def row(year: int, value: str, median: str) -> re.Pattern:
    """A line of the results' table: the year, the organisation's figure and the peers' median."""
    return re.compile(rf"(?m)\s{year}\s+{value}\s+{median}\s*$")


def test_a_renewals_report_shows_each_figure_between_certifications_against_the_peers_median(
    db, monitored, client_for, tmp_path
):
    renewal = factories.certified(db, manager=monitored.manager)
    db.commit()
    text = report_text(client_for(monitored.manager), renewal.application, tmp_path)
    assert HEADING in " ".join(text.split())
    assert "Участники кластера" in text and "Cluster participants" in text
    assert "Доля внебюджетных доходов" in text and "Share of non-budget income" in text
    # the five others reported 30 … 70 last year, median 50; the year before nobody else reported
    assert row(LAST_YEAR, "20", "50").search(text)
    assert row(YEAR_BEFORE, "18", "—").search(text)
    assert "Организация / This organisation" in text  # a chart's legend


def test_a_first_certification_has_no_results_between_certifications(db, monitored, client_for, tmp_path):
    newcomer = factories.certified(db)  # among organisations that did report
    db.commit()
    text = report_text(client_for(newcomer.manager), newcomer.application, tmp_path)
    assert "Оценки по областям" in text
    assert "Результаты между сертификациями" not in text and "Results between certifications" not in text


def test_a_report_accepted_after_the_decision_does_not_change_its_report(db, monitored, client_for, tmp_path):
    renewal = factories.certified(db, manager=monitored.manager)
    db.commit()
    (period,) = schedule_certificate(db, renewal.certificate)
    period.starts_on, period.due_on = date.today() - timedelta(days=360), date.today() + timedelta(days=5)
    accepted(db, renewal, period, participants="99")
    db.commit()
    # rendered again, as for a decision from before reports were stored: still what the decision had
    forget_stored_report(db, renewal.application)
    text = report_text(client_for(monitored.manager), renewal.application, tmp_path)
    assert row(LAST_YEAR, "20", "50").search(text)
    assert not re.search(r"\s99\s", text)


def test_the_chart_draws_both_lines_and_says_where_there_is_no_median():
    kpi = TrendReport(
        "Участники кластера",
        "Cluster participants",
        "участники",
        "participants",
        (TrendPoint(2025, Decimal(18), None), TrendPoint(2026, Decimal("3.5"), Decimal(50))),
    )
    svg = ET.fromstring(str(trend_chart_svg(kpi)))  # noqa: S314 (our own SVG: no DTD, no entities)
    label = svg.get("aria-label")
    assert label.startswith("Участники кластера, участники / Cluster participants, participants:")
    assert "2025: 18, 2026: 3,5" in label and "2025: менее 5 сопоставимых / fewer than 5 peers" in label
