"""Who may do what: every access check of the app goes through here, never ad hoc in views or templates."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from certify.accounts.models import Role
from certify.extensions import db
from certify.review.models import Assignment, AssignmentStatus

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


def is_applicant(user, application) -> bool:
    """A manager of the organisation that owns the application."""
    return is_manager_of(user, application.organisation_id)


def is_manager_of(user, organisation_id: int) -> bool:
    return (
        user.is_authenticated
        and user.has_role(Role.MANAGER)
        and user.organisation_id is not None
        and user.organisation_id == organisation_id
    )


def is_assigned_assessor(user, application) -> bool:
    """An assessor with an active (not declined) assignment to the application."""
    if not (user.is_authenticated and user.has_role(Role.ASSESSOR)):
        return False
    return (
        db.session.scalar(
            sa.select(Assignment.id).where(
                Assignment.application_id == application.id,
                Assignment.assessor_id == user.id,
                Assignment.status != AssignmentStatus.DECLINED.value,
            )
        )
        is not None
    )


def can_view_application(user, application) -> bool:
    return is_applicant(user, application) or is_staff(user) or is_assigned_assessor(user, application)


def require(allowed: bool) -> None:
    """Stop with 404 when the user may not see something: its existence is not revealed either."""
    if not allowed:
        abort(404)
