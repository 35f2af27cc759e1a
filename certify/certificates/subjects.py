"""What a certificate states about who is certified: an organisation, or a person (issue 16).

An organisation's certificate states the specialised organisation of the cluster and no person: the
manager who submitted the application need not be the organisation's head. A person's attestation states
the candidate, the document's name from the scheme («Аттестат кластерного менеджера») and the competence
areas passed; their organisation is stored, and public only with their separate consent.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from certify.questionnaire.models import Application
from certify.review.comparison import appeal_outcome, consensus_outcome
from certify.review.models import Decision
from certify.standards.attestation import StandardKind
from certify.standards.definition import Level, Standard

ORGANISATION = StandardKind.ORGANISATION.value
PERSON = StandardKind.PERSON.value
#: an organisation standard names no document of its own; its certificate is one of conformity
ORGANISATION_DOCUMENT = ("Сертификат соответствия", "Certificate of conformity")

#: the stated names a correction may change, by subject kind; level, score and standard come from the decision
CORRECTABLE = {
    ORGANISATION: (
        "organisation_name_ru",
        "organisation_name_en",
        "cluster_name_ru",
        "cluster_name_en",
        "region",
    ),
    PERSON: ("holder_name_ru", "holder_name_en", "organisation_name_ru", "organisation_name_en"),
}
#: the names a correction may not leave empty: a person need not have an organisation
REQUIRED = {ORGANISATION: CORRECTABLE[ORGANISATION], PERSON: ("holder_name_ru", "holder_name_en")}
#: what the registry's visitors search for, as long as it is public (a person's organisation is not always)
SEARCHED = {
    ORGANISATION: ("number", *CORRECTABLE[ORGANISATION], "holder_name_ru", "holder_name_en"),
    PERSON: ("number", "holder_name_ru", "holder_name_en"),
}


def organisation_stated(application: Application) -> dict:
    """The organisation's names, cluster and region, and the certificate's name; no person at all."""
    organisation = application.organisation
    return {
        "subject_kind": ORGANISATION,
        "document_name_ru": ORGANISATION_DOCUMENT[0],
        "document_name_en": ORGANISATION_DOCUMENT[1],
        "holder_name_ru": "",
        "holder_name_en": "",
        "organisation_name_ru": organisation.name_ru,
        "organisation_name_en": organisation.name_en,
        "cluster_name_ru": organisation.cluster_name_ru,
        "cluster_name_en": organisation.cluster_name_en,
        "region": organisation.region,
        "country": organisation.country,
        "areas_passed": [],
        "organisation_public": True,
    }


def person_stated(
    application: Application, standard: Standard, level: Level, scores: Mapping[str, Decimal | None]
) -> dict:
    """The candidate, the scheme's document name and the competence areas passed at `level`, judged on
    the area `scores` of the outcome decided on (`decided_areas`).

    The candidate's organisation is stored as it is at issuance, but not published: the application has
    no consent to show it yet (cma 1.0's consent text promises the organisation only with a separate one).
    """
    candidate, organisation = application.candidate, application.organisation
    return {
        "subject_kind": PERSON,
        "document_name_ru": standard.attestation.document.ru,
        "document_name_en": standard.attestation.document.en,
        "holder_name_ru": candidate.full_name_ru,
        "holder_name_en": candidate.full_name_en or candidate.full_name_ru,
        "organisation_name_ru": organisation.name_ru if organisation else "",
        "organisation_name_en": organisation.name_en if organisation else "",
        "cluster_name_ru": "",
        "cluster_name_en": "",
        "region": "",
        "country": "",
        "areas_passed": areas_passed(standard, level, scores),
        "organisation_public": False,
    }


def decided_areas(session, application: Application, decision: Decision) -> dict | None:
    """Area id -> score (None: not scored) of the outcome the decision was taken on, by the scoring engine;
    None when no scores were recorded.

    The consensus for a first decision, the appeal's review for a decision on appeal (its panel's
    consensus, or its one assessor's scores), exactly as `certify.review.decisions` and
    `certify.review.appeals` compute them.
    """
    if decision.on_appeal:
        outcome = appeal_outcome(session, application)
    else:
        outcome = consensus_outcome(session, application)
    if outcome is None:
        return None
    return {area_id: area.score for area_id, area in outcome.areas.items()}


def areas_passed(standard: Standard, level: Level, scores: Mapping[str, Decimal | None]) -> list[dict]:
    """The areas whose score met the level's area minimum, in the scheme's order, named in both languages."""
    return [
        {"id": area.id, "ru": area.title.ru, "en": area.title.en}
        for area in standard.areas
        if scores.get(area.id) is not None and scores[area.id] >= level.min_area
    ]


def search_text(certificate) -> str:
    """The registry's search text: only what the public pages show, case-folded (any script)."""
    fields = SEARCHED[certificate.subject_kind]
    if certificate.subject_kind == PERSON and certificate.organisation_public:
        fields = (*fields, "organisation_name_ru", "organisation_name_en")
    fields = (*fields, "level_name_ru", "level_name_en")
    return " ".join(getattr(certificate, field) for field in fields if getattr(certificate, field)).casefold()
