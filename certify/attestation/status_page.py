"""The candidate's attestation page: where they are after admission, as the view renders it.

Admitted: the exam window and the link to the exam; then the result, a retake if the scheme allows one,
the practical part under review, the commission's decision with its written conclusion (the PDF stored
with the decision) and (once issued) the certificate's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for
from flask_babel import format_date, gettext
from flask_login import current_user

from certify.attestation import forms, stages
from certify.attestation.retakes import WINDOW_ENDS
from certify.certificates import reports
from certify.extensions import db
from certify.questionnaire.models import Application
from certify.questionnaire.pages import Part, pages_of
from certify.questionnaire.services import standard_of
from certify.questionnaire.subject import subject_of
from certify.transitions import allowed
from certify.web.i18n import current_language
from certify.workflow import Action


def render_status(application: Application, status: int = 200):
    """The candidate's stage, their theory attempts and what they may do next."""
    stage = stages.stage_of(db.session, application)
    retake = stage.theory.retake
    actions = allowed(db.session, current_user, application)
    return render_template(
        "attestation/status.html",
        application=application,
        subject=subject_of(application, current_language()),
        stage=stage,
        stage_label=gettext(stages.STAGE_LABELS[stage.key]),
        retake_note=_retake_note(retake),
        may_retake=retake is not None
        and retake.allowed_today
        and current_user.id == application.candidate_id,
        may_appeal=Action.APPEAL in actions,
        practical_url=_practical_url(application, actions),
        clarification_asked=Action.ANSWER_CLARIFICATION in actions,
        retake_form=forms.RetakeForm(formdata=None),
        certificate_url=_certificate_url(stage.decision),
        conclusion=_conclusion(application, stage.decision),
        # the written conclusion's PDF, stored with the decision (certify.certificates.reports)
        conclusion_label=gettext(reports.document_of(application).label),
    ), status


def _practical_url(application: Application, actions) -> str | None:
    """The practical part's first page, while the candidate may fill and submit it."""
    if Action.SUBMIT_PRACTICAL not in actions:
        return None
    first = pages_of(standard_of(application), Part.PRACTICAL)[0]
    return url_for("questionnaire.page", application_id=application.id, page_key=first.key)


@dataclass(frozen=True)
class Conclusion:
    #: (competence area's title, the commission's result in it)
    areas: list[tuple[str, str]]
    recommendations: str


def _conclusion(application: Application, decision) -> Conclusion | None:
    """The commission's written conclusion, its areas titled in the reader's language."""
    if decision is None or not decision.conclusion:
        return None
    language = current_language()
    written = decision.conclusion.get("areas", {})
    areas = [
        (a.title.get(language), written[a.id]) for a in standard_of(application).areas if a.id in written
    ]
    return Conclusion(areas, decision.conclusion.get("recommendations", ""))


def _retake_note(retake) -> str | None:
    """Why a retake is not possible today, with the day it is; None when it is, or no retake is due."""
    if retake is None or retake.allowed_today:
        return None
    template = WINDOW_ENDS if retake.exhausted else retake.refusal
    shown = {k: format_date(v, "long") if hasattr(v, "isoformat") else v for k, v in retake.params.items()}
    return gettext(template) % shown


def _certificate_url(decision) -> str | None:
    """The certificate's page once one is issued on the decision (certify.certificates)."""
    if decision is None or not decision.chosen_level:
        return None
    from certify.certificates.issuance import latest_for_decision

    certificate = latest_for_decision(db.session, decision.id)
    if certificate is None:
        return None
    return url_for("certificates.detail", number=certificate.number)
