"""The JSON Schemas of the API's answers (the OpenAPI document's `components.schemas`), as plain dicts.

Enumerations are read from the code that defines them (statuses, states, kinds), so the document cannot
fall behind a new value. Every object lists all its properties as required and no others: the schemathesis
run then fails on any field an answer adds or drops without the document saying so.
"""

from __future__ import annotations

from certify.api.pagination import MAX_LIMIT
from certify.api.statistics import HIDDEN, THRESHOLD
from certify.certificates.models import CertificateStatus
from certify.monitoring.aggregates import Breakdown
from certify.standards.attestation import StandardKind
from certify.standards.models import StandardStatus
from certify.textmarks import N_
from certify.workflow.states import State

TEXT = {"type": "string"}
BREAKDOWNS = tuple(breakdown.value for breakdown in Breakdown)
DAY = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def record(description: str, properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    """An object with exactly these properties, all required but `optional`."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def page(description: str, item: str) -> dict:
    return record(
        description,
        {
            "items": {"type": "array", "items": ref(item)},
            "total": {"type": "integer", "minimum": 0, "description": N_("Rows in the whole list.")},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            "next": nullable(
                {"type": "string", "format": "uri", "description": N_("The next page; null on the last.")}
            ),
            "page": {
                "type": "integer",
                "minimum": 1,
                "deprecated": True,
                "description": N_("Only on a first or numbered page."),
            },
            "pages": {
                "type": "integer",
                "minimum": 0,
                "deprecated": True,
                "description": N_("Only on a first or numbered page."),
            },
        },
        optional=("page", "pages"),
    )


NAMES = record(N_("A name in Russian and in English."), {"ru": TEXT, "en": TEXT})
LEVEL = record(N_("A level of the standard: its id and names."), {"id": TEXT, "ru": TEXT, "en": TEXT})
STANDARD_REF = record(N_("A standard version: code and version."), {"code": TEXT, "version": TEXT})
COUNT = {
    "anyOf": [{"type": "integer", "minimum": THRESHOLD}, {"const": HIDDEN}],
    "description": N_('A count; from 1 to 4 it is written "<5", so that no organisation can be picked out.'),
}
CERTIFICATE_PROPERTIES = {
    "number": {"type": "string", "description": N_("As printed, e.g. CMQ-2026-000001.")},
    "status": {"enum": [status.value for status in CertificateStatus]},
    "in_force": {"type": "boolean", "description": N_("May the holder rely on it today?")},
    "subject_kind": {
        "enum": [kind.value for kind in StandardKind],
        "description": N_("Who is certified: an organisation, or a person (an attested manager)."),
    },
    "document": ref("Names"),
    "person": nullable(ref("Names")),
    "holder": ref("Names"),
    "organisation": {
        **ref("Names"),
        "description": N_("Empty on a person's attestation unless the person agreed to show it."),
    },
    "cluster": ref("Names"),
    "region": TEXT,
    "standard": {"type": "string", "description": N_('Code and version, e.g. "cmq 1.0".')},
    "level": ref("Level"),
    "areas_passed": {
        "type": "array",
        "items": ref("Area"),
        "description": N_("A person's competence areas passed (empty for an organisation)."),
    },
    "issued_on": DAY,
    "expires_on": DAY,
    "status_reason": {"type": "string", "description": N_("Why it was revoked or suspended; else empty.")},
    "status_changed_on": nullable(DAY),
    "superseded_by": nullable(
        {"type": "string", "description": N_("The number of the certificate that replaced it.")}
    ),
}

SCHEMAS = {
    "Problem": {
        "type": "object",
        "description": N_("An error (RFC 9457)."),
        "properties": {
            "type": {"type": "string", "format": "uri-reference"},
            "title": TEXT,
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": TEXT,
            "instance": {"type": "string", "format": "uri-reference"},
            "parameter": {"type": "string", "description": N_("The query parameter that was refused.")},
            "scope": {"type": "string", "description": N_("The scope the token lacks.")},
        },
        "required": ["type", "title", "status", "detail", "instance"],
    },
    "Names": NAMES,
    "Level": LEVEL,
    "Area": record(
        N_("A competence area of a personal scheme: its id and names."), {"id": TEXT, "ru": TEXT, "en": TEXT}
    ),
    "StandardRef": STANDARD_REF,
    "Certificate": record(N_("A certificate as the public sees it."), CERTIFICATE_PROPERTIES),
    "CertificatePage": page(N_("A page of certificates."), "Certificate"),
    "OwnCertificate": record(
        N_("A certificate of the token's owner, and the application it was issued on."),
        {**CERTIFICATE_PROPERTIES, "application_id": {"type": "integer"}},
    ),
    "OwnCertificatePage": page(N_("A page of the owner's certificates."), "OwnCertificate"),
    "Standard": record(
        N_("A published or retired standard version."),
        {
            "code": TEXT,
            "version": TEXT,
            "kind": {"enum": [kind.value for kind in StandardKind]},
            "status": {"enum": [StandardStatus.PUBLISHED.value, StandardStatus.RETIRED.value]},
            "current": {"type": "boolean", "description": N_("New applications start on it.")},
            "title": ref("Names"),
            "published_at": nullable(MOMENT),
            "url": {"type": "string", "format": "uri"},
        },
    ),
    "StandardDefinition": record(
        N_("A standard version's whole definition, as in its YAML file."),
        {
            "status": {"enum": [StandardStatus.PUBLISHED.value, StandardStatus.RETIRED.value]},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "definition": {"type": "object", "description": N_("The definition (docs/standard.md).")},
        },
    ),
    "Application": record(
        N_("An application of the token's owner, as its applicant sees it on the site."),
        {
            "id": {"type": "integer"},
            "kind": {"enum": ["organisation", "person"]},
            "state": {"enum": [state.value for state in State]},
            "standard": ref("StandardRef"),
            "started_at": MOMENT,
            "submitted_at": nullable(MOMENT),
            "decided_at": nullable(MOMENT),
            "level": nullable(
                {"type": "string", "description": N_("The level certified at by the latest decision.")}
            ),
        },
    ),
    "ApplicationPage": page(N_("A page of the owner's applications."), "Application"),
    "MonitoringAggregates": record(
        N_(
            "Totals and medians of the accepted yearly reports per year, region and green field; a cell of "
            "fewer organisations than min_organisations, or one that could be worked out from the others, "
            "is withheld (docs/monitoring.md)."
        ),
        {
            "min_organisations": {"type": "integer"},
            "figures": {
                "type": "array",
                "items": record(
                    N_("A figure totalled: its KPI, name and unit."),
                    {"kpi": TEXT, "name": NAMES, "unit": NAMES},
                ),
            },
            "years": {
                "type": "array",
                "items": record(
                    N_("One year's cells, by breakdown."),
                    {
                        "year": {"type": "integer"},
                        "breakdowns": record(
                            N_("The year as a whole, each region and each green field."),
                            {name: {"type": "array", "items": ref("MonitoringCell")} for name in BREAKDOWNS},
                        ),
                    },
                ),
            },
        },
    ),
    "MonitoringCell": record(
        N_("One figure in one year and group; total and median are null when withheld."),
        {
            "group": nullable(TEXT),
            "kpi": TEXT,
            "organisations": {"type": "integer", "minimum": 0},
            "total": nullable(TEXT),
            "median": nullable(TEXT),
            "withheld": {"type": "boolean"},
        },
    ),
    "Statistics": record(
        N_("Public aggregate figures."),
        {
            "as_of": DAY,
            "threshold": {"const": THRESHOLD},
            "certificates_in_force": {
                "type": "array",
                "items": record(
                    N_("Certificates in force of one standard version and level."),
                    {"standard": ref("StandardRef"), "level": ref("Level"), "count": COUNT},
                ),
            },
            "decided_applications": {
                "type": "array",
                "items": record(
                    N_("Applications first decided in one year (UTC)."),
                    {"year": {"type": "integer"}, "count": COUNT},
                ),
            },
        },
    ),
}
