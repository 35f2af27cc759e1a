"""The staff's pages on the quality of an exam: item statistics with the decisions on suspended items,
their XLSX export, and the modified-Angoff panel that recommends a pass mark.

Registered on the `exams` blueprint (`certify.exams.views` imports this module); the rules are in
`certify.exams.item_review` and `certify.exams.angoff_panel`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from io import BytesIO

from flask import render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from certify.exams import angoff_panel, item_review
from certify.exams.bank import ItemStatus
from certify.exams.item_review import Period
from certify.exams.models import Exam, ItemDecision
from certify.exams.services import blueprint_of
from certify.exams.staff_forms import AdoptForm, ItemDecisionForm, JudgeForm
from certify.exams.statistics import Flag
from certify.exams.statistics_workbook import statistics_workbook
from certify.exams.views import bp
from certify.extensions import db
from certify.web.access import STAFF, roles_required
from certify.web.actions import carry_out

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/admin/exams/<int:exam_id>/statistics")
@roles_required(*STAFF)
def statistics(exam_id: int):
    """Per item p, r_pb, exposure and option shares with their flags; KR-20 and SEM, overall and by month."""
    exam = db.get_or_404(Exam, exam_id)
    period, problem = _period()
    report = item_review.exam_statistics(db.session, exam, period)
    return render_template(
        "exams/staff_statistics.html",
        report=report,
        form=ItemDecisionForm(formdata=None),
        period_problem=problem,
        since=request.args.get("since", ""),
        until=request.args.get("until", ""),
    ), (400 if problem else 200)


@bp.get("/admin/exams/<int:exam_id>/statistics.xlsx")
@roles_required(*STAFF)
def statistics_export(exam_id: int):
    exam = db.get_or_404(Exam, exam_id)
    report = item_review.exam_statistics(db.session, exam, _period()[0])
    return send_file(
        BytesIO(statistics_workbook(report)),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"exam-{exam.id}-statistics.xlsx",
    )


@bp.post("/admin/exams/<int:exam_id>/statistics/decision")
@roles_required(*STAFF)
def decide_item(exam_id: int):
    """Keep an item the statistics suspended off the forms, or reinstate it, with the reason."""
    exam = db.get_or_404(Exam, exam_id)
    form = ItemDecisionForm()
    back = url_for("exams.statistics", exam_id=exam.id)
    if not form.validate_on_submit():
        return _statistics_again(exam, form)
    return carry_out(
        lambda: item_review.decide(
            db.session, exam, form.item.data, form.decision.data, form.reason.data, current_user
        ),
        back_to=back,
        done=lambda entry: _("Your decision on item %(item)s is recorded.", item=entry.item_id),
        refused=lambda error: _statistics_again(exam, form, error.message, error.status),
    )


@bp.get("/admin/exams/<int:exam_id>/angoff")
@roles_required(*STAFF)
def angoff(exam_id: int):
    """The panel: each judge's estimates, the recommended pass mark, and the sheet for the next judge."""
    exam = db.get_or_404(Exam, exam_id)
    return _angoff_page(exam, JudgeForm(formdata=None), {}, {})


@bp.post("/admin/exams/<int:exam_id>/angoff/judges")
@roles_required(*STAFF)
def record_judge(exam_id: int):
    """Record one judge's estimates (percent of minimally competent candidates), replacing earlier ones."""
    exam = db.get_or_404(Exam, exam_id)
    form = JudgeForm()
    items = angoff_panel.panel_items(db.session, exam)
    typed = {item.id: request.form.get(f"estimate-{item.id}", "").strip() for item in items}
    estimates, errors = _estimates(typed)
    if not form.validate_on_submit() or errors:
        return _angoff_page(exam, form, typed, errors, status=422)
    return carry_out(
        lambda: angoff_panel.record_judge(db.session, exam, form.judge.data, estimates, current_user),
        back_to=url_for("exams.angoff", exam_id=exam.id),
        done=lambda judge: _("The estimates of %(judge)s are recorded.", judge=judge),
        refused=lambda error: _angoff_page(exam, form, typed, {}, error.message, error.status),
    )


@bp.post("/admin/exams/<int:exam_id>/angoff/adopt")
@roles_required(*STAFF)
def adopt_pass_mark(exam_id: int):
    """Make the panel's recommendation the exam's pass mark (method "angoff", today's date)."""
    exam = db.get_or_404(Exam, exam_id)
    back = url_for("exams.angoff", exam_id=exam.id)
    if not AdoptForm().validate_on_submit():
        return _angoff_page(exam, JudgeForm(formdata=None), {}, {}, status=400)
    return carry_out(
        lambda: angoff_panel.adopt_recommendation(db.session, exam, current_user),
        back_to=back,
        done=lambda adopted: _("The pass mark is now %(mark)s %%.", mark=adopted.pass_mark),
    )


def _statistics_again(exam: Exam, form: ItemDecisionForm, message=None, status: int = 422):
    """The statistics page with the decision as typed and why it was not recorded."""
    return render_template(
        "exams/staff_statistics.html",
        report=item_review.exam_statistics(db.session, exam),
        form=form,
        decision_problem=message,
        period_problem=None,
        since="",
        until="",
    ), status


def _angoff_page(exam: Exam, form: JudgeForm, typed: dict, errors: dict, message=None, status: int = 200):
    return render_template(
        "exams/staff_angoff.html",
        exam=exam,
        panel=angoff_panel.panel_of(db.session, exam),
        form=form,
        adopt_form=AdoptForm(formdata=None),
        panel_length=blueprint_of(exam).item_count,
        typed=typed,
        errors=errors,
        problem=message,
    ), status


def _estimates(typed: dict[str, str]) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Item id -> share 0..1 from the percents typed (whole or with decimals), and the errors per item."""
    estimates, errors = {}, {}
    for item_id, text in typed.items():
        try:
            percent = Decimal(text.replace(",", "."))
        except InvalidOperation:
            percent = None
        if percent is None or not percent.is_finite() or not 0 <= percent <= 100:
            errors[item_id] = _("Enter a percent from 0 to 100.")
        elif percent != percent.quantize(Decimal(1)):
            errors[item_id] = _("Enter a whole percent.")
        else:
            estimates[item_id] = percent / 100
    return estimates, errors


def _period() -> tuple[Period, str | None]:
    """The period asked for (`since`, `until`: ISO dates, both days included), or why it cannot be read."""
    try:
        since, until = (_day(request.args.get(name)) for name in ("since", "until"))
    except ValueError:
        return Period(), _("Enter the dates as YYYY-MM-DD; the statistics below cover every attempt.")
    return Period(
        since=datetime.combine(since, time.min, UTC) if since else None,
        until=datetime.combine(until + timedelta(days=1), time.min, UTC) if until else None,
    ), None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@bp.app_context_processor
def item_review_labels():
    return {"item_flag_label": item_flag_label, "item_review_label": item_review_label}


def item_flag_label(flag: str) -> str:
    return {
        Flag.TOO_HARD: _("too hard"),
        Flag.TOO_EASY: _("too easy"),
        Flag.WEAK_DISCRIMINATION: _("weak discrimination"),
        Flag.NEGATIVE_DISCRIMINATION: _("negative discrimination"),
    }[Flag(flag)]


def item_review_label(row: item_review.ItemRow) -> str:
    """The item's standing: drawn or not, and what was decided on it."""
    if row.decision == ItemDecision.SUSPENDED and row.status == ItemStatus.SUSPENDED:
        return _("suspended by its statistics: awaiting a decision")
    if row.decision == ItemDecision.KEPT_SUSPENDED and row.status == ItemStatus.SUSPENDED:
        return _("kept suspended")
    if row.status == ItemStatus.ACTIVE:
        return _("reinstated, drawn") if row.decision == ItemDecision.REINSTATED else _("drawn")
    return _("not drawn (%(status)s)", status=row.status)
