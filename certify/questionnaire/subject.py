"""Who applies, as pages and documents name them: an organisation, or a person (issue 16).

Every page that shows an application's subject asks here, so a person's application reads "Attestation
of a person" with the candidate's name wherever an organisation's shows the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext

from certify.questionnaire.models import Application
from certify.textmarks import N_

ORGANISATION_KIND = N_("Certification of an organisation")
PERSON_KIND = N_("Attestation of a person")


@dataclass(frozen=True)
class Subject:
    """The applicant as a reader of `language` sees them."""

    #: what the application is, in the reader's language
    kind: str
    name: str
    #: the line under the name: an organisation's region, a person's organisation ("" without one)
    detail: str
    is_person: bool


def subject_of(application: Application, language: str) -> Subject:
    """The application's subject: the candidate for a person's application, else the organisation."""
    organisation = application.organisation
    if application.is_person:
        return Subject(
            gettext(PERSON_KIND),
            application.candidate.full_name(language),
            organisation.name(language) if organisation is not None else "",
            True,
        )
    return Subject(gettext(ORGANISATION_KIND), organisation.name(language), organisation.region, False)


def staff_page(application: Application) -> str:
    """Where the certification body works on the application: a person's admission, an organisation's team."""
    endpoint = "attestation.admission" if application.is_person else "review.team"
    return url_for(endpoint, application_id=application.id)
