"""What `read:own` opens: a manager's organisation's applications and certificates, a candidate's own.

A manager reads the applications of their organisation (not the personal applications of people who
work there: a person's application is theirs); a candidate, their own person applications. Someone who
is both reads both. Each application says only what its applicant already sees on the site: its state,
standard, dates, and the level decided (never a score or a reviewer).
"""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts.models import Role, User
from certify.certificates.models import Certificate
from certify.certificates.public import public_view
from certify.questionnaire.models import Application
from certify.review.models import Decision
from certify.standards.models import StandardVersion
from certify.timeutil import as_utc


def _own(user: User) -> sa.ColumnElement[bool]:
    """The applications `user` applies for, as `certify.web.access.is_applicant` reads them."""
    conditions = []
    if user.has_role(Role.MANAGER) and user.organisation_id is not None:
        conditions.append(
            sa.and_(Application.organisation_id == user.organisation_id, Application.candidate_id.is_(None))
        )
    if user.has_role(Role.CANDIDATE, Role.MANAGER):
        conditions.append(Application.candidate_id == user.id)
    return sa.or_(*conditions) if conditions else sa.false()


def applications_of(user: User) -> sa.Select:
    return sa.select(Application).where(_own(user))


def certificates_of(user: User) -> sa.Select:
    return (
        sa.select(Certificate)
        .join(Application, Application.id == Certificate.application_id)
        .where(_own(user))
    )


def application_views(session, applications: list[Application]) -> list[dict]:
    """The page's applications as the API shows them, with their latest decisions in one query."""
    decisions = _latest_decisions(session, [application.id for application in applications])
    versions = _versions(session, {application.standard_version_id for application in applications})
    return [_application_view(a, versions[a.standard_version_id], decisions.get(a.id)) for a in applications]


def _application_view(application: Application, version: StandardVersion, decision: Decision | None) -> dict:
    return {
        "id": application.id,
        "kind": "person" if application.is_person else "organisation",
        "state": application.state,
        "standard": {"code": version.code, "version": version.version},
        "started_at": _moment(application.created_at),
        "submitted_at": _moment(application.submitted_at),
        "decided_at": _moment(decision.decided_at) if decision else None,
        #: the level certified at by the latest decision (an appeal's, if any); None: not (yet) certified
        "level": decision.chosen_level if decision else None,
    }


def _latest_decisions(session, application_ids: list[int]) -> dict[int, Decision]:
    """Each application's latest decision: an appeal's decision comes after the one appealed."""
    rows = session.scalars(
        sa.select(Decision).where(Decision.application_id.in_(application_ids)).order_by(Decision.id)
    )
    return {decision.application_id: decision for decision in rows}


def _versions(session, ids: set[int]) -> dict[int, StandardVersion]:
    return {
        row.id: row for row in session.scalars(sa.select(StandardVersion).where(StandardVersion.id.in_(ids)))
    }


def certificate_views(session, certificates: list[Certificate]) -> list[dict]:
    """Each certificate as the public sees it, and the application it was issued on."""
    return [
        public_view(session, certificate) | {"application_id": certificate.application_id}
        for certificate in certificates
    ]


def _moment(value) -> str | None:
    return as_utc(value).isoformat() if value is not None else None
