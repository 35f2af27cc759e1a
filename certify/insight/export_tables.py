"""Two exports: assessors' workload and calibration (the calibration page's tables), and one
application's audit extract (its trail as sentences, with every recorded field beside them).

Both apply the blind rules of the pages they mirror: calibration counts nothing of an application the
viewer still has to score (certify.insight.ratings), and the extract leaves the scores out of such an
application's entries, as /admin/audit does (certify.review.blind.entries_shown_to).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction
from itertools import islice

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from certify.audit.models import AuditEntry
from certify.audit.sentences import KINDS, sentence
from certify.extensions import db
from certify.insight import caseload
from certify.insight.exports import BATCH, Export, local
from certify.insight.pages import CalibrationTables, calibration_tables
from certify.insight.statistics_page import body_zone
from certify.insight.xlsx import Sheet
from certify.questionnaire.models import Application
from certify.review.blind import entries_shown_to
from certify.web.i18n import current_language

# Workload and calibration ---------------------------------------------------------------------------------


def calibration_export(version: str) -> Export:
    """The dashboard's workload and the calibration page's tables for one version (as the page picks it)."""
    tables = calibration_tables(version)
    language = current_language()
    sheets = [
        Sheet(
            _("Workload"),
            [
                _("Assessor"),
                _("E-mail"),
                _("Open assignments"),
                _("On organisations' applications"),
                _("On candidates' applications"),
            ],
            (
                [
                    load.assessor.full_name(language),
                    load.assessor.email,
                    load.open,
                    load.organisations,
                    load.persons,
                ]
                for load in _loads()
            ),
        ),
        *_calibration_sheets(tables, language),
    ]
    label = tables.version.label if tables.version else ""
    name = f"calibration-{label.replace(' ', '-')}.xlsx" if label else "calibration.xlsx"
    return Export("calibration", name, sheets, {"version": label})


def _loads():
    # read only while the file is written, like every other row
    yield from caseload.workload(db.session)


def _calibration_sheets(tables: CalibrationTables, language: str) -> list[Sheet]:
    result = tables.result
    if result is None:
        return []
    titles, people = tables.titles, tables.people

    def name(assessor: int) -> str:
        return people[assessor].full_name(language)

    return [
        Sheet(
            _("Per indicator"),
            [_("Indicator"), _("Title"), _("Applications scored by two or more"), _("Alpha"), _("Rubric")],
            (
                [
                    i.indicator,
                    titles.get(i.indicator, ""),
                    i.applications,
                    _rounded(i.alpha, 3),
                    _("Descriptors need sharpening") if i.needs_sharpening else "",
                ]
                for i in result.indicators
            ),
        ),
        Sheet(
            _("Per assessor"),
            [
                _("Assessor"),
                _("Assessments"),
                _("Mean deviation from the consensus"),
                _("Same score as a co-assessor, %"),
                _("Mean gap to a co-assessor, in steps"),
                _("Comparisons with co-assessors"),
            ],
            (
                [
                    name(a.assessor),
                    a.assessments,
                    _rounded(a.deviation, 2),
                    _rounded(None if a.exact_agreement is None else 100 * a.exact_agreement, 0),
                    _rounded(a.mean_gap, 2),
                    a.comparisons,
                ]
                for a in result.assessors
            ),
        ),
        Sheet(
            _("Deviation per indicator"),
            [_("Assessor"), _("Indicator"), _("Title"), _("Mean deviation from the consensus")],
            (
                [name(a.assessor), i.indicator, titles.get(i.indicator, ""), _rounded(deviation, 2)]
                for a in result.assessors
                for i in result.indicators
                if (deviation := a.deviation_by_indicator.get(i.indicator)) is not None
            ),
        ),
    ]


def _rounded(value: Fraction | None, places: int) -> float | None:
    """A fraction at the page's precision, as a number a spreadsheet can sort; None stays empty."""
    return None if value is None else round(float(value), places)


# One application's audit extract --------------------------------------------------------------------------


def audit_export(application: Application) -> Export:
    """Every entry of the application's trail, oldest first, as /admin/audit?application= lists them."""
    header = [
        _("Entry"),
        _("When"),
        _("Who"),
        _("Event"),
        _("What happened"),
        _("Action"),
        _("Subject type"),
        _("Subject id"),
        _("Before"),
        _("After"),
        _("Scores left out"),
    ]
    sheets = [Sheet(_("Audit trail"), header, _trail_rows(application.id))]
    name = f"application-{application.id}-audit.xlsx"
    return Export("audit", name, sheets, {"application": application.id}, application_id=application.id)


def _trail_rows(application_id: int) -> Iterator[list]:
    zone = body_zone()
    statement = (
        sa.select(AuditEntry)
        .where(AuditEntry.application_id == application_id)
        .order_by(AuditEntry.id)
        .execution_options(yield_per=BATCH)
    )
    entries = iter(db.session.scalars(statement))
    while batch := list(islice(entries, BATCH)):
        for entry in entries_shown_to(db.session, current_user, batch):
            kind = KINDS.get(entry.action)
            said = sentence(
                entry.action, entry.subject_id, entry.before, entry.after, detailed=not entry.hidden
            )
            yield [
                entry.id,
                local(entry.occurred_at, zone),
                entry.actor_label,
                _(kind.title) if kind else entry.action,
                said.text(_, lambda day: format_date(day, "medium")),
                entry.action,
                entry.subject_type,
                entry.subject_id,
                _json(entry.before),
                _json(entry.after),
                _("yes") if entry.hidden else "",
            ]


def _json(value) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)
