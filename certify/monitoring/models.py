"""The yearly reports a certificate owes, with what the surveillance has done about each."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.extensions import db
from certify.timeutil import utcnow

if TYPE_CHECKING:
    from certify.certificates.models import Certificate


class ReportPeriod(db.Model):
    """One yearly report of a certificate on a standard with monitoring (docs/monitoring.md).

    Created for each anniversary of issue before expiry. A correction (the same decision's next revision)
    takes the periods over with their marks; a renewal's certificate has periods of its own, and those of
    the certificate it replaced, no longer in force, are left as they were. The report itself, pinned to
    the certificate's standard version, is an application with this period (`Application.period_id`).
    """

    __tablename__ = "monitoring_periods"
    __table_args__ = (sa.UniqueConstraint("certificate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id"), index=True)
    #: 1 for the report due on the first anniversary of issue, 2 for the second …
    number: Mapped[int]
    #: the year the report covers: from this day (the issue or the previous anniversary) to `due_on`
    starts_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: the last reminder sent (days before `due_on`), so each threshold is sent once
    reminded_days_before: Mapped[int | None]
    #: when the coordinators were alerted to the report being overdue (once)
    alerted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: when a suspension was proposed to the coordinators (once); suspending is a coordinator's action
    suspension_proposed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    # By name: certificates refer to applications, whose yearly reports refer to their periods.
    certificate: Mapped[Certificate] = relationship("Certificate")


class ReportFlag(db.Model):
    """Why an accepted yearly report goes to the coordinator: one KPI and the threshold it broke
    (certify.monitoring.report.flags), raised when the report's assessor accepts it; never changes a
    certificate by itself."""

    __tablename__ = "monitoring_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the yearly report (an application with a period)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    #: a value of certify.monitoring.report.FlagKind
    kind: Mapped[str] = mapped_column(sa.String(20))
    kpi: Mapped[str] = mapped_column(sa.String(80))
    question_id: Mapped[str] = mapped_column(sa.String(80))
    value: Mapped[Decimal] = mapped_column(sa.Numeric(20, 4))
    #: the year before's figure (worsened) or the level's limit (below the level)
    threshold: Mapped[Decimal] = mapped_column(sa.Numeric(20, 4))
    #: the worsening allowed, in per cent of the year before
    allowed_percent: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 2))
    raised_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
