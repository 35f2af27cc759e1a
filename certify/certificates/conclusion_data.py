"""The written conclusion of a decided person's application: its plain values, from the exam and the review.

The theory result is the exam attempt's own, as the exam scored it (the attempt linked to the application);
the practical part's area scores are those of the outcome the decision was taken on (the consensus, or on
appeal the appeal examiner's: `certify.certificates.subjects.decided_areas`), as the attestation's
competence areas passed are judged; the commission's written result per area and recommendations are the
decision's `conclusion` (certify.review.decisions.check_conclusion).
"""

from __future__ import annotations

from decimal import Decimal

from certify.attestation.theory import attempts_of
from certify.certificates.conclusion_pdf import ConclusionContext, PracticalArea, TheoryArea, TheoryResult
from certify.certificates.issuance import ISSUER
from certify.certificates.report_data import certificate_reported, decision_reported
from certify.certificates.subjects import decided_areas
from certify.exams.models import ExamAttempt
from certify.exams.records import result_from_data
from certify.exams.services import bank_of
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.timeutil import as_utc


def conclusion_context(session, application: Application) -> ConclusionContext:
    """Everything the conclusion prints for a decided person's application; CertificateError (409) before."""
    decision = decision_reported(session, application)
    standard = standard_of(application)
    certificate = certificate_reported(session, application, decision)
    level = next((lv for lv in standard.levels if lv.id == decision.chosen_level), None)
    first_level = min(standard.levels, key=lambda lv: lv.rank)
    scores = decided_areas(session, application, decision)
    written = (decision.conclusion or {}).get("areas", {})
    candidate = application.candidate
    return ConclusionContext(
        application_id=application.id,
        # as the attestation states them, so the two documents agree (a correction included)
        candidate_name_ru=certificate.holder_name_ru if certificate else candidate.full_name_ru,
        candidate_name_en=certificate.holder_name_en
        if certificate
        else candidate.full_name_en or candidate.full_name_ru,
        document_name_ru=standard.attestation.document.ru,
        document_name_en=standard.attestation.document.en,
        scheme_title_ru=standard.title.ru,
        scheme_title_en=standard.title.en,
        scheme_code=standard.code,
        scheme_version=standard.version,
        decided_on=as_utc(decision.decided_at).date(),
        on_appeal=decision.on_appeal,
        level_name_ru=level.name.ru if level else None,
        level_name_en=level.name.en if level else None,
        certificate_number=certificate.number if certificate else None,
        reasons=decision.reasons,
        theory=theory_result(session, application),
        practical_total=Decimal(decision.assessed_total) if decision.assessed_total else None,
        practical_required=first_level.min_total,
        practical=()
        if scores is None
        else tuple(
            PracticalArea(
                id=area.id,
                name_ru=area.title.ru,
                name_en=area.title.en,
                score=scores.get(area.id),
                required=None if area.id in first_level.min_area_exempt else first_level.min_area,
                conclusion=written.get(area.id, ""),
            )
            for area in standard.areas
        ),
        recommendations=(decision.conclusion or {}).get("recommendations", ""),
        issuer_name_ru=ISSUER[0],
        issuer_name_en=ISSUER[1],
    )


def theory_result(session, application: Application) -> TheoryResult | None:
    """The theory result the decision rests on: the passed attempt, else the last one scored; None if none."""
    scored = [a for a in attempts_of(session, application) if a.result]
    attempt = next((a for a in scored if a.result.get("passed")), scored[-1] if scored else None)
    return _result(attempt) if attempt is not None else None


def _result(attempt: ExamAttempt) -> TheoryResult:
    result = result_from_data(attempt.result)
    titles = {area.id: area.title for area in bank_of(attempt.exam.bank_version).areas}
    return TheoryResult(
        sat_on=as_utc(attempt.closed_at or attempt.started_at or attempt.registered_at).date(),
        correct=result.correct,
        total=result.total,
        percent=result.percent,
        pass_mark=result.pass_mark,
        passed=result.passed,
        areas=tuple(
            TheoryArea(
                name_ru=titles[area.area].ru if area.area in titles else area.area,
                name_en=titles[area.area].en if area.area in titles else area.area,
                correct=area.correct,
                total=area.total,
                percent=area.percent,
                pass_mark=area.pass_mark,
                passed=area.passed,
            )
            for area in result.areas.values()
        ),
    )
