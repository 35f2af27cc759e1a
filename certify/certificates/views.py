"""Public verification, the registry, the PDF for its holder, and the coordinator's actions (the JSON API is
certify/api)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from certify.accounts.models import Role
from certify.certificates import issuance, lifecycle, lookups, publication, register, reports
from certify.certificates.forms import (
    NUMBER,
    NUMBER_MAX_LENGTH,
    STATUS_FORMS,
    CorrectionForm,
    LookupForm,
    PersonCorrectionForm,
    StatusChangeForm,
    UploadCheckForm,
    canonical_number,
    correction_form,
    status_forms,
)
from certify.certificates.models import Certificate, CertificateStatus
from certify.certificates.public import public_view
from certify.certificates.verify import verify_issued_pdf
from certify.extensions import db, limiter
from certify.questionnaire.models import Application
from certify.standards.attestation import StandardKind
from certify.storage import CERTIFICATES, REPORTS, storage
from certify.textmarks import N_
from certify.web.access import APPLYING_PERSONS, STAFF, is_applicant, is_staff, roles_required
from certify.web.actions import carry_out
from certify.web.caching import cached_publicly, rendered_for_anyone
from certify.web.i18n import address_language, current_language
from certify.web.urls import external_url

bp = Blueprint("certificates", __name__)

#: How long a shared cache may keep the verification page and the registry: a suspension or a revocation must
#: reach a verifier within minutes, and the status lists promise the same (their ttl), so the page and a
#: credential's status never disagree for longer than that.
PUBLIC_PAGE_FRESHNESS = publication.STATUS_LIST_TTL
#: The signed credential and the issuer's profile change only with the body's key: a certificate's status is
#: in the status lists, and a correction or a renewal is a new certificate under a new number.
SIGNED_DOCUMENT_FRESHNESS = timedelta(hours=1)

PAGE_SIZE = 20
STATUS_LABELS = {
    CertificateStatus.VALID: _l("valid"),
    CertificateStatus.SUSPENDED: _l("suspended"),
    CertificateStatus.REVOKED: _l("revoked"),
    CertificateStatus.EXPIRED: _l("expired"),
    CertificateStatus.SUPERSEDED: _l("superseded by a newer certificate"),
}
#: the registry's filter by kind
REGISTRY_KINDS = {
    StandardKind.ORGANISATION: _l("Certified organisations"),
    StandardKind.PERSON: _l("Attested cluster managers"),
}
#: the status each of the coordinator's buttons leads to
STATUS_AFTER = {
    "suspend": CertificateStatus.SUSPENDED,
    "reinstate": CertificateStatus.VALID,
    "revoke": CertificateStatus.REVOKED,
}
#: what the coordinator is told once a change is done
STATUS_DONE = {
    "suspend": N_("Certificate %(number)s is suspended."),
    "reinstate": N_("Certificate %(number)s is reinstated."),
    "revoke": N_("Certificate %(number)s is revoked."),
}


def _certificate(number: str) -> Certificate:
    """The certificate with this number; malformed numbers are refused before any query."""
    _check_format(number)
    return issuance.find(db.session, number) or abort(404)


def _check_format(number: str) -> None:
    if not _well_formed(number):
        abort(404)


def _well_formed(number: str) -> bool:
    return len(number) <= NUMBER_MAX_LENGTH and bool(NUMBER.match(number))


def _count_lookup(certificate: Certificate) -> None:
    if lookups.count_lookup(db.session, certificate, current_app.config["CERTIFY_LOOKUP_FLUSH_SECONDS"]):
        db.session.commit()


@bp.get("/verify/<number>")
@cached_publicly(PUBLIC_PAGE_FRESHNESS)
@limiter.limit("60 per minute")
def verify(number: str):
    """The public page a certificate's QR code points to; a number typed loosely leads to its own URL."""
    canonical = canonical_number(number)
    certificate = issuance.find(db.session, canonical) if _well_formed(canonical) else None
    if certificate is None:
        return _verify_page(LookupForm(formdata=None, number=number), UploadCheckForm(), not_found=number)
    if canonical != number:
        return redirect(url_for("certificates.verify", number=canonical, lang=address_language()), 301)
    _count_lookup(certificate)
    can_manage = current_user.is_authenticated and (
        is_staff(current_user) or is_applicant(current_user, _application_of(certificate))
    )
    # the page the QR code opens, scanned by anyone: rendered once per content and language (caching.py)
    return rendered_for_anyone(
        "certificates/verify.html", view=public_view(db.session, certificate), can_manage=can_manage
    )


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def verify_form():
    """Check a certificate by its number, or by uploading the PDF itself (hash and signature)."""
    lookup, upload = LookupForm(), UploadCheckForm()
    if request.method == "GET":
        return _verify_page(lookup, upload)
    if "number" in request.form:  # the number's form was sent, not the file's
        if not lookup.validate():
            return _verify_page(lookup, upload, status=422)
        if issuance.find(db.session, lookup.number.data) is None:
            return _verify_page(lookup, upload, not_found=lookup.number.data)
        return redirect(url_for("certificates.verify", number=lookup.number.data))
    if not upload.validate():
        return _verify_page(lookup, upload, status=422)
    result = verify_issued_pdf(upload.file.data.read(), [issuance.signing_key().certificate], _issued_sha256)
    certificate = issuance.find(db.session, result.number) if result.genuine else None
    return _verify_page(lookup, upload, result, certificate, 200 if result.genuine else 422)


def _issued_sha256(number: str) -> str | None:
    """The hash of the PDF stored when certificate `number` was issued (None: never issued here)."""
    return db.session.scalar(sa.select(Certificate.pdf_sha256).where(Certificate.number == number))


def _verify_page(lookup, upload, result=None, certificate=None, status: int = 200, not_found: str = ""):
    """The verification form with the result of a check: `not_found` is a number no certificate has (404)."""
    return render_template(
        "certificates/verify_upload.html",
        lookup=lookup,
        upload=upload,
        result=result,
        not_found=not_found,
        view=public_view(db.session, certificate) if certificate else None,
    ), 404 if not_found else status


@bp.get("/registry")
@cached_publicly(PUBLIC_PAGE_FRESHNESS)
def registry():
    """The public registry of certificates in force (organisations' and attested managers'), with search by
    name, filters by kind and level, and pagination."""
    filters = register.RegistryFilter.from_args(request.args)
    page = _page(register.registry(filters))
    return render_template(
        "certificates/registry.html",
        page=page,
        views=[public_view(db.session, c) for c in page.items],
        filters=filters,
        kinds=register.SUBJECT_KINDS,
        levels=register.levels_in_force(db.session),
        **_page_links(page, "certificates.registry"),
    )


def _page(statement) -> register.CertificatePage:
    """The page of a list of certificates the address asks for (`before` or `after` a certificate)."""
    cursors = {name: request.args.get(name, "") for name in ("before", "after")}
    return register.page_of(
        db.session, statement, per_page=PAGE_SIZE, **{k: int(v) for k, v in cursors.items() if v.isdigit()}
    )


def _page_links(page: register.CertificatePage, endpoint: str) -> dict:
    """The addresses of the newer and the older page, with the filters kept (None where there is none)."""
    kept = {k: v for k, v in request.args.items(multi=True) if k not in ("before", "after", "page")}
    return {
        "newer_url": url_for(endpoint, **kept, after=page.newer) if page.newer is not None else None,
        "older_url": url_for(endpoint, **kept, before=page.older) if page.older is not None else None,
    }


def _for_holder_or_staff(number: str) -> Certificate:
    """The certificate, for its holder and the certification body; 404 for anyone else.

    The holder is the applicant (`is_applicant`): the organisation's managers for an organisation's
    certificate, the candidate alone for a person's (not the managers of the candidate's organisation).
    """
    _check_format(number)
    # the application in the same query: this check runs on every download
    row = db.session.execute(
        sa.select(Certificate, Application)
        .join(Application, Application.id == Certificate.application_id)
        .where(Certificate.number == number)
    ).first()
    if row is None or not (is_staff(current_user) or is_applicant(current_user, row[1])):
        abort(404)
    return row[0]


def _application_of(certificate: Certificate) -> Application:
    return db.session.get(Application, certificate.application_id)


@bp.get("/certificates/<number>.pdf")
@login_required
def pdf(number: str):
    """The signed PDF, as issued: for the holder organisation's managers and the certification body."""
    certificate = _for_holder_or_staff(number)
    return storage().download(
        CERTIFICATES,
        certificate.pdf_name,
        mimetype="application/pdf",
        download_name=f"{certificate.number}.pdf",
        sha256=certificate.pdf_sha256,
    )


@bp.get("/certificates")
@roles_required(*STAFF)
def index():
    """Every certificate in any status, for the certification body: search, status, expiring soon."""
    filters = register.RegisterFilter.from_args(request.args)
    page = _page(register.matching(filters))
    return render_template(
        "certificates/index.html",
        page=page,
        filters=filters,
        statuses=list(CertificateStatus),
        kinds=register.SUBJECT_KINDS,
        **_page_links(page, "certificates.index"),
    )


@bp.get("/certificates/mine")
@roles_required(*APPLYING_PERSONS)
def mine():
    """The user's own attestations and their organisation's certificates (for a manager), in force or not."""
    organisation = current_user.organisation if current_user.has_role(Role.MANAGER) else None
    return render_template(
        "certificates/mine.html",
        attestations=register.of_person(db.session, current_user.id),
        certificates=register.of_organisation(db.session, organisation.id) if organisation else [],
        manager=current_user.has_role(Role.MANAGER),
    )


@bp.get("/certificates/<number>")
@login_required
def detail(number: str):
    """A certificate with its downloads, its revisions and history, and the coordinator's actions."""
    return _detail_page(_for_holder_or_staff(number))


def _detail_page(
    certificate: Certificate,
    form: CorrectionForm | PersonCorrectionForm | None = None,
    status_form: dict[str, StatusChangeForm] | None = None,
    status: int = 200,
):
    """The detail page; the form that was sent (`status_form`: by its action) comes back with its errors,
    the others fresh."""
    coordinator = current_user.has_role(Role.COORDINATOR)
    return render_template(
        "certificates/detail.html",
        certificate=certificate,
        view=public_view(db.session, certificate),
        revisions=register.revisions_of(db.session, certificate),
        # a person's: the organisations' assessments naming their attestation as the head's
        led=register.assessments_led(db.session, certificate) if certificate.is_person else [],
        staff=is_staff(current_user),
        history=register.history_of(db.session, certificate) if is_staff(current_user) else [],
        changes=lifecycle.offered_changes(certificate) if coordinator else frozenset(),
        # an organisation's assessment report; a person's written conclusion comes with their decision
        report_offered=not certificate.is_person,
        # an organisation's yearly results (docs/monitoring.md): its reports' figures against its peers
        holder_id=None
        if certificate.is_person
        else db.session.get(Application, certificate.application_id).organisation_id,
        # formdata=None: a form that was not sent must not pick up the other one's fields (all have `reason`)
        form=form or correction_form(certificate, formdata=None, obj=certificate),
        status_forms=status_forms(status_form),
    ), status


@bp.post("/certificates/<number>/correct")
@roles_required(Role.COORDINATOR)
def correct(number: str):
    """Re-issue the certificate with corrected names under a new number that supersedes it."""
    certificate = _certificate(number)
    form = correction_form(certificate)
    if not form.validate_on_submit():
        return _detail_page(certificate, form, status=422)
    return carry_out(
        lambda: lifecycle.correct_certificate(
            db.session, certificate, current_user, form.data, form.reason.data
        ),
        back_to=url_for("certificates.detail", number=number),
        success_to=lambda corrected: url_for("certificates.detail", number=corrected.number),
        done=lambda corrected: _(
            "Certificate %(number)s is issued; it supersedes %(old)s.", number=corrected.number, old=number
        ),
        refused=lambda error: _refused_correction(certificate, form, error),
    )


def _refused_correction(certificate: Certificate, form: CorrectionForm | PersonCorrectionForm, error):
    """The detail page again with the names as typed, and why no certificate was issued."""
    flash(error.message, "danger")
    return _detail_page(certificate, form, status=error.status)


@bp.post("/certificates/<number>/<any(suspend, reinstate, revoke):action>")
@roles_required(Role.COORDINATOR)
def change_status(number: str, action: str):
    """Suspend (reversible), reinstate, or revoke (final, once confirmed), each with its own reason.

    A form refused comes back in place with the reason as typed; the message names what was done.
    """
    certificate = _certificate(number)
    form = STATUS_FORMS[action]()
    if not form.validate_on_submit():
        return _detail_page(certificate, status_form={action: form}, status=422)
    return carry_out(
        lambda: lifecycle.change_status(
            db.session, certificate, current_user, STATUS_AFTER[action], form.reason.data
        ),
        back_to=url_for("certificates.detail", number=number),
        done=_(STATUS_DONE[action], number=number),
    )


@bp.get("/applications/<int:application_id>/report.pdf")
@login_required
def report(application_id: int):
    """The assessment report PDF as stored with the decision: for the applicant's managers and the body."""
    download = reports.download_of(db.session, application_id, current_user)
    if download is None or not (is_staff(current_user) or is_applicant(current_user, download.application)):
        abort(404)
    if download.kept_blind:  # staff still scoring it (an appeal) read no scores
        abort(404)
    try:
        stored = reports.stored_report(db.session, download)
    except issuance.CertificateError as error:
        flash(error.message, "danger")
        return render_template("errors/generic.html", code=error.status), error.status
    db.session.commit()  # a report decided before reports were stored is stored at its first download
    return storage().download(
        REPORTS,
        stored.name,
        mimetype="application/pdf",
        download_name=stored.download_name,
        sha256=stored.sha256,
    )


@bp.get("/certificates/<number>.json")
@cached_publicly(SIGNED_DOCUMENT_FRESHNESS)
@limiter.limit("60 per minute")
def credential(number: str):
    """The certificate as a signed Open Badges 3.0 credential (W3C VC 2.0, eddsa-jcs-2022 proof)."""
    return _credential_response(publication.credential_of(db.session, _certificate(number)))


@bp.get("/credentials/status/<any(revocation, suspension):purpose>")
@cached_publicly(publication.STATUS_LIST_TTL)
def status_list(purpose: str):
    """The W3C Bitstring Status List: a verifier fetches the whole list, so nobody learns which it checks."""
    document = publication.status_list(db.session, purpose)
    response = _credential_response(document)
    response.set_etag(_status_list_tag(document), weak=True)
    return response


def _status_list_tag(document: dict) -> str:
    """What a status list states, without the moment it was signed (a weak validator, RFC 9110 §8.8.1).

    Each answer is signed anew, so no two bodies are alike; a list with the same bits under the same key
    says the same, and a verifier revalidating keeps the signed copy it has.
    """
    statement = {name: value for name, value in document.items() if name not in ("validFrom", "proof")}
    signed_by = publication.issuer_profile()  # with the public key: a new key is a new list
    return hashlib.sha256(json.dumps([statement, signed_by], sort_keys=True).encode()).hexdigest()


@bp.get("/credentials/issuer")
@cached_publicly(SIGNED_DOCUMENT_FRESHNESS)
def issuer_profile():
    """The issuer's Open Badges Profile with the public key (Multikey) that verifies its credentials."""
    return _credential_response(publication.issuer_profile(), "application/json")


def _credential_response(document: dict, mimetype: str = "application/vc"):
    # application/vc: the media type VC Data Model 2.0 registers for credentials with embedded proofs
    response = current_app.response_class(
        json.dumps(document, ensure_ascii=False, indent=2), mimetype=mimetype
    )
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers in browsers fetch these too
    return response


VERIFICATION_REASONS = {
    "too_large": _l("The file is too large to be a certificate."),
    "not_a_pdf": _l("The file is not a PDF document."),
    "no_signature": _l("The PDF carries no signature: it is not a certificate issued here."),
    "modified_after_signing": _l("The PDF has been changed after it was signed: it is not genuine."),
    "signature_invalid": _l("The signature does not match the content: the PDF is not genuine."),
    "untrusted_signer": _l("The PDF is signed by someone other than the certification body."),
    "not_issued_here": _l(
        "The file is signed by the certification body, but it is not a certificate issued here."
    ),
}


def kind_label(view: dict) -> str:
    """Which kind of certificate a public view is: «Сертификат организации», or the name of a person's
    document («Аттестат кластерного менеджера»), in the reader's language."""
    if view["person"] is None:
        return _("Organisation certificate")
    return view["document"]["en" if current_language() == "en" else "ru"]


@bp.app_context_processor
def certificate_helpers():
    return {
        "certificate_kind_label": kind_label,
        "registry_kind_label": lambda kind: REGISTRY_KINDS[StandardKind(kind)],
        "verification_reason": lambda reason: VERIFICATION_REASONS.get(
            reason, VERIFICATION_REASONS["signature_invalid"]
        ),
        "certificate_status_label": lambda status: STATUS_LABELS[CertificateStatus(status)],
        "certificate_status": issuance.status_of,
        # the addresses people share are on PUBLIC_URL, the address the QR code prints
        "public_url": external_url,
    }
