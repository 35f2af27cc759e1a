"""The certification body's dashboard, the lists behind each of its numbers, assessor calibration, the
statistics and the exports.

Staff only (coordinators and administrators), every page read-only. Each list takes its filter from the
query string, and anything unknown there means the whole list (the dashboard links only valid choices).
The pages' contents are built in `pages.py` and `statistics_page.py`; an export, which records itself on
the audit trail once its rows are written, in `exports.py` and `export_tables.py`.
"""

from __future__ import annotations

from flask import Blueprint, request

from certify.extensions import db
from certify.insight import candidates_page, export_tables, exports, pages, statistics_page
from certify.questionnaire.models import Application
from certify.web.access import STAFF, roles_required

bp = Blueprint("insight", __name__, url_prefix="/insight")


@bp.get("/")
@roles_required(*STAFF)
def dashboard():
    """The pipeline at a glance: organisations' applications by state and past deadlines, candidates by
    stage and past the scheme's deadlines, assessors' workload, certificates expiring, open appeals;
    every number links to its list."""
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
    """The open assignments (of one assessor, with `assessor`; on organisations' or candidates'
    applications, with `kind`), the oldest first."""
    return pages.render_assignments(request.args.get("assessor", ""), request.args.get("kind", ""))


@bp.get("/reports")
@roles_required(*STAFF)
def reports():
    """The yearly reports certified organisations owe: due soon, overdue, or with a suspension proposed
    (with `owed`), the most urgent first."""
    return pages.render_reports_owed(request.args.get("owed", ""))


@bp.get("/certificates")
@roles_required(*STAFF)
def certificates():
    """The certificates in force that expire within `within` days (30 or 90), the soonest first: the
    organisations' or, with `kind=person`, the attestations."""
    return pages.render_expiring(request.args.get("within", ""), request.args.get("kind", ""))


@bp.get("/candidates")
@roles_required(*STAFF)
def candidates():
    """The candidates for attestation at one stage (`stage`) or past one of the scheme's deadlines
    (`late`), the longest waiting first."""
    return candidates_page.render_candidates(request.args.get("stage", ""), request.args.get("late", ""))


@bp.get("/calibration")
@roles_required(*STAFF)
def calibration():
    """How alike assessors score on one version of the standard: per indicator and per assessor."""
    return pages.render_calibration(request.args.get("version", ""))


@bp.get("/statistics")
@roles_required(*STAFF)
def statistics():
    """Decided applications by level, area scores, the indicators most missed, time to a decision,
    clarification rounds and peer percentiles, filtered by version, year, region, level and field."""
    return statistics_page.render_statistics(request.args)


@bp.get("/exports/applications.xlsx")
@roles_required(*STAFF)
def export_applications():
    """The decided applications with their scores per area and indicator, with the statistics' filters."""
    return exports.download(exports.applications_export(request.args))


@bp.get("/exports/certificates.xlsx")
@roles_required(*STAFF)
def export_certificates():
    """The certificates register, with the staff register's filters (`q`, `status`, `expiring`)."""
    return exports.download(exports.certificates_export(request.args))


@bp.get("/exports/calibration.xlsx")
@roles_required(*STAFF)
def export_calibration():
    """Assessors' workload and the calibration tables of one version (`version`)."""
    return exports.download(export_tables.calibration_export(request.args.get("version", "")))


@bp.get("/exports/applications/<int:application_id>/audit.xlsx")
@roles_required(*STAFF)
def export_audit(application_id: int):
    """One application's audit trail: each entry as a sentence, with its recorded fields."""
    application = db.get_or_404(Application, application_id)
    return exports.download(export_tables.audit_export(application))
