"""The yearly reports a certificate owes, with what the surveillance has done about each."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from certify.extensions import db
from certify.timeutil import utcnow


class ReportPeriod(db.Model):
    """One yearly report of a certificate on a standard with monitoring (docs/monitoring.md).

    Created for each anniversary of issue before expiry. A correction (the same decision's next revision)
    takes the periods over with their marks; a renewal's certificate has periods of its own, and those of
    the certificate it replaced, no longer in force, are left as they were. The report itself, pinned to
    the certificate's standard version, comes with the next increment of issue 18.
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
