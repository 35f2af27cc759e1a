"""The navigation bar by role, and safe redirects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from certify.accounts.models import Role
from certify.extensions import db
from certify.questionnaire.models import Application


def applied_as_person(user) -> bool:
    """The user applied for their own attestation: a manager who did sits its theory exam too."""
    return bool(db.session.scalar(sa.select(sa.exists().where(Application.candidate_id == user.id))))


@dataclass(frozen=True)
class NavItem:
    label: object
    endpoint: str
    roles: tuple[Role, ...]
    #: who else sees the item, whatever their roles (asked only of those without one of `roles`)
    also: Callable[[object], bool] | None = None

    def shown_to(self, user) -> bool:
        return user.has_role(*self.roles) or (self.also is not None and self.also(user))


NAV_ITEMS = (
    NavItem(_l("Applications"), "questionnaire.index", (Role.MANAGER,)),
    NavItem(_l("Yearly reports"), "monitoring.reports", (Role.MANAGER,)),
    # a manager's organisation's certificates and own attestations; a candidate's attestations
    NavItem(_l("My certificates"), "certificates.mine", (Role.MANAGER, Role.CANDIDATE)),
    NavItem(_l("Assignments"), "review.assignments", (Role.ASSESSOR,)),
    NavItem(_l("Exams"), "exams.index", (Role.CANDIDATE,), also=applied_as_person),
    # a personal attestation: a candidate's, or a manager's for themselves (issue 16)
    NavItem(_l("Attestation"), "attestation.index", (Role.CANDIDATE, Role.MANAGER)),
    NavItem(_l("Dashboard"), "insight.dashboard", (Role.COORDINATOR, Role.ADMIN)),
    NavItem(_l("Review"), "review.queue", (Role.COORDINATOR, Role.ADMIN)),
    NavItem(_l("Standards"), "standards.index", (Role.COORDINATOR, Role.ADMIN)),
    NavItem(_l("Certificates"), "certificates.index", (Role.COORDINATOR, Role.ADMIN)),
    NavItem(_l("Exams"), "exams.staff_index", (Role.COORDINATOR, Role.ADMIN)),
    NavItem(_l("Users"), "accounts_admin.users", (Role.ADMIN,)),
    NavItem(_l("Audit trail"), "audit.index", (Role.COORDINATOR, Role.ADMIN)),
    NavItem(_l("Outgoing mail"), "outbox.index", (Role.ADMIN,)),
)


#: where each role starts after logging in, the body's work first for someone holding several roles
START_PAGES = (
    ((Role.COORDINATOR, Role.ADMIN), "insight.dashboard"),
    ((Role.ASSESSOR,), "review.assignments"),
    ((Role.MANAGER,), "questionnaire.index"),
    ((Role.CANDIDATE,), "exams.index"),
)


def start_page_for(user) -> str:
    """The endpoint `user` lands on after logging in (without a page they were sent from)."""
    return next((endpoint for roles, endpoint in START_PAGES if user.has_role(*roles)), "web.index")


def navigation_for(user) -> list[NavItem]:
    if not user or not user.is_authenticated:  # no user at all: no request (e-mails sent by the CLI)
        return []
    return [item for item in NAV_ITEMS if item.shown_to(user)]


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site; anything pointing elsewhere (open redirect) is dropped."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def init_app(app: Flask) -> None:
    @app.context_processor
    def navigation_context():
        return {"navigation": navigation_for(current_user)}
