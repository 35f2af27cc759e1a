"""The insight pages' contents: each number on the dashboard with the link to its list, the lists, and the
calibration tables. The counts and lists themselves come from `pipeline`, `caseload` and `ratings`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user

from certify.accounts.models import User
from certify.certificates.register import EXPIRING_WITHIN_DAYS
from certify.extensions import db
from certify.insight import candidates_page, caseload, pipeline, ratings
from certify.insight.calibration import THRESHOLD, Calibration, calibrate
from certify.insight.deadlines import LABELS, Deadline, days_allowed
from certify.insight.formatting import decimal, share
from certify.insight.tallies import Tally, chart, choice, list_url
from certify.monitoring.owed import DUE_SOON_DAYS, Owed, reports_owed
from certify.review.queue import AWAITING_THE_BODY, waited
from certify.standards.attestation import StandardKind
from certify.standards.services import definition_of
from certify.textmarks import N_
from certify.timeutil import utcnow
from certify.web.i18n import current_language
from certify.workflow import STATE_LABELS, State

#: the states of the pipeline, in the workflow's order
PIPELINE_STATES = tuple(state for state in State if state in AWAITING_THE_BODY)
#: the kinds of application an assessor's work is counted by
KIND_LABELS = {
    StandardKind.ORGANISATION: lazy_gettext("organisations"),
    StandardKind.PERSON: lazy_gettext("candidates for attestation"),
}
#: the heading of the list of certificates expiring, by kind
EXPIRING_HEADINGS = {
    StandardKind.ORGANISATION: N_("Certificates expiring within %(days)d days"),
    StandardKind.PERSON: N_("Attestations expiring within %(days)d days"),
}


def _deadline_label(deadline: Deadline, allowed) -> str:
    return _(LABELS[deadline]) % {"days": allowed[deadline]}


# The dashboard --------------------------------------------------------------------------------------------


def render_dashboard():
    now, allowed = utcnow(), days_allowed(current_app.config)
    waiting = pipeline.awaiting(db.session)
    late = pipeline.overdue(db.session, waiting, allowed, now)
    states = [_state_tally(state, pipeline.in_state(waiting, state), now) for state in PIPELINE_STATES]
    loads = [_load_row(load) for load in caseload.workload(db.session)]
    return render_template(
        "insight/dashboard.html",
        awaiting=Tally(_("Awaiting the certification body"), len(waiting), list_url("applications")),
        states=states,
        states_chart=chart(_("Applications by state"), states),
        deadlines=[
            Tally(
                _deadline_label(d, allowed),
                len(pipeline.past(late, d)),
                list_url("overdue", deadline=d.value),
            )
            for d in Deadline
        ],
        open_assignments=_assignments_tally(_("Open assignments"), None),
        by_kind=[_assignments_tally(KIND_LABELS[kind], kind) for kind in StandardKind],
        loads=loads,
        # the picture shows who is busy; the table beside it also who is free
        loads_chart=chart(
            _("Open assignments per assessor"), [row.total for row in loads if row.total.count]
        ),
        expiring=[
            _expiring(days, date.today(), StandardKind.ORGANISATION) for days in caseload.EXPIRY_WINDOWS
        ],
        attestations_expiring=[
            _expiring(days, date.today(), StandardKind.PERSON) for days in caseload.EXPIRY_WINDOWS
        ],
        appeals=Tally(
            _("Open appeals"),
            len(pipeline.in_state(waiting, State.APPEALED)),
            list_url("applications", state=State.APPEALED.value),
        ),
        reports_owed=[_owed_tally(owed, date.today()) for owed in Owed],
        **candidates_page.dashboard_tallies(),
    )


#: the heading of each list of reports owed, and its line on the dashboard
OWED_LABELS = {
    Owed.DUE_SOON: N_("Due within %(days)d days"),
    Owed.OVERDUE: N_("Overdue"),
    Owed.SUSPENSION_PROPOSED: N_("Overdue, suspension proposed"),
}
OWED_HEADINGS = {
    Owed.DUE_SOON: N_("Yearly reports due within %(days)d days"),
    Owed.OVERDUE: N_("Yearly reports overdue"),
    Owed.SUSPENSION_PROPOSED: N_("Yearly reports overdue with a suspension proposed"),
}


def _owed_tally(owed: Owed, today: date) -> Tally:
    count = len(reports_owed(db.session, owed, today))
    return Tally(_(OWED_LABELS[owed], days=DUE_SOON_DAYS), count, list_url("reports", owed=owed.value))


def render_reports_owed(value: str):
    owed = choice(value, Owed) or Owed.OVERDUE
    return render_template(
        "insight/reports.html",
        heading=_(OWED_HEADINGS[owed], days=DUE_SOON_DAYS),
        owed=owed.value,
        rows=reports_owed(db.session, owed, date.today()),
    )


@dataclass(frozen=True)
class LoadRow:
    """An assessor's line of the workload table: all their open assignments, then of each kind."""

    name: str
    total: Tally
    by_kind: list[Tally]


def _assignments_tally(label: str, kind: StandardKind | None) -> Tally:
    """Every open assignment, or those on one kind of application."""
    count = len(caseload.open_assignments(db.session, kind=kind))
    return Tally(label, count, list_url("assignments", **({"kind": kind.value} if kind else {})))


def _load_row(load: caseload.Load) -> LoadRow:
    name = load.assessor.full_name(current_language())
    counts = {StandardKind.ORGANISATION: load.organisations, StandardKind.PERSON: load.persons}
    by_kind = [
        Tally(
            f"{name}, {KIND_LABELS[kind]}",
            counts[kind],
            list_url("assignments", assessor=load.assessor.id, kind=kind.value),
        )
        for kind in StandardKind
    ]
    return LoadRow(name, Tally(name, load.open, list_url("assignments", assessor=load.assessor.id)), by_kind)


def _expiring(days: int, today: date, kind: StandardKind) -> Tally:
    count = len(caseload.expiring(db.session, days, today, kind))
    return Tally(
        _("Within %(days)d days", days=days), count, list_url("certificates", within=days, kind=kind.value)
    )


def _state_tally(state: State, rows: list[pipeline.Waiting], now) -> Tally:
    note = _("longest: %(waited)s", waited=waited(rows[0].since, now)) if rows else ""
    return Tally(_(STATE_LABELS[state]), len(rows), list_url("applications", state=state.value), note)


# The lists behind the numbers -----------------------------------------------------------------------------


def render_applications(value: str):
    state = choice(value, PIPELINE_STATES)
    now, allowed = utcnow(), days_allowed(current_app.config)
    waiting = pipeline.awaiting(db.session)
    flags: dict[int, list[str]] = {}
    for row in pipeline.overdue(db.session, waiting, allowed, now):
        flags.setdefault(row.application.id, []).append(_deadline_label(row.deadline, allowed))
    rows = pipeline.in_state(waiting, state)
    return render_template(
        "insight/applications.html",
        heading=_(STATE_LABELS[state]) if state else _("Awaiting the certification body"),
        rows=rows,
        waited={row.application.id: waited(row.since, now) for row in rows},
        flags=flags,
    )


def render_overdue(value: str):
    deadline = choice(value, Deadline)
    now, allowed = utcnow(), days_allowed(current_app.config)
    late = pipeline.overdue(db.session, pipeline.awaiting(db.session), allowed, now)
    return render_template(
        "insight/overdue.html",
        heading=_deadline_label(deadline, allowed) if deadline else _("Past a deadline"),
        rows=pipeline.past(late, deadline),
        labels={d: _deadline_label(d, allowed) for d in Deadline},
        late_by={(row.application.id, row.deadline): waited(row.due, now) for row in late},
    )


def render_assignments(value: str, kind_value: str):
    assessor = db.session.get(User, int(value)) if value.isdecimal() and len(value) < 10 else None
    kind = choice(kind_value, StandardKind)
    rows = caseload.open_assignments(db.session, assessor.id if assessor else None, kind)
    heading = _("Open assignments")
    if assessor:
        heading = _("Open assignments of %(name)s", name=assessor.full_name(current_language()))
    if kind:
        heading = f"{heading}: {KIND_LABELS[kind]}"
    return render_template("insight/assignments.html", heading=heading, rows=rows)


def render_expiring(value: str, kind_value: str):
    within = choice(value, caseload.EXPIRY_WINDOWS) or max(caseload.EXPIRY_WINDOWS)
    kind = choice(kind_value, StandardKind) or StandardKind.ORGANISATION
    today = date.today()
    rows = caseload.expiring(db.session, within, today, kind)
    heading = EXPIRING_HEADINGS[kind]
    return render_template(
        "insight/certificates.html",
        heading=_(heading, days=within),
        rows=rows,
        kind=kind.value,
        days_left={c.id: (c.expires_on - today).days for c in rows},
        # the staff register's "expiring soon", which its export shares
        register_window=EXPIRING_WITHIN_DAYS,
    )


# Calibration ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationTables:
    """The calibration page's tables (the export writes the same): for one version, with its names."""

    versions: list
    version: object = None
    result: Calibration | None = None
    #: indicator id -> its title; assessor id -> the user
    titles: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)


def calibration_tables(value: str) -> CalibrationTables:
    """Calibration on the version `value` names (the newest with submitted scores otherwise), as the
    current user may see it: nothing of what they still have to score."""
    versions = ratings.scored_versions(db.session)
    version = choice(value, versions) or (versions[0] if versions else None)
    if version is None:
        return CalibrationTables(versions)
    indicators = definition_of(version).indicators()
    result = calibrate(
        ratings.submitted_scorings(db.session, version.id, current_user),
        ratings.recorded_consensus(db.session, version.id, current_user),
        order=[i.id for i in indicators],
    )
    assessors = [a.assessor for a in result.assessors]
    people = {p.id: p for p in db.session.scalars(sa.select(User).where(User.id.in_(assessors)))}
    titles = {i.id: i.title.get(current_language()) for i in indicators}
    return CalibrationTables(versions, version, result, titles, people)


def render_calibration(value: str):
    tables = calibration_tables(value)
    return render_template(
        "insight/calibration.html",
        versions=tables.versions,
        version=tables.version,
        result=tables.result,
        titles=tables.titles,
        people=tables.people,
        threshold=decimal(THRESHOLD, "0.00"),
        decimal=decimal,
        share=share,
    )
