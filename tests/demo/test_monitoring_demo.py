"""The demo's surveillance between certifications: clusters certified three times over five years with
their yearly reports, replayed through the real services; today one report open, one overdue, one flagged."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from certify.accounts.models import Organisation, Role, User
from certify.audit.services import verify_chain
from certify.certificates.models import Certificate
from certify.demo import monitoring as demo
from certify.demo.monitoring import MONITORED, load_demo_monitoring
from certify.monitoring import filing
from certify.monitoring.models import ReportFlag, ReportPeriod
from certify.outbox.models import OutboxMessage
from certify.questionnaire.models import Application
from certify.standards.services import install_library
from certify.workflow import State
from tests.certificates.test_report_trends import report_text
from tests.factories import PASSWORD, make_user
from tests.monitoring.test_filing import html


def organisation_of(db, monitored) -> Organisation:
    number = monitored.organisation["registration_number"]
    return db.scalar(sa.select(Organisation).where(Organisation.registration_number == number))


def manager_of(db, monitored) -> User:
    return db.scalar(sa.select(User).where(User.email == monitored.manager[0]))


def reports_of(db, organisation: Organisation) -> list[tuple[Application, ReportPeriod]]:
    return db.execute(
        sa.select(Application, ReportPeriod)
        .join(ReportPeriod, ReportPeriod.id == Application.period_id)
        .where(Application.organisation_id == organisation.id)
        .order_by(ReportPeriod.due_on)
    ).all()


def peers_median(db, organisation: Organisation, year: int) -> Decimal:
    """The median of the participants the other clusters reported in their accepted reports of `year`."""
    reported = db.scalars(
        sa.select(Application.snapshot)
        .join(ReportPeriod, ReportPeriod.id == Application.period_id)
        .where(
            Application.state == State.ACCEPTED.value,
            Application.organisation_id != organisation.id,
            sa.extract("year", ReportPeriod.due_on) == year,
        )
    )
    values = [Decimal(snapshot["kpi_participants"]) for snapshot in reported]
    assert len(values) >= 5, year
    return statistics.median(values)


def number(shown: str) -> Decimal:
    """A figure as the Russian pages print it (a decimal comma)."""
    return Decimal(shown.replace(",", "."))


def test_the_demo_replays_five_years_of_certifications_and_reports(db, client_for, tmp_path):
    install_library(db)
    coordinator = make_user(db, Role.COORDINATOR)
    assessors = [make_user(db, Role.ASSESSOR) for _ in range(3)]
    logins = load_demo_monitoring(db, coordinator, assessors, PASSWORD)
    db.commit()
    assert {email for email, _ in logins} >= {m.manager[0] for m in MONITORED}
    today = date.today()

    for monitored in MONITORED:
        organisation = organisation_of(db, monitored)
        certified = db.scalars(
            sa.select(Certificate)
            .join(Application, Application.id == Certificate.application_id)
            .where(Application.organisation_id == organisation.id)
            .order_by(Certificate.issued_on)
        ).all()
        # three certifications two years apart, one level, each expiring as the next is issued
        assert len(certified) == 3 and {c.level_id for c in certified} == {"advanced"}
        assert [c.expires_on for c in certified[:2]] == [c.issued_on for c in certified[1:]]
        assert certified[-1].expires_on > today
        reports = reports_of(db, organisation)
        accepted = [period.due_on.year for report, period in reports if report.state == State.ACCEPTED]
        expected = 2 if monitored.latest in (demo.OPEN, demo.OVERDUE) else 3
        assert len(set(accepted)) == len(accepted) == expected, monitored.manager[0]

    # today: one report open for its manager to file, one overdue with the coordinators alerted
    (open_one,) = [m for m in MONITORED if m.latest == demo.OPEN]
    owed = filing.filings(db, organisation_of(db, open_one), today)
    assert owed[0].report is None and owed[0].is_open(today) and owed[0].period.reminded_days_before == 30
    (overdue,) = [m for m in MONITORED if m.latest == demo.OVERDUE]
    (latest, *_) = filing.filings(db, organisation_of(db, overdue), today)
    assert latest.report is None and latest.period.due_on < today and latest.period.alerted_at is not None
    alerts = db.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == coordinator.email)).all()
    assert any(organisation_of(db, overdue).name("ru") in message.body for message in alerts)

    # the flagged one: its investment fell by more than the standard's fifth
    (flagged,) = [m for m in MONITORED if m.latest == demo.FLAGGED]
    last_report, _ = reports_of(db, organisation_of(db, flagged))[-1]
    (flag,) = db.scalars(sa.select(ReportFlag).where(ReportFlag.application_id == last_report.id)).all()
    assert (flag.kind, flag.kpi, flag.allowed_percent) == ("worsened", "investment_attracted", 20)
    assert Counter(f.kpi for f in db.scalars(sa.select(ReportFlag))) == {"investment_attracted": 1}

    # a cluster's trends against its peers (0.7 … 1.5 times the typical 40 participants): its own figure
    # and the median of those that reported that year (near a new year the clusters due later report in
    # the next one, so the peers are counted, not assumed)
    typical = next(m for m in MONITORED if m.scale == Decimal("0.9"))
    organisation = organisation_of(db, typical)
    page = html(client_for(coordinator).get(f"/monitoring/organisations/{organisation.id}/trends"))
    participants = page.split("Участники кластера", 1)[1].split("</section>", 1)[0]
    years = sorted({period.due_on.year for _, period in reports_of(db, organisation)})
    for year, own in zip(years, ("36", "41", "47"), strict=True):
        row = rf"<th[^>]*>{year}</th>\s*<td[^>]*>{own}</td>\s*<td[^>]*>([\d,]+)</td>"
        shown = re.search(row, participants)
        assert shown and number(shown.group(1)) == peers_median(db, organisation, year), year

    # the last renewal's assessment report shows the two reports accepted before its decision
    renewal = db.scalars(
        sa.select(Application)
        .where(Application.organisation_id == organisation.id, Application.period_id.is_(None))
        .order_by(Application.id)
    ).all()[-1]
    text = report_text(client_for(manager_of(db, typical)), renewal, tmp_path)
    assert "Результаты между сертификациями" in " ".join(text.split())
    printed = re.search(rf"(?m)\s{years[1]}\s+41\s+([\d,]+)\s*$", text)
    assert printed and number(printed.group(1)) == peers_median(db, organisation, years[1])

    assert verify_chain(db).ok
    before = db.scalar(sa.select(sa.func.count(Application.id)))
    load_demo_monitoring(db, coordinator, assessors, PASSWORD)
    assert db.scalar(sa.select(sa.func.count(Application.id))) == before, "the second run adds nothing"
