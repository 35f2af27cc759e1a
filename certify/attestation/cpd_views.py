"""The holder's CPD record and the renewal of their attestation, on the attestation's blueprint.

The holder (the person the attestation was issued to) records, edits and deletes entries and starts the
renewal; the certification body's staff see the record and, for a renewal, the record it carries at its
admission. Anyone else gets 404, as for the certificate itself.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from certify.attestation import cpd, cpd_pages, forms, renewal
from certify.attestation.models import CpdEntry
from certify.attestation.views import bp
from certify.certificates.issuance import find
from certify.certificates.models import Certificate
from certify.extensions import db
from certify.questionnaire import evidence
from certify.questionnaire.models import Application
from certify.web.access import APPLYING_PERSONS, STAFF, is_applicant, is_staff, require, roles_required
from certify.web.actions import carry_out


def _attestation(number: str, *, change: bool = False) -> Certificate:
    """A person's attestation for its holder (and, to read, the certification body); else 404."""
    certificate = find(db.session, number)
    require(certificate is not None and certificate.is_person)
    application = db.session.get(Application, certificate.application_id)
    holder = is_applicant(current_user, application)
    require(holder or (not change and is_staff(current_user)))
    return certificate


def _entry(number: str, entry_id: int) -> CpdEntry:
    certificate = _attestation(number, change=True)
    entry = db.get_or_404(CpdEntry, entry_id)
    require(entry.certificate_id == certificate.id)
    return entry


def _record_url(number: str) -> str:
    return url_for("attestation.cpd_record", number=number)


@bp.get("/certificates/<number>/cpd")
@login_required
def cpd_record(number: str):
    """The CPD record of an attestation: hours per kind and in all against the rule, the route today."""
    return cpd_pages.render_record(_attestation(number))


@bp.post("/certificates/<number>/cpd")
@roles_required(*APPLYING_PERSONS)
def record_cpd(number: str):
    """The holder adds an entry with its evidence file; a refusal keeps what was typed."""
    certificate = _attestation(number, change=True)
    form = cpd_pages.entry_form(certificate, new=True)
    if not form.validate_on_submit():
        return cpd_pages.render_record(certificate, form, 422)
    upload = form.file.data
    return carry_out(
        lambda: cpd.record_entry(
            db.session, certificate, current_user, form.fields(), upload.stream, upload.filename
        ),
        back_to=_record_url(number),
        done=_("The entry is added to your CPD record."),
        refused=lambda error: _refused(certificate, form, error),
    )


@bp.get("/certificates/<number>/cpd/<int:entry_id>")
@roles_required(*APPLYING_PERSONS)
def edit_cpd(number: str, entry_id: int):
    """One entry's form, to change it while the record may change."""
    return cpd_pages.render_edit(_entry(number, entry_id))


@bp.post("/certificates/<number>/cpd/<int:entry_id>")
@roles_required(*APPLYING_PERSONS)
def update_cpd(number: str, entry_id: int):
    """Save the changed entry (and its new file, if one is chosen); the replaced file goes once committed."""
    entry = _entry(number, entry_id)
    form = cpd_pages.entry_form(entry.certificate, new=False)
    if not form.validate_on_submit():
        return cpd_pages.render_edit(entry, form, 422)
    upload = form.file.data
    return carry_out(
        lambda: cpd.update_entry(
            db.session,
            entry,
            current_user,
            form.fields(),
            upload.stream if upload else None,
            upload.filename if upload else "",
        ),
        back_to=_record_url(number),
        done=_("The entry is saved."),
        refused=lambda error: _refused_edit(entry, form, error),
        then=evidence.discard_evidence,
    )


@bp.post("/certificates/<number>/cpd/<int:entry_id>/delete")
@roles_required(*APPLYING_PERSONS)
def delete_cpd(number: str, entry_id: int):
    """Delete an entry; its file is deleted once the deletion is committed."""
    entry = _entry(number, entry_id)
    if not forms.DeleteCpdForm().validate_on_submit():
        return cpd_pages.render_record(entry.certificate, status=422)
    return carry_out(
        lambda: cpd.delete_entry(db.session, entry, current_user),
        back_to=_record_url(number),
        done=_("The entry is deleted."),
        then=evidence.discard_evidence,
    )


def _refused(certificate, form, error):
    form.form_errors.append(error.message)
    return cpd_pages.render_record(certificate, form, error.status)


def _refused_edit(entry, form, error):
    form.form_errors.append(error.message)
    return cpd_pages.render_edit(entry, form, error.status)


@bp.get("/certificates/<number>/renewal")
@login_required
def renewal_page(number: str):
    """The renewal of an attestation: the route the CPD record gives, or why it cannot be renewed."""
    return cpd_pages.render_renewal(_attestation(number))


@bp.post("/certificates/<number>/renewal")
@roles_required(*APPLYING_PERSONS)
def start_renewal(number: str):
    """The holder starts the renewal, the current version's consent ticked: the draft opens pre-filled."""
    certificate = _attestation(number, change=True)
    form = forms.RenewalForm()
    if not form.validate_on_submit():
        return cpd_pages.render_renewal(certificate, form, 422)

    def refused(error):
        form.form_errors.append(error.message)
        return cpd_pages.render_renewal(certificate, form, error.status)

    return carry_out(
        lambda: renewal.start_renewal(db.session, certificate, current_user, consent=form.consent.data),
        back_to=url_for("attestation.renewal_page", number=number),
        success_to=lambda application: url_for("questionnaire.summary", application_id=application.id),
        done=_("Your renewal is open, pre-filled from your earlier application: check it and submit it."),
        refused=refused,
    )


@bp.get("/applications/<int:application_id>/renewal")
@roles_required(*STAFF)
def renewal_check(application_id: int):
    """The coordinator's view of a renewal: the CPD record it carries, and its admission by that route."""
    application = db.get_or_404(Application, application_id)
    require(renewal.renewal_of(db.session, application) is not None)
    return cpd_pages.render_renewal_check(application)
