"""The certification body's dashboard, the lists behind each of its numbers, and assessor calibration.

Staff only (coordinators and administrators), every page read-only. Each list takes its filter from the
query string, and anything unknown there means the whole list (the dashboard links only valid choices).
The pages' contents are built in `pages.py`.
"""

from __future__ import annotations

from flask import Blueprint, request

from certify.insight import pages
from certify.web.access import STAFF, roles_required

bp = Blueprint("insight", __name__, url_prefix="/insight")


@bp.get("/")
@roles_required(*STAFF)
def dashboard():
    """The pipeline at a glance: applications by state and past deadlines, assessors' workload,
    certificates expiring, open appeals; every number links to its list."""
    return pages.render_dashboard()


@bp.get("/applications")
@roles_required(*STAFF)
def applications():
    """The applications awaiting the body (in one state, with `state`), the longest waiting first."""
    return pages.render_applications(request.args.get("state", ""))


@bp.get("/overdue")
@roles_required(*STAFF)
def overdue():
    """The applications past a deadline (one of them, with `deadline`), the longest overdue first."""
    return pages.render_overdue(request.args.get("deadline", ""))


@bp.get("/assignments")
@roles_required(*STAFF)
def assignments():
    """The open assignments (of one assessor, with `assessor`), the oldest first."""
    return pages.render_assignments(request.args.get("assessor", ""))


@bp.get("/certificates")
@roles_required(*STAFF)
def certificates():
    """The certificates in force that expire within `within` days (30 or 90), the soonest first."""
    return pages.render_expiring(request.args.get("within", ""))


@bp.get("/calibration")
@roles_required(*STAFF)
def calibration():
    """How alike assessors score on one version of the standard: per indicator and per assessor."""
    return pages.render_calibration(request.args.get("version", ""))
