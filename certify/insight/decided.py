"""The decided applications the statistics and the applications export count, read batch by batch.

An application counts once it is decided (certified or not certified: a decision, first or on appeal,
stands), on one version of the standard, with the decision that stands (the latest) and the consensus the
review recorded. Its assessed figures are the consensus outcome exactly as the decision and the report
compute it (the consensus rubric over the answers as the consensus marks accept them). Applications the
viewer still has to score are left out, as on the calibration page (docs/security.md, finding 3).

The standard, the region, the level and the year are narrowed in SQL; the priority field (an answer)
and the scoring in Python, a batch at a time, so an export holds one batch, never the whole set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

import sqlalchemy as sa

from certify.accounts.models import Organisation

# The report's scoring of many applications at once: four queries for a batch, whatever its size.
from certify.certificates.report_data import assessed_outcomes, consensus_rubrics
from certify.insight.caseload import of_kind
from certify.insight.statistics import Decided
from certify.questionnaire.models import Answer, Application
from certify.review.blind import still_scoring
from certify.review.models import ClarificationRequest, Decision
from certify.standards.attestation import StandardKind
from certify.standards.definition import Question, QuestionType, Standard
from certify.standards.models import StandardVersion
from certify.timeutil import as_utc
from certify.workflow import states

#: the question of cmq 1.1's green module in which a cluster ticks its priority green fields
PRIORITY_QUESTION = "grn_fields"
#: the level filter's value for applications decided without a level
NOT_CERTIFIED = "none"
#: applications scored together (one query per kind of row each)
BATCH = 100


@dataclass(frozen=True)
class Narrowing:
    """What the decided applications are narrowed to; only `version` is required."""

    version_id: int
    #: whose applications: organisations' (the statistics count only those) or candidates' (an export)
    kind: StandardKind = StandardKind.ORGANISATION
    year: int | None = None
    region: str | None = None
    #: a level id, or NOT_CERTIFIED
    level: str | None = None
    #: a value of the PRIORITY_QUESTION's options
    field: str | None = None


def priority_question(standard: Standard) -> Question | None:
    """The standard's question on priority green fields, if it has one (cmq 1.1 does, 1.0 does not)."""
    return next(
        (
            q
            for q in standard.all_questions()
            if q.id == PRIORITY_QUESTION and q.type == QuestionType.MULTIPLE_CHOICE
        ),
        None,
    )


def _standing() -> sa.Subquery:
    """Each decided application's standing decision: its latest."""
    return (
        sa.select(Decision.application_id, sa.func.max(Decision.id).label("decision_id"))
        .group_by(Decision.application_id)
        .subquery()
    )


def _decided(viewer_blind: frozenset[int], kind: StandardKind) -> sa.Select:
    """Decided applications of `kind` with their standing decision and organisation (a candidate's own,
    if any), but those the viewer scores. The two are never mixed: a person's attestation is not an
    organisation's result."""
    standing = _standing()
    return (
        sa.select(Application, Decision, Organisation)
        .join(standing, standing.c.application_id == Application.id)
        .join(Decision, Decision.id == standing.c.decision_id)
        .outerjoin(Organisation, Organisation.id == Application.organisation_id)
        .where(
            Application.state.in_(sorted(states.DECIDED)),
            of_kind(kind),
            Application.id.not_in(sorted(viewer_blind)),
        )
    )


def decided_versions(session, kind: StandardKind = StandardKind.ORGANISATION) -> list[StandardVersion]:
    """The versions with decided applications of `kind`, the newest first."""
    decided = sa.select(Application.standard_version_id).where(
        Application.state.in_(sorted(states.DECIDED)), of_kind(kind)
    )
    return list(
        session.scalars(
            sa.select(StandardVersion)
            .where(StandardVersion.id.in_(decided))
            .order_by(StandardVersion.imported_at.desc(), StandardVersion.id.desc())
        )
    )


def years_and_regions(
    session, version_id: int, viewer, zone: tzinfo, kind: StandardKind = StandardKind.ORGANISATION
) -> tuple[list[int], list[str]]:
    """The years of the version's standing decisions (the newest first) and its applicants' regions (a
    candidate's organisation's; a candidate without one has none)."""
    statement = _decided(still_scoring(session, viewer), kind).where(
        Application.standard_version_id == version_id
    )
    rows = session.execute(statement.with_only_columns(Decision.decided_at, Organisation.region)).all()
    years = {as_utc(moment).astimezone(zone).year for moment, _ in rows}
    return sorted(years, reverse=True), sorted({region for _, region in rows if region is not None})


def decided_records(
    session, narrowing: Narrowing, viewer, zone: tzinfo, batch: int = BATCH
) -> Iterator[Decided]:
    """The decided applications `narrowing` selects, in the order of their numbers, read `batch` at a time."""
    statement = _narrowed(_decided(still_scoring(session, viewer), narrowing.kind), narrowing, zone)
    rows = session.execute(statement.order_by(Application.id).execution_options(yield_per=batch))
    for part in rows.partitions():
        yield from _records(session, [tuple(row) for row in part], narrowing.field)


def _narrowed(statement: sa.Select, narrowing: Narrowing, zone: tzinfo) -> sa.Select:
    statement = statement.where(Application.standard_version_id == narrowing.version_id)
    if narrowing.region is not None:
        statement = statement.where(Organisation.region == narrowing.region)
    if narrowing.level == NOT_CERTIFIED:
        statement = statement.where(Decision.chosen_level.is_(None))
    elif narrowing.level is not None:
        statement = statement.where(Decision.chosen_level == narrowing.level)
    if narrowing.year is not None:
        # as UTC: SQLite compares the stored UTC wall-clock text with the bound value's own fields
        start = datetime(narrowing.year, 1, 1, tzinfo=zone).astimezone(UTC)
        end = datetime(narrowing.year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
        statement = statement.where(Decision.decided_at >= start, Decision.decided_at < end)
    return statement


def _records(session, rows: Sequence[tuple], field: str | None) -> list[Decided]:
    """The records of one batch of (application, standing decision, organisation) rows."""
    fields = _fields(session, [application.id for application, *_ in rows])
    if field is not None:
        rows = [row for row in rows if field in fields.get(row[0].id, ())]
    ids = [application.id for application, *_ in rows]
    rubrics = consensus_rubrics(session, ids)
    outcomes = assessed_outcomes(session, [application for application, *_ in rows], rubrics)
    first = _first_decisions(session, ids)
    rounds = _rounds(session, ids)
    records = []
    for application, decision, organisation in rows:
        outcome = outcomes.get(application.id)
        records.append(
            Decided(
                application=application.id,
                organisation=application.organisation_id,
                level=decision.chosen_level,
                submitted_at=as_utc(application.submitted_at),
                decided_at=as_utc(decision.decided_at),
                first_decided_at=first.get(application.id, as_utc(decision.decided_at)),
                total=outcome.total if outcome else None,
                areas={a: s.score for a, s in outcome.areas.items()} if outcome else {},
                rubric=dict(rubrics.get(application.id, {})),
                rounds=rounds.get(application.id, 0),
                fields=fields.get(application.id, frozenset()),
                details={
                    "state": application.state,
                    "on_appeal": decision.on_appeal,
                    "computed_level": decision.computed_level,
                    "kind": StandardKind.PERSON if application.is_person else StandardKind.ORGANISATION,
                    "organisation_ru": organisation.name_ru if organisation else "",
                    "organisation_en": organisation.name_en if organisation else "",
                    "region": organisation.region if organisation else "",
                    "candidate_ru": application.candidate.full_name_ru if application.is_person else "",
                    "candidate_en": application.candidate.full_name_en if application.is_person else "",
                },
            )
        )
    return records


def _fields(session, ids: list[int]) -> dict[int, frozenset[str]]:
    """Application id -> the priority fields it ticked (nothing for a "not applicable" or no answer)."""
    rows = session.execute(
        sa.select(Answer.application_id, Answer.value).where(
            Answer.application_id.in_(ids), Answer.question_id == PRIORITY_QUESTION
        )
    )
    return {
        i: frozenset(v for v in value if isinstance(v, str)) for i, value in rows if isinstance(value, list)
    }


def _first_decisions(session, ids: list[int]) -> dict[int, datetime]:
    rows = session.execute(
        sa.select(Decision.application_id, Decision.decided_at).where(
            Decision.application_id.in_(ids), Decision.on_appeal.is_(False)
        )
    )
    return {application_id: as_utc(moment) for application_id, moment in rows}


def _rounds(session, ids: list[int]) -> dict[int, int]:
    """Application id -> its clarification rounds: the manager answers every open question at once, so a
    round is one answering moment (and a question still open, one more)."""
    moments: dict[int, set] = defaultdict(set)
    rows = session.execute(
        sa.select(ClarificationRequest.application_id, ClarificationRequest.answered_at).where(
            ClarificationRequest.application_id.in_(ids)
        )
    )
    for application_id, answered_at in rows:
        moments[application_id].add(answered_at)
    return {application_id: len(answered) for application_id, answered in moments.items()}
