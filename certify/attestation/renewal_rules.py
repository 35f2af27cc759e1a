"""When a renewal of an attestation may start, and whether it needs the theory exam. Pure: no Flask, no
SQLAlchemy.

ISO/IEC 17024 lets a scheme renew a certification on evidence of continuing professional development
instead of a new examination (docs/attestation.md, "Recertification"). In cma 1.0 the holder who
recorded the scheme's CPD hours renews without a new theory exam; one who did not, by passing it again;
and a scheme with `exam_unless_cpd: false` lets an attestation without the hours lapse.
"""

from __future__ import annotations

from certify.standards.attestation import RenewalRoute
from certify.textmarks import N_

NO_ROUTE = N_(
    "This attestation cannot be renewed: the scheme renews it only on %(required)s hours of continuing "
    "professional development, and %(counted)s count so far. Record the missing %(missing)s hours, or "
    "apply for a new attestation once it has lapsed."
)
NOT_IN_FORCE = N_(
    "Only an attestation in force can be renewed: this one is %(status)s. Apply for a new attestation."
)


def renewal_refusal(in_force: bool, route: RenewalRoute | None) -> str | None:
    """Why a holder may not start a renewal now (a message of this module), or None when they may.

    An attestation suspended, revoked, superseded or expired is not renewed: the holder applies anew.
    """
    if not in_force:
        return NOT_IN_FORCE
    if route is None:
        return NO_ROUTE
    return None


def theory_required(confirmed_route: RenewalRoute | None) -> bool:
    """Does the application need its theory exam passed before the practical stage?

    `confirmed_route` is the renewal route the coordinator confirmed at admission: None for a first
    attestation (Decree 1204: theory, then practice) and for a renewal not admitted yet. Only a renewal
    whose CPD record was confirmed skips the exam: the CPD rule met stands instead of it.
    """
    return confirmed_route is not RenewalRoute.CPD
