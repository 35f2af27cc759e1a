"""The candidate's attestation pages and the coordinator's admission of a person's application.

Filling the application is the questionnaire's (certify/questionnaire/views.py): once applied, the
candidate is sent to its pages, with save-and-resume, evidence uploads, autosave and submission as for an
organisation.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from certify.attestation import forms, pages, services, stages, status_page, theory
from certify.extensions import db
from certify.questionnaire.models import Application
from certify.questionnaire.pages import ELIGIBILITY_PAGE
from certify.questionnaire.services import standard_of
from certify.web.access import APPLYING_PERSONS, STAFF, can_view_application, require, roles_required
from certify.web.actions import carry_out
from certify.web.i18n import current_language

bp = Blueprint("attestation", __name__, url_prefix="/attestation")


@bp.get("/")
@roles_required(*APPLYING_PERSONS)
def index():
    """The personal schemes taking applications, each with "Apply", and the user's own applications."""
    return pages.render_index()


@bp.get("/schemes/<int:version_id>/apply")
@roles_required(*APPLYING_PERSONS)
def consent(version_id: int):
    """The scheme, its consent to processing personal data, and the box to tick before applying."""
    return pages.render_apply(_scheme(version_id))


@bp.post("/schemes/<int:version_id>/apply")
@roles_required(*APPLYING_PERSONS)
def apply(version_id: int):
    """Apply once the consent is ticked: the draft opens on the prerequisites page."""
    version = _scheme(version_id)
    form = forms.ApplyForm()
    if not form.validate_on_submit():
        return pages.render_apply(version, form, 422)

    def refused(error):
        if error.message is not services.CONSENT_NEEDED:  # an unfinished application: listed on the index
            flash(error.message, "danger")
            return redirect(url_for("attestation.index"), 303)
        form.consent.errors = [*form.consent.errors, error.message]
        return pages.render_apply(version, form, error.status)

    return carry_out(
        lambda: services.apply_for_attestation(db.session, version, current_user, consent=form.consent.data),
        back_to=url_for("attestation.index"),
        success_to=lambda application: url_for(
            "questionnaire.page", application_id=application.id, page_key=ELIGIBILITY_PAGE
        ),
        done=_(
            "Your application is open. Answer the prerequisites and attach the documents, then submit it."
        ),
        refused=refused,
    )


def _scheme(version_id: int):
    """A personal scheme taking applications, else 404 (an organisation's standard, a retired version)."""
    try:
        return services.scheme_taking_applications(db.session, version_id)
    except services.AttestationError:
        require(False)


def _person_application(application_id: int) -> Application:
    application = db.get_or_404(Application, application_id)
    require(application.is_person)
    return application


@bp.get("/applications/<int:application_id>/admission")
@roles_required(*STAFF)
def admission(application_id: int):
    """The coordinator checks the prerequisites: answers and files per requirement, Admit or Return."""
    return pages.render_admission(_person_application(application_id))


@bp.post("/applications/<int:application_id>/admit")
@roles_required(*STAFF)
def admit(application_id: int):
    """Admit the candidate to the theory exam; the candidate is told by e-mail."""
    application = _person_application(application_id)
    if not forms.AdmitForm().validate_on_submit():
        return pages.render_admission(application, 422)
    return carry_out(
        lambda: services.admit(db.session, application, current_user),
        back_to=url_for("attestation.admission", application_id=application.id),
        done=_("The candidate is admitted to the theory exam and told by e-mail."),
    )


@bp.post("/applications/<int:application_id>/return")
@roles_required(*STAFF)
def return_for_completion(application_id: int):
    """Return the application with a reason per requirement; a refusal keeps what was typed."""
    application = _person_application(application_id)
    form = forms.return_form(standard_of(application), current_language())
    if not form.validate_on_submit():
        return pages.render_admission(application, 422, return_form=form)

    def refused(error):
        form.form_errors.append(error.message)
        return pages.render_admission(application, error.status, return_form=form)

    return carry_out(
        lambda: services.return_for_completion(db.session, application, current_user, form.reasons()),
        back_to=url_for("attestation.admission", application_id=application.id),
        done=_("The application is returned to the candidate, with the reasons, by e-mail."),
        refused=refused,
    )


@bp.get("/applications/<int:application_id>")
@login_required
def status(application_id: int):
    """Where the candidate stands: the exam window, the result, a retake, the review, the decision."""
    application = _person_application(application_id)
    require(can_view_application(current_user, application))
    return status_page.render_status(application)


@bp.post("/applications/<int:application_id>/retake")
@roles_required(*APPLYING_PERSONS)
def retake(application_id: int):
    """The candidate registers a retake of the theory exam, if the scheme's attempt rules allow it now."""
    application = _person_application(application_id)
    require(current_user.id == application.candidate_id)
    if not forms.RetakeForm().validate_on_submit():
        return status_page.render_status(application, 422)
    return carry_out(
        lambda: theory.register_retake(db.session, application, current_user),
        back_to=url_for("attestation.status", application_id=application.id),
        done=_("You are registered for the retake: start it from the exams page within your window."),
    )


@bp.post("/applications/<int:application_id>/theory-failed")
@roles_required(*STAFF)
def close_theory_failed(application_id: int):
    """A coordinator closes the application as not attested: the theory failed with no retake left."""
    application = _person_application(application_id)
    if not forms.CloseTheoryFailedForm().validate_on_submit():
        return pages.render_admission(application, 422)
    return carry_out(
        lambda: stages.close_theory_failed(db.session, application, current_user),
        back_to=url_for("attestation.admission", application_id=application.id),
        done=_("The application is closed as not attested; the candidate is told by e-mail."),
    )


# The CPD record and the renewal live in their own module, on this blueprint.
from certify.attestation import cpd_views  # noqa: E402, F401
