"""Renewing an attestation: a new application on the scheme's current version, carrying the CPD record.

The holder starts it from their attestation (or the expiry reminder's link): a draft pre-filled from the
application the attestation was issued on, linked to the attestation (`Renewal`), whose CPD entries are
its record. At the admission the coordinator confirms the route the record gives: CPD (no new theory
exam: `certify.attestation.renewal_rules.theory_required`) or the exam again. A scheme that gives no
route refuses the renewal, with the hours missing. The decision's certificate supersedes the earlier one
(`certify.certificates.issuance`). Services flush, never commit.
"""

from __future__ import annotations

from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l

from certify.attestation.cpd import NOT_THE_HOLDER, CpdError, cpd_tally, holder_id
from certify.attestation.cpd_rules import CpdTally
from certify.attestation.models import Renewal
from certify.attestation.renewal_rules import NO_ROUTE, NOT_IN_FORCE, renewal_refusal
from certify.certificates.issuance import status_of
from certify.certificates.models import Certificate, CertificateStatus
from certify.outbox.services import queue_mail
from certify.questionnaire.models import Application
from certify.standards.attestation import RenewalRoute
from certify.timeutil import utcnow
from certify.transitions import record
from certify.web.urls import external_url

STATUS_WORDS = {
    CertificateStatus.SUSPENDED: _l("suspended"),
    CertificateStatus.REVOKED: _l("revoked"),
    CertificateStatus.EXPIRED: _l("expired"),
    CertificateStatus.SUPERSEDED: _l("replaced by a newer one"),
}
NO_CURRENT_SCHEME = _l("The scheme of this attestation takes no applications now, so it cannot be renewed.")


class RenewalRefused(CpdError):
    """A renewal that may not start, or a renewal's admission the record does not allow."""


def renewal_of(session, application: Application) -> Renewal | None:
    """The application's renewal row: set when it renews an earlier attestation."""
    return session.get(Renewal, application.id)


def why_not_renewable(session, certificate: Certificate, tallied: CpdTally | None = None) -> str | None:
    """Why the attestation cannot be renewed now, in the user's language; None when it can."""
    tallied = tallied or cpd_tally(session, certificate)
    status = status_of(certificate)
    refusal = renewal_refusal(status is CertificateStatus.VALID, tallied.route)
    if refusal == NOT_IN_FORCE:
        return gettext(refusal, status=str(STATUS_WORDS.get(status, status.value)))
    if refusal == NO_ROUTE:
        return _no_route(tallied)
    return None


def start_renewal(session, certificate: Certificate, user, *, consent: bool) -> Application:
    """The holder's renewal: a draft on the scheme's current version, pre-filled from the application the
    attestation was issued on, linked to the attestation and so to its CPD record.

    Refused (with the reason) for anyone but the holder, for an attestation not in force, for a scheme
    that no longer takes applications, without the consent of the current version, while another
    application on the scheme is unfinished, and when the record gives no renewal route.
    """
    from certify.attestation.services import apply_for_attestation, published_schemes  # they import this

    if not certificate.is_person or holder_id(session, certificate) != user.id:
        raise RenewalRefused(NOT_THE_HOLDER, 403)
    tallied = cpd_tally(session, certificate)
    reason = why_not_renewable(session, certificate, tallied)
    if reason is not None:
        raise RenewalRefused(reason, 409)
    version = next((v for v in published_schemes(session) if v.code == certificate.standard_code), None)
    if version is None:
        raise RenewalRefused(NO_CURRENT_SCHEME, 409)
    earlier = session.get(Application, certificate.application_id)
    application = apply_for_attestation(session, version, user, consent=consent, previous=earlier)
    if renewal_of(session, application) is None:  # not the draft a simultaneous request created
        session.add(Renewal(application_id=application.id, certificate_id=certificate.id))
        session.flush()
        record(
            session,
            user,
            "application.renewal_started",
            application,
            after={
                "renews": certificate.number,
                "cpd_hours": str(tallied.counted),
                "route": tallied.route.value if tallied.route else None,
            },
        )
    return application


def route_at_admission(session, application: Application) -> RenewalRoute | None:
    """The route the renewal's CPD record gives as the coordinator admits it; None for a first
    attestation. A record short of the hours on a scheme that renews only on CPD is refused, so the
    coordinator returns the application instead."""
    renewal = renewal_of(session, application)
    if renewal is None:
        return None
    tallied = cpd_tally(session, renewal.certificate)
    if tallied.route is None:
        raise RenewalRefused(_no_route(tallied), 409)
    return tallied.route


def confirm_route(session, application: Application, user, route: RenewalRoute) -> Renewal:
    """Store the route the coordinator confirmed with the admission, and the hours that counted."""
    renewal = renewal_of(session, application)
    renewal.route = route.value
    renewal.counted_hours = cpd_tally(session, renewal.certificate).counted
    renewal.confirmed_by_id, renewal.confirmed_at = user.id, utcnow()
    session.flush()
    return renewal


def send_admitted_by_cpd(session, application: Application, renewal: Renewal) -> None:
    """Admitted on the CPD record: no new theory exam; the practical part comes next."""
    candidate = application.candidate
    queue_mail(
        session,
        candidate.email,
        "attestation_admitted_cpd",
        locale=candidate.locale,
        application=application,
        user=candidate,
        renewal=renewal,
        link=external_url("attestation.status", application_id=application.id),
    )


def _no_route(tallied: CpdTally) -> str:
    hours = {"counted": tallied.counted, "missing": tallied.missing}
    return gettext(NO_ROUTE, required=tallied.required, **{k: format_decimal(v) for k, v in hours.items()})
