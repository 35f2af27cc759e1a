"""Reminders before a certificate expires (90 and 30 days before), so holders renew in time.

An organisation's certificate reminds its managers; a person's attestation reminds the person alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from certify.accounts.models import Role, User
from certify.audit import services as audit
from certify.certificates.models import Certificate
from certify.certificates.register import in_force
from certify.outbox.services import queue_mail
from certify.questionnaire.models import Application
from certify.standards.attestation import StandardKind
from certify.web.urls import external_url

#: Days before expiry at which holders are reminded, earliest first (as cma 1.0's `reminders_days`).
REMINDER_DAYS = (90, 30)


def reminder_due(certificate: Certificate, today: date) -> int | None:
    """The reminder (days before expiry) this certificate should get today, or None.

    The closest threshold already reached counts, so a cron job that missed days sends one reminder,
    not a burst of the older ones; each threshold is sent once.
    """
    days_left = (certificate.expires_on - today).days
    reached = [days for days in REMINDER_DAYS if days_left <= days]
    if not reached:
        return None
    threshold = min(reached)
    already = certificate.reminded_days_before
    return threshold if already is None or already > threshold else None


def due_reminders(session, today: date) -> list[tuple[Certificate, int]]:
    """Certificates in force that reach a reminder threshold today, with that threshold."""
    candidates = session.scalars(
        in_force(today)
        .where(Certificate.expires_on <= today + timedelta(days=max(REMINDER_DAYS)))
        .order_by(Certificate.expires_on, Certificate.id)
    )
    return [(c, days) for c in candidates if (days := reminder_due(c, today)) is not None]


#: the e-mail of each kind
MAIL = {
    StandardKind.ORGANISATION.value: "certificate_expiry",
    StandardKind.PERSON.value: "attestation_expiry",
}


def renewal_link(certificate: Certificate) -> str:
    """Where the holder starts a renewal: a person's from the attestation itself, with its CPD record."""
    if certificate.is_person:
        return external_url("attestation.renewal_page", number=certificate.number)
    return external_url("questionnaire.index")


def recipients(session, certificate: Certificate) -> list[User]:
    """Who is reminded: the candidate for a person's attestation (not their organisation's managers),
    the holder organisation's active managers for an organisation's certificate."""
    application = session.get(Application, certificate.application_id)
    if application.is_person:
        return [application.candidate] if application.candidate.active else []
    return [u for u in application.organisation.members if u.active and u.has_role(Role.MANAGER)]


def send_reminder(session, certificate: Certificate, days: int, today: date) -> int:
    """E-mail the holder, each recipient in their language; returns how many were queued.

    The e-mails are queued in the outbox in the transaction that stores the mark (the caller commits after
    each certificate), so a crash neither repeats a reminder nor loses one.
    """
    template = MAIL[certificate.subject_kind]
    people = recipients(session, certificate)
    for person in people:
        queue_mail(
            session,
            person.email,
            template,
            locale=person.locale,
            user=person,
            certificate=certificate,
            days_left=(certificate.expires_on - today).days,
            link=external_url("certificates.detail", number=certificate.number),
            renew_link=renewal_link(certificate),
        )
    certificate.reminded_days_before = days
    audit.record(
        session,
        actor=None,
        action="certificate.expiry_reminder",
        subject_type="certificate",
        subject_id=certificate.number,
        application_id=certificate.application_id,
        after={"days_before": days, "recipients": len(people)},
    )
    session.flush()
    return len(people)
