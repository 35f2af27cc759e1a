"""The audit trail for staff: browse and filter every recorded change."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request, url_for
from flask_babel import format_date, get_timezone, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, Form, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from certify.audit.models import AuditEntry
from certify.audit.sentences import kinds_by_domain, sentence
from certify.audit.services import COUNT_CAP, AuditFilter, entries_matching, page_of_entries
from certify.extensions import db
from certify.review.blind import entries_shown_to
from certify.web.access import STAFF, roles_required

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PAGE_SIZE = 50


class FilterForm(Form):
    """The filters, read from the query string (a GET form: nothing changes, so no CSRF token)."""

    #: a domain ("review": all its events) or one action; the choices are set in the reader's language
    kind = SelectField(_l("Event"), [Optional()], choices=[])
    action = StringField(_l("Action starts with"), [Optional(), Length(max=60)])
    actor = StringField(_l("Actor's e-mail"), [Optional(), Length(max=254)])
    subject_type = StringField(_l("Subject type"), [Optional(), Length(max=40)])
    subject_id = StringField(_l("Subject id"), [Optional(), Length(max=40)])
    application = IntegerField(_l("Application"), [Optional(), NumberRange(min=1)])
    date_from = DateField(_l("From"), [Optional()])
    date_to = DateField(_l("To"), [Optional()])


def _filters(form: FilterForm) -> AuditFilter:
    """The filters that passed validation; dates are whole days in the user's time zone."""
    valid = {name: field.data for name, field in form._fields.items() if not field.errors}
    zone = ZoneInfo(str(get_timezone()))  # Babel may hand back pytz, which cannot be used as tzinfo=

    def day_start(day, shift=0):
        return datetime.combine(day + timedelta(days=shift), time(), tzinfo=zone) if day else None

    return AuditFilter(
        action=(valid.get("action") or "").strip(),
        actor=(valid.get("actor") or "").strip(),
        subject_type=(valid.get("subject_type") or "").strip(),
        subject_id=(valid.get("subject_id") or "").strip(),
        application_id=valid.get("application"),
        occurred_from=day_start(valid.get("date_from")),
        occurred_before=day_start(valid.get("date_to"), shift=1),
    )


def kind_choices() -> dict:
    """The events to filter by, grouped by domain: each group starts with all of its domain's events."""
    choices: dict = {None: [("", gettext("Any event"))]}
    for domain, label, actions in kinds_by_domain():
        group = [(domain, gettext("All: %(domain)s", domain=gettext(label)))]
        choices[gettext(label)] = group + [(action, gettext(title)) for action, title in actions]
    return choices


def _of_kind(statement, kind: str):
    """Narrow to one action, or to every action of a domain (a kind without a dot)."""
    if not kind:
        return statement
    if "." in kind:
        return statement.where(AuditEntry.action == kind)
    return statement.where(AuditEntry.action.startswith(f"{kind}.", autoescape=True))


@bp.get("/")
@roles_required(*STAFF)
def index():
    """Recorded changes, newest first, filtered by action, actor, subject, application and dates.

    Staff who are still to submit their own scores on an application (an assessor given a staff role)
    see its entries with the scores left out (`certify.review.blind`).
    """
    form = FilterForm(request.args)
    form.kind.choices = kind_choices()
    form.validate()
    kind = "" if form.kind.errors else form.kind.data or ""
    statement = _of_kind(entries_matching(_filters(form)), kind)
    page = page_of_entries(
        db.session, statement, per_page=PAGE_SIZE, before=_cursor("before"), after=_cursor("after")
    )
    entries = entries_shown_to(db.session, current_user, page.items)
    return render_template(
        "audit/index.html",
        form=form,
        page=page,
        entries=entries,
        count_cap=COUNT_CAP,
        newer_url=_page_url(after=page.newer) if page.newer is not None else None,
        older_url=_page_url(before=page.older) if page.older is not None else None,
    )


def _cursor(name: str) -> int | None:
    """The entry id a page starts beside (`before` or `after`); anything else means the newest page."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _page_url(**cursor: int) -> str:
    """This page's address with the filters kept and the cursor replaced."""
    kept = {k: v for k, v in request.args.items(multi=True) if k not in ("before", "after", "page")}
    return url_for("audit.index", **kept, **cursor)


@bp.app_template_filter("audit_sentence")
def audit_sentence(entry) -> str:
    """What an entry (an AuditEntry, or a ShownEntry of `certify.review.blind`) records, as a sentence.

    An entry whose scores are left out for this reader says only what happened, without the values.
    """
    said = sentence(
        entry.action,
        entry.subject_id,
        entry.before,
        entry.after,
        detailed=not getattr(entry, "hidden", False),
    )
    return said.text(gettext, lambda day: format_date(day, "medium"))


@bp.app_template_filter("pretty_json")
def pretty_json(value) -> str:
    """Before/after values indented, one key a line, readable in both alphabets."""
    if value is None:
        return ""
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False)
