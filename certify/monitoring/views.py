"""Yearly reports (issue 18): the manager's list of reports owed and filed, starting one, and the
assessor's review of one (accept, or ask for clarification).

The report itself is filled, saved, exported and submitted on the questionnaire's pages; it is assigned
and its review started on the review's team page, like any application.
"""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from certify.accounts.models import Organisation, Role
from certify.extensions import db
from certify.monitoring import aggregates, effectiveness, export, filing, records, review_page, trends_page
from certify.monitoring import review as report_review
from certify.monitoring.models import ReportPeriod
from certify.monitoring.report import CORE_PAGE, field_titles, figure_title
from certify.monitoring.trends import PeerGroup
from certify.questionnaire.forms import EmptyForm
from certify.questionnaire.services import standard_of
from certify.review import pages as review_pages
from certify.review.models import Assignment
from certify.standards.services import current_version, definition_of
from certify.web.access import STAFF, assignment_opens_application, is_staff, require, roles_required
from certify.web.actions import carry_out
from certify.web.i18n import current_language

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")


@bp.get("/reports")
@roles_required(Role.MANAGER)
def reports():
    organisation = current_user.organisation
    today = date.today()
    found = filing.filings(db.session, organisation, today) if organisation else []
    return render_template("monitoring/reports.html", filings=found, today=today, form=EmptyForm())


@bp.post("/periods/<int:period_id>/report")
@roles_required(Role.MANAGER)
def start(period_id: int):
    """Start the period's report (or open the one already started) on its first page."""
    period = db.get_or_404(ReportPeriod, period_id)
    require(filing.files_for(db.session, period, current_user))
    return carry_out(
        lambda: filing.start_report(db.session, period, current_user, date.today()),
        back_to=url_for("monitoring.reports"),
        success_to=lambda report: url_for("questionnaire.page", application_id=report.id, page_key=CORE_PAGE),
        done=lambda report: _("Yearly report No. %(number)s started.", number=period.number),
    )


def _report_assignment(assignment_id: int) -> Assignment:
    """The assessor's own assignment on a yearly report, while it opens the report; 404 otherwise."""
    assignment = db.get_or_404(Assignment, assignment_id)
    require(
        assignment.assessor_id == current_user.id
        and assignment.application.is_yearly_report
        and assignment_opens_application(assignment)
    )
    return assignment


@bp.get("/assignments/<int:assignment_id>")
@roles_required(Role.ASSESSOR)
def review(assignment_id: int):
    """The report's figures beside the year before's, what accepting it would flag, and the two steps."""
    return review_page.render(_report_assignment(assignment_id))


@bp.post("/assignments/<int:assignment_id>/accept")
@roles_required(Role.ASSESSOR)
def accept(assignment_id: int):
    assignment = _report_assignment(assignment_id)
    return carry_out(
        lambda: report_review.accept_report(db.session, assignment, current_user),
        back_to=url_for("monitoring.review", assignment_id=assignment.id),
        success_to=url_for("review.assignments"),
        done=lambda raised: (
            _("The report is accepted; %(n)d flags went to the coordinators.", n=len(raised))
            if raised
            else _("The report is accepted.")
        ),
    )


@bp.post("/assignments/<int:assignment_id>/clarification")
@roles_required(Role.ASSESSOR)
def clarify(assignment_id: int):
    """Ask the manager about named pages of the report; the manager may then change only those."""
    assignment = _report_assignment(assignment_id)
    return review_pages.ask_for_clarification(
        assignment, review_page.render, back_to=url_for("monitoring.review", assignment_id=assignment.id)
    )


@bp.get("/organisations/<int:organisation_id>/trends")
@roles_required(Role.MANAGER, *STAFF)
def trends(organisation_id: int):
    """The organisation's yearly figures as charts against the peers' median: for the body, and for the
    organisation's own managers."""
    organisation = db.get_or_404(Organisation, organisation_id)
    require(is_staff(current_user) or current_user.organisation_id == organisation.id)
    group = PeerGroup(request.args.get("peers", PeerGroup.LEVEL.value))
    if group not in trends_page.CORE_GROUPS:
        group = PeerGroup.LEVEL
    reports = records.accepted_reports(db.session)
    standard = records.latest_standard(db.session, organisation.id)
    figures = (
        trends_page.figure_trends(
            reports, organisation.id, standard.monitoring, field_titles(standard), group, current_language()
        )
        if standard is not None
        else []
    )
    return render_template(
        "monitoring/trends.html",
        organisation=organisation,
        figures=figures,
        group=group,
        groups=trends_page.CORE_GROUPS,
    )


@bp.get("/")
@roles_required(*STAFF)
def overview():
    """The body's monitoring view: the flagged reports, the effectiveness index and the totals of a year."""
    standard = records.latest_standard(db.session)
    reports = records.accepted_reports(db.session)
    years = sorted({report.year for report in reports}, reverse=True)
    year = request.args.get("year", type=int) or (years[0] if years else None)
    language = current_language()
    of_year = [report for report in reports if report.year == year]
    monitoring = standard.monitoring if standard is not None else None
    return render_template(
        "monitoring/overview.html",
        flagged=[
            (report, [(figure_title(standard_of(report), flag.question_id), flag) for flag in raised])
            for report, raised in records.flagged_reports(db.session)
        ],
        years=years,
        year=year,
        index=effectiveness.effectiveness_index(of_year, monitoring) if monitoring and of_year else {},
        names=records.organisation_names(db.session, of_year, language),
        aggregates=aggregates.body_aggregates(of_year, monitoring) if monitoring else None,
        monitoring=monitoring,
        field_names=field_titles(standard) if standard is not None else {},
    )


@bp.get("/effectiveness.xlsx")
@roles_required(*STAFF)
def workbook():
    """Every year's index, its components and the totals, for the body (nothing withheld); before any
    report is accepted, the sheets with their headings only, on the current standard's KPIs."""
    standard = records.latest_standard(db.session) or _current_standard()
    reports = records.accepted_reports(db.session)
    if standard is None or standard.monitoring is None:
        abort(404)
    data = export.monitoring_workbook(
        reports,
        records.organisation_names(db.session, reports, current_language()),
        standard.monitoring,
        field_titles(standard),
    )
    return send_file(
        io.BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name="monitoring.xlsx",
    )


def _current_standard():
    """The standard new applications start on, if any."""
    current = current_version(db.session)
    return definition_of(current) if current is not None else None
