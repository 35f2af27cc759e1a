"""Who may do what: every access check of the app goes through here, never ad hoc in views or templates."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from certify.accounts.models import Role
from certify.extensions import db
from certify.review.models import Assignment, AssignmentStatus
from certify.workflow import states

STAFF = (Role.COORDINATOR, Role.ADMIN)


def roles_required(*roles: Role):
    """View decorator: the user must be logged in and hold at least one of `roles` (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def can_manage_users(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN)


def is_staff(user) -> bool:
    return user.is_authenticated and user.has_role(*STAFF)


#: the accounts that may apply for a personal attestation, for themselves
APPLYING_PERSONS = (Role.CANDIDATE, Role.MANAGER)


def may_apply_as_person(user) -> bool:
    """A candidate, or a manager applying for their own attestation (issue 16: "or uses their manager
    account")."""
    return user.is_authenticated and user.has_role(*APPLYING_PERSONS)


def is_applicant(user, application) -> bool:
    """Who applies: the candidate themself for a person's application, else a manager of the organisation.

    The candidate's own managers are not the applicant of the candidate's application, nor is the
    candidate the applicant of their organisation's. `certify.transitions` asks the same function.
    """
    if application.candidate_id is not None:
        return may_apply_as_person(user) and user.id == application.candidate_id
    return is_manager_of(user, application.organisation_id)


def is_manager_of(user, organisation_id: int) -> bool:
    return (
        user.is_authenticated
        and user.has_role(Role.MANAGER)
        and user.organisation_id is not None
        and user.organisation_id == organisation_id
    )


def assignment_opens_application(assignment: Assignment) -> bool:
    """The assignment lets its assessor read the application now: answers, evidence, workbook, scoring page.

    Access starts when the assessor confirms independence and ends with the decision (issue 12, finding 4).
    Until then a pending assessor sees only what deciding on independence needs (the organisation, its
    region, the standard: the assignments page); a declined one sees nothing; once the application is
    decided, or under appeal, the review team sees nothing, and the appeal's assessor reads it only while
    the appeal is reviewed. The certification body's staff keep the decision record.
    """
    reading = states.APPEAL_REVIEW_READS if assignment.for_appeal else states.REVIEW_TEAM_READS
    return assignment.status == AssignmentStatus.CONFIRMED and assignment.application.state in reading


def reads_as_assessor(user, application) -> bool:
    """An assessor whose assignment to the application opens it now (`assignment_opens_application`)."""
    if not (user.is_authenticated and user.has_role(Role.ASSESSOR)):
        return False
    assignments = db.session.scalars(
        sa.select(Assignment).where(
            Assignment.application_id == application.id, Assignment.assessor_id == user.id
        )
    )
    return any(assignment_opens_application(a) for a in assignments)


def can_view_application(user, application) -> bool:
    return is_applicant(user, application) or is_staff(user) or reads_as_assessor(user, application)


def require(allowed: bool) -> None:
    """Stop with 404 when the user may not see something: its existence is not revealed either."""
    if not allowed:
        abort(404)
