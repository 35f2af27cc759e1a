"""The manager's questionnaire: applications, pages with drafts and autosave, summary, submission."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_babel import gettext as _
from flask_login import current_user

from certify.accounts.models import Role
from certify.certificates.register import latest_of_application
from certify.errors import DomainError
from certify.extensions import db
from certify.questionnaire import evidence, filetypes, forms, offline, services
from certify.questionnaire.answers import visible_questions
from certify.questionnaire.assessment import self_assessment
from certify.questionnaire.models import Application, EvidenceFile
from certify.questionnaire.notifications import send_receipt
from certify.questionnaire.pages import (
    evidence_targets,
    missing,
    page_by_key,
    page_of_target,
    pages_of,
    progress,
)
from certify.review import clarification
from certify.review import notifications as review_notifications
from certify.review.appeals import appeal_of, lodge_appeal
from certify.review.clarification import all_requests
from certify.review.decisions import decision_of
from certify.web.access import can_view_application, is_applicant, is_staff, require, roles_required
from certify.web.actions import carry_out
from certify.web.i18n import current_language
from certify.workflow import STATE_LABELS, State, states

bp = Blueprint("questionnaire", __name__, url_prefix="/applications")


@bp.app_context_processor
def workflow_labels():
    return {"state_label": lambda state: gettext(STATE_LABELS[state])}


def _application(application_id: int, *, edit: bool = False) -> Application:
    application = db.get_or_404(Application, application_id)
    require(
        is_applicant(current_user, application) if edit else can_view_application(current_user, application)
    )
    return application


@bp.get("/")
@roles_required(Role.MANAGER)
def index():
    """The organisation's applications and their states; start a new one."""
    organisation = current_user.organisation
    applications = services.applications_of(db.session, organisation) if organisation else []
    previous = services.last_submitted(db.session, organisation) if organisation else None
    return render_template(
        "questionnaire/index.html", applications=applications, form=forms.StartForm(), previous=previous
    )


@bp.post("/")
@roles_required(Role.MANAGER)
def start():
    """Start an application on the current standard, pre-filled from the last submitted one if asked."""
    form = forms.StartForm()
    if current_user.organisation is None or not form.validate_on_submit():
        flash(_("Only a manager of a registered organisation can start an application."), "danger")
        return redirect(url_for("questionnaire.index")), 400
    previous = services.last_submitted(db.session, current_user.organisation) if form.prefill.data else None
    try:
        application = services.start_application(
            db.session, current_user.organisation, current_user, previous
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("questionnaire.index")), error.status
    db.session.commit()
    return redirect(url_for("questionnaire.page", application_id=application.id, page_key="eligibility"))


def _editable_ids(application):
    """None: all answers editable; a set: only those (clarification); empty: read-only for this user."""
    if not is_applicant(current_user, application):
        return frozenset()
    try:
        return services.editable_questions(db.session, application)
    except services.QuestionnaireError:
        return frozenset()


def _render_page(application, page, form, status=200, conflict=None):
    standard = services.standard_of(application)
    editable_ids = _editable_ids(application)
    typed = services.typed_answers_of(db.session, application)
    pages = pages_of(standard)
    index = [p.key for p in pages].index(page.key)
    return render_template(
        "questionnaire/page.html",
        application=application,
        standard=standard,
        page=page,
        form=form,
        progress=progress(standard, typed),
        visible=visible_questions(page.questions, typed),
        evidence=services.evidence_by_target(db.session, application),
        previous_page=pages[index - 1] if index > 0 else None,
        next_page=pages[index + 1] if index + 1 < len(pages) else None,
        editable=editable_ids is None or bool(editable_ids),
        changed=services.changed_since_previous(
            db.session, application, services.load_answers(db.session, application)
        ),
        editable_ids=editable_ids,
        conflict=conflict,
        conflict_rows=_conflict_rows(page, form, conflict) if conflict else [],
        evidence_targets=evidence_targets(standard),
        upload_limit_mb=evidence.upload_limit() // (1024 * 1024),
        language=current_language(),
    ), status


def _shown(value) -> str:
    return ", ".join(value) if isinstance(value, list) else (value or "")


def _conflict_rows(page, form, conflict) -> list[tuple[str, str, str]]:
    """(question, their saved answer, this user's answer) for every answer the two versions disagree on."""
    mine = forms.posted_answers(page, form)
    language = current_language()
    return [
        (q.label.get(language), _shown(conflict.theirs.get(q.id)), _shown(mine.get(q.id)))
        for q in forms.answerable(page)
        if conflict.theirs.get(q.id) != mine.get(q.id)
    ]


@bp.get("/<int:application_id>/pages/<page_key>")
def page(application_id: int, page_key: str):
    """One page of the questionnaire (an area, or the eligibility questions), filled with saved answers."""
    application = _application(application_id)
    page = _page_of(application, page_key)
    version = services.page_version(db.session, application, page_key).version
    stored = services.load_answers(db.session, application)
    form = forms.page_form(page, current_language(), formdata=forms.stored_formdata(page, stored, version))
    return _render_page(application, page, form)


@bp.post("/<int:application_id>/pages/<page_key>")
def save(application_id: int, page_key: str):
    """Save the page as a draft, then go where the pressed button says (previous, next, summary, stay)."""
    application = _application(application_id, edit=True)
    page = _page_of(application, page_key)
    form = forms.page_form(page, current_language())
    if not form.validate():
        return _render_page(application, page, form, status=422)
    try:
        services.save_page(
            db.session,
            application,
            page_key,
            expected_version=form.version.data,
            posted=forms.posted_answers(page, form),
            user=current_user,
        )
    except services.PageConflict as conflict:
        db.session.rollback()
        form.version.data = conflict.version
        return _render_page(application, page, form, status=409, conflict=conflict)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _render_page(application, page, form, status=error.status)
    db.session.commit()
    flash(_("Saved."), "success")
    target = request.form.get("go", page_key)
    if target == "summary":
        return redirect(url_for("questionnaire.summary", application_id=application.id))
    if page_by_key(services.standard_of(application), target) is None:
        target = page_key
    return redirect(url_for("questionnaire.page", application_id=application.id, page_key=target))


@bp.post("/<int:application_id>/pages/<page_key>/autosave")
def autosave(application_id: int, page_key: str):
    """The page's script saves while the manager types: JSON with the new version, or why not."""
    application = _application(application_id, edit=True)
    page = _page_of(application, page_key)
    form = forms.page_form(page, current_language())
    if not form.validate():
        return jsonify(saved=False, errors={k: [str(e) for e in v] for k, v in form.errors.items()}), 422
    try:
        version = services.save_page(
            db.session,
            application,
            page_key,
            expected_version=form.version.data,
            posted=forms.posted_answers(page, form),
            user=current_user,
        )
    except services.PageConflict:
        db.session.rollback()
        message = _("Someone else saved this page meanwhile. Press Save to see both versions.")
        return jsonify(saved=False, conflict=True, message=message), 409
    except DomainError as error:
        db.session.rollback()
        return jsonify(saved=False, message=str(error.message)), error.status
    db.session.commit()
    return jsonify(saved=True, version=version)


@bp.post("/<int:application_id>/pages/<page_key>/visibility")
def visibility(application_id: int, page_key: str):
    """Which questions of the page are shown for the answers being typed (nothing is saved)."""
    application = _application(application_id)
    page = _page_of(application, page_key)
    form = forms.page_form(page, current_language())
    form.validate()  # an invalid value counts as unanswered
    merged = {**services.load_answers(db.session, application), **forms.posted_answers(page, form)}
    typed = services.typed_answers_of(db.session, application, merged)
    return jsonify(visible=sorted(visible_questions(page.questions, typed)))


def _page_of(application: Application, page_key: str):
    page = page_by_key(services.standard_of(application), page_key)
    if page is None:
        abort(404)
    return page


@bp.get("/<int:application_id>/summary")
def summary(application_id: int):
    """Progress, what is missing (with links), the preliminary self-assessment, and submission."""
    application = _application(application_id)
    standard = services.standard_of(application)
    typed = services.typed_answers_of(db.session, application)
    holder_or_staff = is_applicant(current_user, application) or is_staff(current_user)
    return render_template(
        "questionnaire/summary.html",
        application=application,
        standard=standard,
        progress=progress(standard, typed),
        missing=missing(standard, typed),
        assessment=self_assessment(standard, typed),
        form=forms.SubmitForm(),
        can_submit=application.state in states.EDITABLE and is_applicant(current_user, application),
        clarifications=all_requests(db.session, application)
        if can_view_application(current_user, application)
        else [],
        can_answer=application.state == State.CLARIFICATION_REQUESTED
        and is_applicant(current_user, application),
        decision=decision_of(db.session, application),
        level_names={level.id: level.name.get(current_language()) for level in standard.levels},
        appeal=appeal_of(db.session, application),
        certificate=latest_of_application(db.session, application.id) if holder_or_staff else None,
        can_download_report=holder_or_staff,
        can_appeal=application.state in (State.CERTIFIED, State.NOT_CERTIFIED)
        and is_applicant(current_user, application)
        and appeal_of(db.session, application) is None,
        language=current_language(),
    )


@bp.post("/<int:application_id>/appeal")
def appeal(application_id: int):
    """Appeal the decision once, within 30 days, giving the grounds."""
    application = _application(application_id, edit=True)
    return carry_out(
        lambda: lodge_appeal(db.session, application, current_user, request.form.get("grounds", "")[:10_000]),
        back_to=url_for("questionnaire.summary", application_id=application.id),
        done=_("Your appeal is lodged. An assessor who took no part in the review will examine it."),
    )


@bp.post("/<int:application_id>/clarification")
def answer_clarification(application_id: int):
    """The manager answers the assessors' questions; the application returns to review."""
    application = _application(application_id, edit=True)
    return carry_out(
        lambda: clarification.answer_clarification(
            db.session, application, current_user, request.form.get("answer", "")[:10_000]
        ),
        back_to=url_for("questionnaire.summary", application_id=application.id),
        done=_("Your answer is sent to the assessors."),
        then=lambda: review_notifications.clarification_answered(application),
    )


@bp.post("/<int:application_id>/submit")
def submit(application_id: int):
    """Submit a complete application: the answers are frozen and a receipt is e-mailed."""
    application = _application(application_id, edit=True)
    form = forms.SubmitForm()
    if not form.validate_on_submit():
        flash(_("Please confirm before submitting."), "danger")
        return redirect(url_for("questionnaire.summary", application_id=application.id)), 400
    try:
        services.submit_application(db.session, application, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("questionnaire.summary", application_id=application.id)), error.status
    db.session.commit()
    send_receipt(application, current_user)
    return redirect(url_for("questionnaire.receipt", application_id=application.id))


@bp.get("/<int:application_id>/receipt")
def receipt(application_id: int):
    """The on-screen receipt of a submitted application."""
    application = _application(application_id)
    if application.submitted_at is None:
        abort(404)
    return render_template("questionnaire/receipt.html", application=application, language=current_language())


@bp.post("/<int:application_id>/evidence/<target>")
def upload_evidence(application_id: int, target: str):
    """Attach a file to an indicator or requirement; its content, not its name, decides its type."""
    application = _application(application_id, edit=True)
    upload = request.files.get("file")
    page_key = request.form.get("page", "eligibility")
    back = url_for("questionnaire.page", application_id=application.id, page_key=page_key)
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "danger")
        return redirect(back), 400
    try:
        row = evidence.add_evidence(
            db.session, application, target, upload.stream, upload.filename, current_user
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(back), error.status
    db.session.commit()
    flash(_("%(name)s uploaded.", name=row.original_name), "success")
    return redirect(back + f"#section-{target}")


@bp.post("/<int:application_id>/evidence/<int:file_id>/remove")
def remove_evidence(application_id: int, file_id: int):
    """Remove a file before submission."""
    application = _application(application_id, edit=True)
    row = db.get_or_404(EvidenceFile, file_id)
    require(row.application_id == application.id)
    try:
        path = evidence.remove_evidence(db.session, application, row, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("questionnaire.summary", application_id=application.id)), error.status
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(_("%(name)s removed.", name=row.original_name), "success")
    page_key = page_of_target(services.standard_of(application), row.evidence_for)
    return redirect(url_for("questionnaire.page", application_id=application.id, page_key=page_key))


@bp.get("/<int:application_id>/evidence/<int:file_id>")
def download_evidence(application_id: int, file_id: int):
    """Download a file: only for those who may see the application; always as an attachment."""
    application = _application(application_id)
    row = db.get_or_404(EvidenceFile, file_id)
    require(row.application_id == application.id)
    return send_file(
        evidence.evidence_path(row),
        mimetype=filetypes.FileKind(row.kind).media_type,
        as_attachment=True,
        download_name=row.original_name,
    )


@bp.get("/<int:application_id>/workbook.xlsx")
def download_workbook(application_id: int):
    """The questionnaire with the saved answers as an XLSX workbook, to fill in offline."""
    application = _application(application_id)
    data = offline.export_workbook(db.session, application)
    return send_file(
        io.BytesIO(data),
        mimetype=filetypes.FileKind.XLSX.media_type,
        as_attachment=True,
        download_name=f"certify-application-{application.id}.xlsx",
    )


@bp.post("/<int:application_id>/workbook")
def upload_workbook(application_id: int):
    """Import a filled workbook: valid cells are saved, every invalid cell is listed with its reason."""
    application = _application(application_id, edit=True)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose the filled workbook to upload."), "danger")
        return redirect(url_for("questionnaire.summary", application_id=application.id)), 400
    try:
        report = offline.import_workbook(db.session, application, upload.read(), current_user)
    except (DomainError, services.PageConflict) as error:
        db.session.rollback()
        flash(
            getattr(error, "message", _("Someone saved the questionnaire meanwhile. Please try again.")),
            "danger",
        )
        return redirect(url_for("questionnaire.summary", application_id=application.id)), 409
    db.session.commit()
    status = 422 if report.problems else 200
    return render_template("questionnaire/import_report.html", application=application, report=report), status
