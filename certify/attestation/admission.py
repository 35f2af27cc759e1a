"""What the admission of a person's application reads: its deadlines, its checks, the reasons returned.

Plain reads over the rows, shared by the candidate's pages (the questionnaire shows the reasons beside
each requirement), the coordinator's queue and admission page, and the e-mails.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from certify.attestation.models import AdmissionCheck, AdmissionOutcome
from certify.questionnaire.models import Application
from certify.standards.attestation import Attestation
from certify.standards.services import definition_of
from certify.timeutil import as_utc
from certify.workflow import State, states


def attestation_of(application: Application) -> Attestation:
    """The personal scheme's own sections (deadlines, exam …) of a person's application."""
    scheme = definition_of(application.standard_version).attestation
    if scheme is None:  # an organisation's standard: no person ever applies on one (the services refuse)
        raise ValueError(f"application {application.id} is not on a personal scheme")
    return scheme


def checks_of(session, application: Application) -> list[AdmissionCheck]:
    """Every check of the application, oldest first."""
    return list(
        session.scalars(
            sa.select(AdmissionCheck)
            .where(AdmissionCheck.application_id == application.id)
            .order_by(AdmissionCheck.id)
        )
    )


def open_return(session, application: Application) -> AdmissionCheck | None:
    """The return the candidate is completing: the last check, while it returned the draft they edit.

    Once the candidate submits again the reasons are answered (the next check decides on them), so the
    questionnaire stops showing them.
    """
    if not application.is_person or application.state not in states.EDITABLE:
        return None
    last = session.scalar(
        sa.select(AdmissionCheck)
        .where(AdmissionCheck.application_id == application.id)
        .order_by(AdmissionCheck.id.desc())
        .limit(1)
    )
    return last if last is not None and last.outcome == AdmissionOutcome.RETURNED else None


def returned_reasons(session, application: Application) -> dict[str, str]:
    """{requirement id: what to complete} of the open return; empty when there is none."""
    returned = open_return(session, application)
    return dict(returned.reasons) if returned is not None else {}


def admission_due(application: Application) -> date | None:
    """The last day of the scheme's admission deadline, counted from the (latest) submission.

    Only while the application waits for its admission: None otherwise, and for an organisation's.
    """
    if not application.is_person or application.state != State.SUBMITTED or not application.submitted_at:
        return None
    days = attestation_of(application).procedure.admission_days
    return as_utc(application.submitted_at).date() + timedelta(days=days)


def exam_due(application: Application, admitted_on: date) -> date:
    """The last day of the exam window of a candidate admitted on `admitted_on`."""
    return admitted_on + timedelta(days=attestation_of(application).exam.window_days)
