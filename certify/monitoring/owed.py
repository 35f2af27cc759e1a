"""The yearly reports the certified organisations owe, as the certification body follows them up.

Read only. A report is owed on a certificate in force and not yet submitted (docs/monitoring.md,
"Surveillance timing"); the body's page lists those due soon, those overdue, and those on which a
suspension has been proposed, so that a coordinator can act on the certificate (its page suspends it,
with a reason, through the lifecycle). The numbers on the dashboard are the lengths of these lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import sqlalchemy as sa

from certify.certificates.models import Certificate, CertificateStatus
from certify.certificates.register import with_status
from certify.monitoring.models import ReportPeriod

#: "due soon": within this many days of today, the reminders' first threshold in cmq 1.2
DUE_SOON_DAYS = 30


class Owed(StrEnum):
    """Which reports a list shows."""

    #: due within DUE_SOON_DAYS, today included
    DUE_SOON = "due_soon"
    #: past the due date and not submitted
    OVERDUE = "overdue"
    #: overdue, and a suspension proposed to the coordinators
    SUSPENSION_PROPOSED = "suspension_proposed"


@dataclass(frozen=True)
class OwedReport:
    period: ReportPeriod
    certificate: Certificate
    #: days left until the due date (negative: days overdue)
    days_left: int

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def reports_owed(session, owed: Owed, today: date) -> list[OwedReport]:
    """The reports of `owed`, the most urgent first (the longest overdue, or the soonest due)."""
    statement = (
        sa.select(ReportPeriod, Certificate)
        .join(Certificate, Certificate.id == ReportPeriod.certificate_id)
        .where(with_status(CertificateStatus.VALID, today), ReportPeriod.submitted_at.is_(None))
        .order_by(ReportPeriod.due_on, ReportPeriod.id)
    )
    if owed == Owed.DUE_SOON:
        statement = statement.where(
            ReportPeriod.due_on >= today, ReportPeriod.due_on <= today + timedelta(days=DUE_SOON_DAYS)
        )
    else:
        statement = statement.where(ReportPeriod.due_on < today)
    if owed == Owed.SUSPENSION_PROPOSED:
        statement = statement.where(ReportPeriod.suspension_proposed_at.is_not(None))
    return [
        OwedReport(period, certificate, (period.due_on - today).days)
        for period, certificate in session.execute(statement)
    ]
