"""The assessment report of a decided application: its plain values gathered from the review and the peers.

Scores come from the one scoring engine (the consensus rubric over the application's answers as the
consensus marks accept them, certify.review.findings), exactly as the decision computed them. Peers are
the other organisations certified on the same standard code; only percentiles derived from their area
scores leave this module, never a name or a score of theirs. The results between certifications
(`report_trends`) follow the same rule: only the peers' medians of five or more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from certify.certificates.issuance import CertificateError, attestations_numbered, in_force_on
from certify.certificates.models import Certificate, CertificateStatus
from certify.certificates.register import latest_of_application
from certify.certificates.report_pdf import AreaReport, IndicatorReport, ReportContext, percentile_rank
from certify.certificates.report_trends import trends_reported
from certify.questionnaire.answers import typed_answers
from certify.questionnaire.models import Answer, Application, EvidenceFile
from certify.questionnaire.services import attestation_numbers, scoring_day, standard_of
from certify.review import findings
from certify.review.models import AreaFeedback, Assignment, AssignmentStatus, ConsensusScore, Decision
from certify.scoring import Outcome, ScoringInputError, score
from certify.standards.definition import RUBRIC_SCORES, Area, Standard
from certify.timeutil import as_utc

NAME_FIELDS = ("organisation_name_ru", "organisation_name_en", "cluster_name_ru", "cluster_name_en")
#: area id -> the peers' assessed scores in that area
PeerScores = Mapping[str, list[Decimal]]


def report_context(session, application: Application) -> ReportContext:
    """Everything the report prints for a decided application; CertificateError (409) before a decision."""
    decision = decision_reported(session, application)
    standard = standard_of(application)
    consensus = _consensus_rows(session, application.id)
    outcome = assessed_outcomes(
        session, [application], {application.id: {i: row.score for i, row in consensus.items()}}
    )[application.id]
    feedback = _feedback_by_area(session, application.id)
    items, marks = findings.items_of(session, application), findings.consensus_marks_of(session, application)
    refused = _refused_by_indicator(standard, items, marks)
    peer_count, peer_scores = _peer_area_scores(session, application, standard.code)
    certificate = certificate_reported(session, application, decision)
    level = next((lv for lv in standard.levels if lv.id == decision.chosen_level), None)
    return ReportContext(
        certificate_number=certificate.number if certificate else None,
        **_names(certificate, application),
        standard_title_ru=standard.title.ru,
        standard_title_en=standard.title.en,
        standard_code=standard.code,
        standard_version=standard.version,
        level_name_ru=level.name.ru if level else None,
        level_name_en=level.name.en if level else None,
        total_score=Decimal(decision.assessed_total) if decision.assessed_total else None,
        decided_on=as_utc(decision.decided_at).date(),
        areas=tuple(
            _area_report(area, outcome, consensus, feedback.get(area.id, ([], [])), peer_scores, refused)
            for area in standard.areas
        ),
        peer_count=peer_count,
        phase_name_ru=outcome.phase.name.ru if outcome and outcome.phase else None,
        phase_name_en=outcome.phase.name.en if outcome and outcome.phase else None,
        trends=trends_reported(session, application, decision),
    )


def decision_reported(session, application: Application) -> Decision:
    """The decision that stands (on appeal, the appeal's); CertificateError (409) before any decision.

    The same query as certify.review.decisions.decision_of, which cannot be imported here: the decisions
    store their report (certify.certificates.reports), which reads this module.
    """
    decision = session.scalar(standing_decision(application.id))
    if decision is None:
        raise not_decided()
    return decision


def standing_decision(application_id) -> sa.Select:
    """The query of `decision_reported`, on an application's id or on a column (as a subquery)."""
    return (
        sa.select(Decision)
        .where(Decision.application_id == application_id)
        .order_by(Decision.id.desc())
        .limit(1)
    )


def not_decided() -> CertificateError:
    return CertificateError(_l("The application has not been decided yet, so there is no report."), 409)


def certificate_reported(session, application: Application, decision: Decision) -> Certificate | None:
    """The certificate the report names.

    An upheld appeal keeps the first decision's certificate, so it is looked for by the application; after
    a decision not to certify, the report names no certificate (one revoked on appeal included).
    """
    return latest_of_application(session, application.id) if decision.chosen_level else None


def _names(certificate: Certificate | None, application: Application) -> dict[str, str]:
    """The names as the certificate states them, so the two documents agree; else the organisation's."""
    if certificate is not None:
        return {field: getattr(certificate, field) for field in NAME_FIELDS}
    organisation = application.organisation
    return {
        "organisation_name_ru": organisation.name_ru,
        "organisation_name_en": organisation.name_en,
        "cluster_name_ru": organisation.cluster_name_ru,
        "cluster_name_en": organisation.cluster_name_en,
    }


def _area_report(
    area: Area,
    outcome: Outcome | None,
    consensus: Mapping[str, ConsensusScore],
    feedback: tuple[list[str], list[str]],
    peer_scores: PeerScores,
    refused: Mapping[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]],
) -> AreaReport:
    own = outcome.areas[area.id].score if outcome else None
    peers = peer_scores.get(area.id, [])
    strengths, improvements = feedback
    return AreaReport(
        id=area.id,
        name_ru=area.title.ru,
        name_en=area.title.en,
        score=own,
        indicators=tuple(
            IndicatorReport(
                id=indicator.id,
                name_ru=indicator.title.ru,
                name_en=indicator.title.en,
                score=consensus[indicator.id].score if indicator.id in consensus else None,
                max_score=max(RUBRIC_SCORES),
                justification=consensus[indicator.id].justification if indicator.id in consensus else "",
                files_not_relevant=refused.get(indicator.id, ((), ()))[0],
                not_applicable_refused=refused.get(indicator.id, ((), ()))[1],
            )
            for indicator in area.indicators
        ),
        strengths=tuple(strengths),
        improvements=tuple(improvements),
        peer_percentile=percentile_rank(own, peers) if own is not None else None,
    )


def _refused_by_indicator(standard: Standard, items: findings.Items, marks: findings.Marks):
    """Indicator id -> (files found not relevant, "not applicable" answers refused), from the consensus."""
    refused: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {}
    for indicator in standard.indicators():
        files = tuple(f.name for f in items.files.get(indicator.id, ()) if marks.files.get(f.id) is False)
        declined = tuple(
            (q.label.ru, q.label.en)
            for q in indicator.questions
            if q.id in items.not_applicable and marks.not_applicable.get(q.id) is False
        )
        if files or declined:
            refused[indicator.id] = (files, declined)
    return refused


def _consensus_rows(session, application_id: int) -> dict[str, ConsensusScore]:
    rows = session.scalars(sa.select(ConsensusScore).where(ConsensusScore.application_id == application_id))
    return {row.indicator_id: row for row in rows}


def _feedback_by_area(session, application_id: int) -> dict[str, tuple[list[str], list[str]]]:
    """Area id -> (strengths, improvements) from every assessor who submitted scores, lead first.

    Drafts of an assessor who never submitted are left out: they are not the assessor's final word.
    """
    rows = session.execute(
        sa.select(AreaFeedback.area_id, AreaFeedback.strengths, AreaFeedback.improvements)
        .join(Assignment, Assignment.id == AreaFeedback.assignment_id)
        .where(
            Assignment.application_id == application_id,
            Assignment.status != AssignmentStatus.DECLINED.value,
            Assignment.scores_submitted_at.is_not(None),
        )
        .order_by(Assignment.for_appeal, Assignment.is_lead.desc(), Assignment.id)
    )
    feedback: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for area_id, strengths, improvements in rows:
        for texts, text in zip(feedback[area_id], (strengths, improvements), strict=True):
            # two assessors who agreed word for word need not be printed twice
            if text.strip() and text.strip() not in texts:
                texts.append(text.strip())
    return feedback


def _peer_area_scores(session, application: Application, standard_code: str) -> tuple[int, PeerScores]:
    """How many peers there are and their assessed area scores, area by area.

    A peer is another organisation with a certificate on the same standard code that was not revoked
    (a revoked certificate's scores are no yardstick); an organisation certified more than once counts
    once, by its latest application. A few queries whatever the number of peers.
    """
    rows = session.execute(
        sa.select(Application.organisation_id, Application.id)
        .join(Certificate, Certificate.application_id == Application.id)
        .where(
            Certificate.standard_code == standard_code,
            Certificate.status != CertificateStatus.REVOKED.value,
            Application.organisation_id != application.organisation_id,
        )
        .order_by(Application.id)
    )
    latest = {organisation_id: application_id for organisation_id, application_id in rows}
    peers = session.scalars(
        sa.select(Application)
        .where(Application.id.in_(latest.values()))
        .options(selectinload(Application.standard_version))
    ).all()
    outcomes = assessed_outcomes(session, peers, consensus_rubrics(session, [p.id for p in peers]))
    scores: dict[str, list[Decimal]] = defaultdict(list)
    for outcome in filter(None, outcomes.values()):
        for area_id, area in outcome.areas.items():
            if area.score is not None:
                scores[area_id].append(area.score)
    return len([o for o in outcomes.values() if o is not None]), scores


def consensus_rubrics(session, application_ids: list[int]) -> dict[int, dict[str, int]]:
    """Application id -> indicator id -> the consensus rubric score, for the applications given."""
    rubrics: dict[int, dict[str, int]] = defaultdict(dict)
    rows = session.execute(
        sa.select(ConsensusScore.application_id, ConsensusScore.indicator_id, ConsensusScore.score).where(
            ConsensusScore.application_id.in_(application_ids)
        )
    )
    for application_id, indicator_id, value in rows:
        rubrics[application_id][indicator_id] = value
    return rubrics


def assessed_outcomes(
    session, applications: Iterable[Application], rubrics: Mapping[int, Mapping[str, int]]
) -> dict[int, Outcome | None]:
    """Application id -> the assessed outcome of its consensus (None when the consensus is incomplete).

    Answers, evidence and consensus marks of all the applications are loaded in one query each, so scoring
    a hundred peers costs the same four queries as scoring one.
    """
    applications = list(applications)
    if not applications:
        return {}
    ids = [a.id for a in applications]
    answers: dict[int, dict] = defaultdict(dict)
    stored = sa.select(Answer.application_id, Answer.question_id, Answer.value)
    for application_id, question_id, value in session.execute(stored.where(Answer.application_id.in_(ids))):
        answers[application_id][question_id] = value
    evidence: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for application_id, target, file_id in session.execute(
        sa.select(EvidenceFile.application_id, EvidenceFile.evidence_for, EvidenceFile.id)
        .where(EvidenceFile.application_id.in_(ids))
        .order_by(EvidenceFile.uploaded_at)
    ):
        evidence[application_id][target].append(str(file_id))
    marks = findings.consensus_marks_by_application(session, ids)
    numbers = [n for a in applications for n in attestation_numbers(standard_of(a), answers[a.id])]
    attestations = attestations_numbered(session, numbers)
    return {
        a.id: _assessed(
            standard_of(a),
            answers[a.id],
            evidence[a.id],
            in_force_on(attestations, scoring_day(a) or date.today()),
            rubrics.get(a.id, {}),
            marks.get(a.id, findings.Marks()),
            scoring_day(a),
        )
        for a in applications
    }


def _assessed(
    standard: Standard,
    stored: Mapping,
    evidence: Mapping,
    attestations: Mapping[str, str],
    rubric: Mapping[str, int],
    marks: findings.Marks,
    on: date | None,
):
    typed = typed_answers(standard, stored, evidence, attestations)
    answers = findings.accepted_by(standard, typed, marks)
    try:
        return score(standard, answers, rubric=rubric, on=on).assessed
    except ScoringInputError:
        # A consensus short of an indicator (or answers the standard no longer reads) has no
        # assessed figure: the report prints dashes, and such a peer is left out of the comparison.
        return None
