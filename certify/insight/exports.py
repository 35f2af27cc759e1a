"""The body's exports as XLSX (issue 17, item 4): streamed while their rows are read, and audited.

Each export is a list of sheets whose rows are generators, read only while the file is sent
(certify.insight.xlsx). Once the last row is written, and before the file's last bytes leave, the export
records itself on the audit trail (who, which export, its filters, how many rows) and commits: a download
cut short is not recorded, and no complete file leaves unrecorded. The same blind rules as the pages
apply: nothing of an application the viewer still has to score (certify.review.blind).

The applications and the certificates register are here; calibration and one application's audit
extract are in `export_tables`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation

from flask import Response, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from certify.audit.services import record
from certify.certificates import register
from certify.certificates.issuance import status_of
from certify.certificates.views import STATUS_LABELS
from certify.extensions import db
from certify.insight.decided import decided_records
from certify.insight.filters import Filters, read_filters
from certify.insight.statistics import Decided, days_between
from certify.insight.statistics_page import body_zone
from certify.insight.tallies import choice
from certify.insight.xlsx import CONTENT_TYPE, Sheet, stream_workbook
from certify.questionnaire.subject import ORGANISATION_KIND, PERSON_KIND
from certify.standards.attestation import StandardKind
from certify.timeutil import as_utc
from certify.web.i18n import current_language
from certify.workflow import STATE_LABELS

#: rows read from the database at a time
BATCH = 500
#: the subject kind's column, as the pages name an application's subject
KIND_NAMES = {StandardKind.ORGANISATION: _l(ORGANISATION_KIND), StandardKind.PERSON: _l(PERSON_KIND)}


@dataclass(frozen=True)
class Export:
    """One download: its name on the audit trail, its file name, its filters and its sheets."""

    name: str
    filename: str
    sheets: list[Sheet]
    filters: Mapping[str, object] = field(default_factory=dict)
    #: the application an export is about (its audit extract), so its trail shows who took it
    application_id: int | None = None


def download(export: Export) -> Response:
    """The export as a streamed XLSX download, recorded on the audit trail once its rows are written."""
    person = current_user._get_current_object()

    def recorded(rows: int) -> None:
        record(
            db.session,
            actor=person,
            action="insight.exported",
            subject_type="export",
            subject_id=export.name,
            application_id=export.application_id,
            after={"export": export.name, "filters": dict(export.filters), "rows": rows},
        )
        db.session.commit()

    body = stream_workbook(export.sheets, title=export.filename, before_closing=recorded)
    return Response(
        stream_with_context(body),
        mimetype=CONTENT_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            # the body's own data: no shared cache may keep a copy
            "Cache-Control": "no-store",
        },
    )


def local(moment: datetime | None, zone: tzinfo) -> datetime | None:
    """An aware moment on the body's clock, without its zone: a spreadsheet's cells hold none."""
    return None if moment is None else as_utc(moment).astimezone(zone).replace(tzinfo=None, microsecond=0)


# Applications with their scores --------------------------------------------------------------------------


def applications_export(args: Mapping[str, str]) -> Export:
    """The decided applications the statistics page counts with the same filters, one row each: the
    organisations', or with `kind=person` the candidates' on a scheme's version."""
    zone = body_zone()
    kind = choice(args.get("kind", ""), StandardKind) or StandardKind.ORGANISATION
    filters = read_filters(db.session, args, current_user, zone, kind)
    if filters is None:
        sheets = [Sheet(_("Applications"), _base_header(), [])]
        return Export("applications", "applications.xlsx", sheets, {"kind": kind.value})
    standard = filters.standard
    language = current_language()
    header = _base_header()
    header += [_("Area: %(title)s", title=area.title.get(language)) for area in standard.areas]
    header += [f"{i.id} {i.title.get(language)}" for i in standard.indicators()]
    rows = _application_rows(filters, zone, language)
    name = f"applications-{filters.version.code}-{filters.version.version}.xlsx"
    return Export("applications", name, [Sheet(_("Applications"), header, rows)], filters.recorded())


def _base_header() -> list[str]:
    return [
        _("No."),
        _("Kind"),
        _("Organisation"),
        _("Candidate"),
        _("Region"),
        _("Standard"),
        _("Status"),
        _("Level"),
        _("Level computed by the rules"),
        _("Decided on appeal"),
        _("Date of submission"),
        _("Date of the decision"),
        _("Days from submission to the first decision"),
        _("Clarification rounds"),
        _("Priority green fields"),
        _("Total score"),
    ]


def _application_rows(filters: Filters, zone: tzinfo, language: str) -> Iterator[list]:
    standard = filters.standard
    levels = {level.id: level.name.get(language) for level in standard.levels}
    areas, indicators = [a.id for a in standard.areas], [i.id for i in standard.indicators()]
    for decided in decided_records(db.session, filters.narrowing, current_user, zone):
        yield [
            *_application_facts(decided, filters, levels, zone, language),
            *(decided.areas.get(area) for area in areas),
            *(decided.rubric.get(indicator) for indicator in indicators),
        ]


def _application_facts(decided: Decided, filters: Filters, levels, zone, language: str) -> list:
    details = decided.details
    computed = details.get("computed_level")
    suffix = "en" if language.startswith("en") else "ru"
    return [
        decided.application,
        str(KIND_NAMES[details["kind"]]),
        details.get(f"organisation_{suffix}"),
        details.get(f"candidate_{suffix}"),
        details.get("region"),
        filters.version.label,
        _(STATE_LABELS[details["state"]]),
        levels.get(decided.level, decided.level) if decided.level else _("Not certified"),
        levels.get(computed, computed) if computed else _("Not certified"),
        _("yes") if details.get("on_appeal") else _("no"),
        local(decided.submitted_at, zone),
        local(decided.decided_at, zone),
        round(float(days_between(decided.submitted_at, decided.first_decided_at)), 1),
        decided.rounds,
        ", ".join(sorted(decided.fields)),
        decided.total,
    ]


# The certificates register ------------------------------------------------------------------------------


def certificates_export(args: Mapping[str, str]) -> Export:
    """Every certificate the staff register lists with the same search, status, "expiring" and kind
    (`kind`: organisation or person) filters."""
    filters = register.RegisterFilter.from_args(args)
    header = [
        _("Certificate No."),
        _("Kind"),
        _("Holder"),
        _("Organisation"),
        _("Cluster"),
        _("Region"),
        _("Level"),
        _("Standard"),
        _("Assessed score"),
        _("Issued"),
        _("Valid until"),
        _("Status"),
    ]
    recorded = {
        "q": filters.text,
        "status": filters.status.value if filters.status else "",
        "expiring": filters.expiring,
        "kind": filters.kind.value if filters.kind else "",
    }
    sheets = [Sheet(_("Certificates"), header, _certificate_rows(filters, current_language(), date.today()))]
    return Export("certificates", f"certificates-{date.today().isoformat()}.xlsx", sheets, recorded)


def _certificate_rows(filters: register.RegisterFilter, language: str, today: date) -> Iterator[list]:
    statement = register.matching(filters, today).execution_options(yield_per=BATCH)
    for certificate in db.session.scalars(statement):
        yield [
            certificate.number,
            str(KIND_NAMES[certificate.subject_kind]),
            certificate.subject_name(language),
            certificate.name("organisation_name", language),
            certificate.name("cluster_name", language),
            certificate.region,
            certificate.name("level_name", language),
            f"{certificate.standard_code} {certificate.standard_version}",
            _number(certificate.assessed_score),
            certificate.issued_on,
            certificate.expires_on,
            str(STATUS_LABELS[status_of(certificate, today)]),
        ]


def _number(text: str) -> Decimal | str:
    """A score stored as text, as a number a spreadsheet can sort (the text itself if it is none)."""
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return text
