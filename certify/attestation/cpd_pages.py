"""The CPD record and the renewal as their views render them, the rule's results computed here.

A page shown again after a refusal is rendered by the same function, with the form as typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext
from flask_login import current_user

from certify.attestation import cpd, forms, renewal, services
from certify.attestation.cpd_rules import CpdTally
from certify.attestation.models import CpdEntry
from certify.attestation.pages import scheme_view
from certify.certificates.issuance import status_of
from certify.certificates.models import Certificate
from certify.extensions import db
from certify.questionnaire.models import Application
from certify.standards.attestation import RenewalRoute
from certify.textmarks import N_
from certify.transitions import allowed
from certify.web.i18n import current_language
from certify.workflow import Action

#: what the route the record gives today means for the holder
ROUTE_LABELS = {
    RenewalRoute.CPD: N_("The CPD rule is met: the attestation is renewed without a new theory exam."),
    RenewalRoute.EXAM: N_("The CPD rule is not met yet: renewal needs the theory exam again."),
    None: N_(
        "The CPD rule is not met, and this scheme renews only on CPD: without the hours the attestation "
        "lapses."
    ),
}
#: the coordinator's admission of a renewal, by the route its record gives
ADMIT_LABELS = {
    RenewalRoute.CPD: N_("Confirm the CPD record and admit without a new theory exam"),
    RenewalRoute.EXAM: N_("Admit to the theory exam (the CPD rule is not met)"),
}
#: what the coordinator confirmed at the admission of a renewal
CONFIRMED_LABELS = {
    RenewalRoute.CPD: N_("Admitted on the CPD record (%(hours)s hours counted): no new theory exam."),
    RenewalRoute.EXAM: N_("Admitted to the theory exam: the CPD rule was not met."),
}


@dataclass(frozen=True)
class KindRow:
    name: str
    recorded: object
    counted: object
    #: the kind's cap, None without one
    cap: int | None
    capped: bool


@dataclass(frozen=True)
class Record:
    """The CPD record of one attestation, as its page and the renewal's admission show it."""

    certificate: Certificate
    entries: list[CpdEntry]
    kind_names: dict[str, str]
    kinds: list[KindRow]
    tally: CpdTally
    route_label: str


def record_of(certificate: Certificate) -> Record:
    language = current_language()
    rules = cpd.recertification_of(db.session, certificate)
    tallied = cpd.cpd_tally(db.session, certificate)
    rows = [
        KindRow(k.kind.name.get(language), k.recorded, k.counted, k.kind.max_hours, k.capped)
        for k in tallied.kinds
    ]
    return Record(
        certificate,
        cpd.entries_of(db.session, certificate),
        {kind.id: kind.name.get(language) for kind in rules.cpd_kinds},
        rows,
        tallied,
        gettext(ROUTE_LABELS[tallied.route]),
    )


def entry_form(certificate: Certificate, *, new: bool, **kwargs):
    rules = cpd.recertification_of(db.session, certificate)
    return forms.cpd_entry_form(rules, current_language(), new=new, **kwargs)


def render_record(certificate: Certificate, form=None, status: int = 200):
    """The record: the hours per kind against the caps, the total against the requirement, the route
    today, the entries; for the holder, while it may change, the form to add one."""
    changeable = cpd.may_change(db.session, certificate, current_user)
    return render_template(
        "attestation/cpd_record.html",
        record=record_of(certificate),
        status=status_of(certificate),
        holder=cpd.holder_id(db.session, certificate) == current_user.id,
        changeable=changeable,
        locked=cpd.record_locked(db.session, certificate),
        form=form or entry_form(certificate, new=True, formdata=None),
        delete_form=forms.DeleteCpdForm(formdata=None),
        renewable=renewal.why_not_renewable(db.session, certificate) is None,
    ), status


def render_edit(entry: CpdEntry, form=None, status: int = 200):
    """One entry's form, filled with the entry (or as typed after a refusal)."""
    return render_template(
        "attestation/cpd_entry.html",
        entry=entry,
        certificate=entry.certificate,
        form=form or entry_form(entry.certificate, new=False, formdata=None, obj=entry),
    ), status


def render_renewal(certificate: Certificate, form=None, status: int = 200):
    """The renewal: the record's route, why it cannot start if it cannot, and the current version's
    consent with the box to tick."""
    schemes = services.published_schemes(db.session)
    version = next((v for v in schemes if v.code == certificate.standard_code), None)
    return render_template(
        "attestation/renewal.html",
        certificate=certificate,
        record=record_of(certificate),
        refusal=renewal.why_not_renewable(db.session, certificate),
        scheme=scheme_view(version, current_language()) if version is not None else None,
        holder=cpd.holder_id(db.session, certificate) == current_user.id,
        form=form or forms.RenewalForm(formdata=None),
    ), status


@dataclass(frozen=True)
class RenewalCheck:
    """A renewal as the coordinator admits it: the attestation renewed, its record, the admit label."""

    record: Record
    route: RenewalRoute | None
    confirmed: str | None
    admit_label: str | None


def renewal_check(application: Application) -> RenewalCheck | None:
    """The renewal's part of the admission page; None for a first attestation."""
    row = renewal.renewal_of(db.session, application)
    if row is None:
        return None
    record = record_of(row.certificate)
    route = record.tally.route
    label = (
        ADMIT_LABELS.get(route) if Action.ADMIT in allowed(db.session, current_user, application) else None
    )
    confirmed = (
        gettext(CONFIRMED_LABELS[RenewalRoute(row.route)], hours=row.counted_hours) if row.route else None
    )
    return RenewalCheck(record, route, confirmed, gettext(label) if label else None)


def render_renewal_check(application: Application, status: int = 200):
    """The coordinator's page of a renewal: the record it carries and the admission by its route."""
    return render_template(
        "attestation/renewal_check.html",
        application=application,
        renewal=renewal_check(application),
        admit_form=forms.AdmitForm(formdata=None),
    ), status
