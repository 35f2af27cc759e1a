"""The manager's questionnaire: applications, pages with drafts and autosave, summary, submission."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_babel import gettext as _
from flask_login import current_user

from certify.accounts.models import Role
from certify.errors import DomainError
from certify.extensions import db
from certify.questionnaire import evidence, filetypes, forms, offline, services
from certify.questionnaire.answers import visible_questions
from certify.questionnaire.display import shown_ratios
from certify.questionnaire.models import Application, EvidenceFile
from certify.questionnaire.pages import ELIGIBILITY_PAGE, page_by_key, page_of_target
from certify.questionnaire.rendering import render_page, render_summary
from certify.questionnaire.subject import staff_page, subject_of
from certify.review.appeals import lodge_appeal
from certify.review.clarification import answer_clarification as answer_questions
from certify.review.labels import review_words
from certify.storage import EVIDENCE, storage
from certify.transitions import allowed
from certify.web.access import can_view_application, is_applicant, require, roles_required
from certify.web.actions import carry_out
from certify.web.i18n import current_language
from certify.workflow import STATE_LABELS, Action

bp = Blueprint("questionnaire", __name__, url_prefix="/applications")


@bp.app_context_processor
def workflow_labels():
    return {
        "state_label": lambda state: gettext(STATE_LABELS[state]),
        # an application's subject (an organisation, or a person) and the body's page on it, for any page
        "application_subject": lambda application: subject_of(application, current_language()),
        "staff_page": staff_page,
    }


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
        return redirect(url_for("questionnaire.index"), 303)
    previous = services.last_submitted(db.session, current_user.organisation) if form.prefill.data else None
    return carry_out(
        lambda: services.start_application(db.session, current_user.organisation, current_user, previous),
        back_to=url_for("questionnaire.index"),
        success_to=lambda application: _page_url(application, ELIGIBILITY_PAGE),
        done=None,  # the first page of the questionnaire says it all
    )


def _page_url(application: Application, page_key: str) -> str:
    return url_for("questionnaire.page", application_id=application.id, page_key=page_key)


@bp.get("/<int:application_id>/pages/<page_key>")
def page(application_id: int, page_key: str):
    """One page of the questionnaire (an area, or the eligibility questions), filled with saved answers."""
    application = _application(application_id)
    return _stored_page(application, _page_of(application, page_key))


def _stored_page(application: Application, page, status: int = 200, **shown):
    """The page filled with the saved answers (and `shown`, such as a refused upload's reasons)."""
    version = services.page_version(db.session, application, page.key).version
    stored = services.load_answers(db.session, application)
    language = current_language()
    form = forms.page_form(page, language, formdata=forms.stored_formdata(page, stored, version, language))
    return render_page(application, page, form, status, **shown)


@bp.post("/<int:application_id>/pages/<page_key>")
def save(application_id: int, page_key: str):
    """Save the page as a draft, then go where the pressed button says (previous, next, summary, stay)."""
    application = _application(application_id, edit=True)
    page = _page_of(application, page_key)
    form = forms.page_form(page, current_language())
    _warn_of_forged_not_applicable(page)
    if not form.validate():
        return render_page(application, page, form, status=422)
    try:
        return carry_out(
            lambda: _save_posted(application, page, form),
            back_to=_page_url(application, page_key),
            success_to=_after_saving(application, page_key, request.form.get("go", page_key)),
            done=_("Saved."),
            refused=lambda error: _refused_page(application, page, form, error),
        )
    except services.PageConflict as conflict:  # not a refusal: both versions are shown to choose from
        db.session.rollback()
        form.version.data = conflict.version
        return render_page(application, page, form, status=409, conflict=conflict)


def _warn_of_forged_not_applicable(page) -> None:
    """Only a browser that was tampered with posts these; the page's form never reads them."""
    for question in forms.forged_not_applicable(page, request.form):
        label = question.label.get(current_language())
        message = _("'%(label)s' cannot be declared not applicable; that part was ignored.", label=label)
        flash(message, "warning")


def _save_posted(application: Application, page, form, leave_out=frozenset()) -> int:
    """Save what the page's form posted (but the answers `leave_out` names), as the version the manager
    opened; the page's new version."""
    posted = {qid: value for qid, value in forms.posted_answers(page, form).items() if qid not in leave_out}
    version = form.version.data
    return services.save_page(
        db.session, application, page.key, expected_version=version, posted=posted, user=current_user
    )


def _after_saving(application: Application, page_key: str, go: str) -> str:
    """Where the pressed button leads: the summary, another page of the questionnaire, or this page."""
    if go == "summary":
        return url_for("questionnaire.summary", application_id=application.id)
    return _page_url(application, go if _page_or_none(application, go) else page_key)


def _refused_page(application: Application, page, form, error: DomainError):
    """The page again with what the manager typed, and why it was not saved."""
    flash(error.message, "danger")
    return render_page(application, page, form, status=error.status)


@bp.post("/<int:application_id>/pages/<page_key>/autosave")
def autosave(application_id: int, page_key: str):
    """The page's script saves while the manager types: JSON with the new version, or why not.

    One answer the manager is still typing must not hold back the rest of the page: the valid answers
    are saved and the refused ones keep their saved value, each named with its reason (422).
    """
    application = _application(application_id, edit=True)
    page = _page_of(application, page_key)
    form = forms.page_form(page, current_language())
    form.validate()
    errors = forms.errors_by_question(page, form)
    answer_ids = {q.id for q in forms.answerable(page)}
    if not errors.keys() <= answer_ids:  # the version or the form itself is wrong: nothing is saved
        return jsonify(saved=False, errors=errors), 422
    try:
        version = _save_posted(application, page, form, leave_out=errors.keys())
    except services.PageConflict:
        db.session.rollback()
        message = _("Someone else saved this page meanwhile. Press Save to see both versions.")
        return jsonify(saved=False, conflict=True, message=message), 409
    except DomainError as error:
        db.session.rollback()
        return jsonify(saved=False, message=str(error.message)), error.status
    db.session.commit()
    if errors:
        return jsonify(saved=False, version=version, errors=errors), 422
    return jsonify(saved=True, version=version)


@bp.post("/<int:application_id>/pages/<page_key>/visibility")
def visibility(application_id: int, page_key: str):
    """Which questions of the page are shown, and its ratios, for the answers being typed (none saved)."""
    application = _application(application_id)
    page = _page_of(application, page_key)
    form = forms.page_form(page, current_language())
    form.validate()
    refused = forms.errors_by_question(page, form)
    # an answer the form refuses counts as unanswered: it is neither shown nor computed with
    posted = {qid: value for qid, value in forms.posted_answers(page, form).items() if qid not in refused}
    merged = {**services.load_answers(db.session, application), **posted}
    typed = services.typed_answers_of(db.session, application, merged)
    ratios = shown_ratios(services.standard_of(application), typed, current_language())
    return jsonify(visible=sorted(visible_questions(page.questions, typed)), ratios=ratios)


def _page_or_none(application: Application, page_key: str):
    """The page among those opened so far (a person's practical pages once the theory is passed)."""
    part = services.part_of(db.session, application)
    return page_by_key(services.standard_of(application), page_key, part)


def _page_of(application: Application, page_key: str):
    page = _page_or_none(application, page_key)
    if page is None:
        abort(404)
    return page


@bp.get("/<int:application_id>/summary")
def summary(application_id: int):
    """Progress, what is missing (with links), the self-assessment, the review's outcome, the actions."""
    return render_summary(_application(application_id))


def _in_place(application: Application, action: Action, field, **sent):
    """A `refused` for `carry_out`: the summary again, with what was typed and the reason beside `field`.

    When the refusal means the form is no longer offered (the decision was appealed meanwhile, say), the
    reason is shown at the top of the page, where it can be read.
    """

    def refused(error: DomainError):
        if action in allowed(db.session, current_user, application):
            field.errors = [*field.errors, error.message]
        else:
            flash(error.message, "danger")
        return render_summary(application, error.status, **sent)

    return refused


@bp.post("/<int:application_id>/appeal")
def appeal(application_id: int):
    """Appeal the decision once, within 30 days, giving the grounds."""
    application = _application(application_id, edit=True)
    form = forms.AppealForm()
    if not form.validate_on_submit():
        return render_summary(application, 422, appeal_form=form)
    return carry_out(
        lambda: lodge_appeal(db.session, application, current_user, form.grounds.data),
        back_to=url_for("questionnaire.summary", application_id=application.id),
        done=review_words(application).appeal_lodged,
        refused=_in_place(application, Action.APPEAL, form.grounds, appeal_form=form),
    )


@bp.post("/<int:application_id>/clarification")
def answer_clarification(application_id: int):
    """The manager answers the assessors' questions; the application returns to review."""
    application = _application(application_id, edit=True)
    form = forms.ClarificationAnswerForm()
    if not form.validate_on_submit():
        return render_summary(application, 422, answer_form=form)
    return carry_out(
        lambda: answer_questions(db.session, application, current_user, form.answer.data),
        back_to=url_for("questionnaire.summary", application_id=application.id),
        done=review_words(application).answer_sent,
        refused=_in_place(application, Action.ANSWER_CLARIFICATION, form.answer, answer_form=form),
    )


@bp.post("/<int:application_id>/submit")
def submit(application_id: int):
    """Submit a complete application: the answers are frozen and a receipt is e-mailed."""
    application = _application(application_id, edit=True)
    form = forms.SubmitForm()
    if not form.validate_on_submit():
        return render_summary(application, 422, form=form)
    # a refusal (answers still missing) shows the summary again, which lists them
    return carry_out(
        lambda: services.submit_application(db.session, application, current_user),
        back_to=url_for("questionnaire.summary", application_id=application.id),
        success_to=url_for("questionnaire.receipt", application_id=application.id),
        done=None,  # the receipt says it is submitted
        refused=_in_place(application, Action.SUBMIT, form.confirm, form=form),
    )


@bp.post("/<int:application_id>/practical/submit")
def submit_practical(application_id: int):
    """Submit a candidate's complete practical part: its answers are frozen for the examiners."""
    application = _application(application_id, edit=True)
    form = forms.PracticalSubmitForm()
    if not form.validate_on_submit():
        return render_summary(application, 422, practical_form=form)
    return carry_out(
        lambda: services.submit_practical(db.session, application, current_user),
        back_to=url_for("questionnaire.summary", application_id=application.id),
        success_to=url_for("attestation.status", application_id=application.id),
        done=_("Your practical part is submitted. Examiners will be assigned to it."),
        refused=_in_place(application, Action.SUBMIT_PRACTICAL, form.confirm, practical_form=form),
    )


@bp.get("/<int:application_id>/receipt")
def receipt(application_id: int):
    """The on-screen receipt of a submitted application."""
    application = _application(application_id)
    if application.submitted_at is None:
        abort(404)
    return render_template("questionnaire/receipt.html", application=application, language=current_language())


@bp.post("/<int:application_id>/evidence/<target>")
def upload_evidence(application_id: int, target: str):
    """Attach a file to an indicator or requirement; its content, not its name, decides its type.

    A refused file is named beside its upload field on the page it was sent from, with the saved answers.
    """
    application = _application(application_id, edit=True)
    form = forms.EvidenceForm()
    standard = services.standard_of(application)
    page = _page_or_none(application, form.page.data or "") or _page_or_none(
        application, page_of_target(standard, target)
    )
    if page is None:  # a practical indicator before the practical part opens
        abort(404)
    back = _page_url(application, page.key)

    def refused(reasons: list[str], status: int):
        return _stored_page(application, page, status, upload_errors={target: reasons})

    if not form.validate_on_submit():
        return refused(form.file.errors, 400)
    upload = form.file.data
    return carry_out(
        lambda: evidence.add_evidence(
            db.session, application, target, upload.stream, upload.filename, current_user
        ),
        back_to=back,
        success_to=f"{back}#section-{target}",
        done=lambda row: _("%(name)s uploaded.", name=row.original_name),
        refused=lambda error: refused([error.message], error.status),
    )


@bp.post("/<int:application_id>/evidence/<int:file_id>/remove")
def remove_evidence(application_id: int, file_id: int):
    """Remove a file before submission; the stored file is deleted once the removal is committed."""
    application = _application(application_id, edit=True)
    row = db.get_or_404(EvidenceFile, file_id)
    require(row.application_id == application.id)
    name, page_key = row.original_name, page_of_target(services.standard_of(application), row.evidence_for)
    return carry_out(
        lambda: evidence.remove_evidence(db.session, application, row, current_user),
        back_to=url_for("questionnaire.summary", application_id=application.id),
        success_to=_page_url(application, page_key),
        done=_("%(name)s removed.", name=name),
        then=evidence.discard_evidence,  # a rolled-back removal keeps its file
    )


@bp.get("/<int:application_id>/evidence/<int:file_id>")
def download_evidence(application_id: int, file_id: int):
    """Download a file: only for those who may see the application; always as an attachment."""
    application = _application(application_id)
    row = db.get_or_404(EvidenceFile, file_id)
    require(row.application_id == application.id)
    return storage().download(
        EVIDENCE,
        row.stored_name,
        mimetype=filetypes.FileKind(row.kind).media_type,
        download_name=row.original_name,
        sha256=row.sha256,
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
    form = forms.WorkbookForm()
    if not form.validate_on_submit():
        return render_summary(application, 400, workbook_form=form)
    data = form.file.data.read()
    try:
        return carry_out(
            lambda: offline.import_workbook(db.session, application, data, current_user),
            back_to=url_for("questionnaire.summary", application_id=application.id),
            done=None,
            answer=lambda report: (
                render_template("questionnaire/import_report.html", application=application, report=report),
                422 if report.problems else 200,
            ),
        )
    except services.PageConflict:  # someone saved a page while the cells were imported
        db.session.rollback()
        flash(_("Someone saved the questionnaire meanwhile. Please try again."), "danger")
        return redirect(url_for("questionnaire.summary", application_id=application.id), 303)
