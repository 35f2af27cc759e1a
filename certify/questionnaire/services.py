"""Applications: start, save a page (optimistic locking), progress, submit. Services flush, never commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import object_session

from certify.accounts.models import Organisation, User
from certify.attestation.notifications import send_practical_submitted
from certify.audit import services as audit
from certify.errors import DomainError
from certify.monitoring.report import report_standard
from certify.questionnaire import pages as pages_module
from certify.questionnaire.answers import (
    Stored,
    is_empty,
    not_applicable_justification,
    typed,
    typed_answers,
    visible_questions,
)
from certify.questionnaire.models import Answer, Application, ApplicationPage, EvidenceFile
from certify.questionnaire.notifications import send_receipt
from certify.questionnaire.pages import Part
from certify.review.models import ClarificationRequest
from certify.standards.definition import Phase, QuestionType, Standard
from certify.standards.services import current_version, definition_of
from certify.timeutil import as_utc, utcnow
from certify.transitions import record, take
from certify.web.i18n import current_language
from certify.workflow import Action, State, states


class QuestionnaireError(DomainError):
    """A refused operation; `message` is shown to the user, `status` is the HTTP status to answer with."""

    status = 422


DRAFT_EXISTS = _l("Your organisation already has an application in preparation. Continue that one.")
SUBMITTED = _l("This application has been submitted; its answers can no longer be changed.")


@dataclass
class PageConflict(Exception):
    """Someone saved the page since it was opened: their answers and version, to show beside ours."""

    version: int
    theirs: dict[str, Stored]
    updated_by: User | None


def standard_of(application: Application) -> Standard:
    """What the application answers: its version's standard, or for a yearly report the report made of
    its certificate's standard, for the green fields the certified application chose."""
    standard = definition_of(application.standard_version)
    if not application.is_yearly_report:
        return standard
    session = object_session(application)
    certified = session.get(Application, application.period.certificate.application_id)
    chosen = (certified.snapshot or {}).get(standard.monitoring.fields_question) or ()
    return report_standard(standard, chosen)


def start_application(
    session, organisation: Organisation, user: User, previous: Application | None = None
) -> Application:
    """A new draft on the current standard, optionally pre-filled from an earlier submitted application.

    One draft per organisation: refused (409) when it has one. Two requests at once both pass that
    check; the database's partial unique index keeps one insert, and the other request is answered with
    the draft that won (two clicks on "Start" lead to the same draft).
    """
    if _draft_of(session, organisation):
        raise QuestionnaireError(DRAFT_EXISTS, 409)
    version = current_version(session, kind="organisation")  # never a personal scheme
    if version is None:
        raise QuestionnaireError(_l("No standard is published yet. Please try again later."), 409)
    subject = {"organisation_id": organisation.id, "previous_id": previous.id if previous else None}
    application = insert_draft(session, version, user, subject)
    if application is None:  # another request inserted the organisation's draft since the check
        winner = _draft_of(session, organisation)
        if winner is None:  # and it was submitted at once: the answer of the check above
            raise QuestionnaireError(DRAFT_EXISTS, 409)
        return winner
    open_draft(session, application, user, previous)
    return application


def open_draft(session, application: Application, user: User, previous: Application | None = None) -> None:
    """A newly inserted draft's page versions, its answers pre-filled from `previous`, and its audit entry.

    Every page of the standard gets its version row, including a personal scheme's practical pages,
    which open later (`pages.pages_of`).
    """
    version = application.standard_version
    standard = standard_of(application)
    session.add_all(
        ApplicationPage(application_id=application.id, page=p.key) for p in pages_module.all_pages(standard)
    )
    if previous is not None:
        _prefill(session, application, previous, standard, user)
    session.flush()
    audit.record(
        session,
        actor=user,
        action="application.started",
        subject_type="application",
        subject_id=str(application.id),
        application_id=application.id,
        after={"standard": version.label, "prefilled_from": previous.id if previous else None},
    )


def _draft_of(session, organisation: Organisation) -> Application | None:
    return session.scalar(
        sa.select(Application).where(
            Application.organisation_id == organisation.id,
            Application.candidate_id.is_(None),
            Application.period_id.is_(None),
            Application.state.in_(states.IN_PREPARATION),
        )
    )


def insert_draft(session, version, user: User, subject: Mapping) -> Application | None:
    """The new draft on `version` for `subject` (its columns: the organisation, or the candidate), or
    None when that subject's draft was inserted by someone else meanwhile.

    INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL): a conflict with a one-draft index
    (uq_applications_one_draft, uq_applications_one_candidate_draft) leaves the transaction usable, which
    an IntegrityError on PostgreSQL would not. PostgreSQL makes the second insert wait for the first
    transaction, so the winner's draft is committed when this returns.
    """
    values = {
        **subject,
        "standard_version_id": version.id,
        "state": State.DRAFT.value,
        "created_by_id": user.id,
    }
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    application_id = session.scalar(
        insert(Application).values(**values).on_conflict_do_nothing().returning(Application.id)
    )
    return session.get(Application, application_id) if application_id is not None else None


def _prefill(session, application: Application, previous: Application, standard: Standard, user: User):
    """Copy the answers of `previous` (as submitted) that still exist in this application's standard."""
    known = {q.id: q for q in standard.all_questions()}
    answers = previous.snapshot or load_answers(session, previous)
    session.add_all(
        Answer(application_id=application.id, question_id=qid, value=value, updated_by_id=user.id)
        for qid, value in answers.items()
        if qid in known and not is_empty(value) and _allowed_answer(known[qid], value)
    )


def _allowed_answer(question, value: Stored) -> bool:
    """False for "not applicable" where the question (in this version of the standard) does not allow it."""
    return not isinstance(value, dict) or (
        question.not_applicable and not_applicable_justification(value) is not None
    )


def changed_since_previous(session, application: Application, stored: Mapping[str, Stored]) -> set[str]:
    """Questions whose answer differs from the submitted application this one was pre-filled from."""
    previous = application.previous
    if previous is None or previous.snapshot is None:
        return set()
    return {
        qid for qid in set(stored) | set(previous.snapshot) if stored.get(qid) != previous.snapshot.get(qid)
    }


def load_answers(session, application: Application) -> dict[str, Stored]:
    rows = session.execute(
        sa.select(Answer.question_id, Answer.value).where(Answer.application_id == application.id)
    )
    return {qid: value for qid, value in rows}


def evidence_by_target(session, application: Application) -> dict[str, list[EvidenceFile]]:
    files: dict[str, list[EvidenceFile]] = {}
    rows = session.scalars(
        sa.select(EvidenceFile)
        .where(EvidenceFile.application_id == application.id)
        .order_by(EvidenceFile.uploaded_at)
    )
    for row in rows:
        files.setdefault(row.evidence_for, []).append(row)
    return files


def scoring_day(application: Application) -> date | None:
    """The day the cluster's maturity phase is judged on: its submission (None, today, for a draft).

    A submitted application keeps the phase it was submitted in, however long the review takes.
    """
    return as_utc(application.submitted_at).date() if application.submitted_at else None


def maturity_phase(application: Application) -> Phase | None:
    """The cluster's maturity phase as submitted (the founding date answered, on the submission day).

    None when the standard has no phases. The same rule as the scoring engine's (`Phases.phase_of`),
    read from the submitted snapshot, so the certificate states the phase the assessment judged.
    """
    standard = standard_of(application)
    if standard.phases is None:
        return None
    founded = next(q for q in standard.all_questions() if q.id == standard.phases.founded)
    stored = (application.snapshot or {}).get(founded.id)
    return standard.phases.phase_of(typed(founded, stored), scoring_day(application) or date.today())


def typed_answers_of(session, application: Application, stored: Mapping[str, Stored] | None = None):
    """The application's answers as the scoring engine reads them, evidence and attestations included."""
    stored = load_answers(session, application) if stored is None else stored
    evidence = {
        target: [str(f.id) for f in files]
        for target, files in evidence_by_target(session, application).items()
    }
    standard = standard_of(application)
    return typed_answers(
        standard, stored, evidence, attestations_named(session, application, standard, stored)
    )


def attestations_named(session, application: Application, standard: Standard, stored) -> dict[str, str]:
    """The attestations the answers name that are in force on the scoring day (today for a draft)."""
    numbers = attestation_numbers(standard, stored)
    if not numbers:
        return {}
    from certify.certificates import issuance  # the certificates read applications

    on = scoring_day(application) or date.today()
    return issuance.in_force_on(issuance.attestations_numbered(session, numbers), on)


def attestation_numbers(standard: Standard, stored: Mapping[str, Stored]) -> list[str]:
    """The attestation numbers the stored answers name."""
    return [
        stored[q.id]
        for q in standard.all_questions()
        if q.type == QuestionType.ATTESTATION and isinstance(stored.get(q.id), str)
    ]


def page_version(session, application: Application, page: str) -> ApplicationPage:
    row = session.get(ApplicationPage, (application.id, page))
    if row is None:
        raise QuestionnaireError(_l("There is no such page in this questionnaire."), 404)
    return row


def open_indicators(session, application: Application) -> frozenset[str]:
    """The indicators under an open clarification request: only their answers may change now."""
    rows = session.scalars(
        sa.select(ClarificationRequest.indicator_ids).where(
            ClarificationRequest.application_id == application.id, ClarificationRequest.answered_at.is_(None)
        )
    )
    return frozenset(indicator for ids in rows for indicator in ids)


def practical_open(session, application: Application) -> bool:
    """A person's practical part may be filled now: admitted, and the theory exam passed (or waived, for
    a renewal admitted on its CPD record) — the workflow's own fact."""
    if not application.is_person or application.state != State.ADMITTED:
        return False
    from certify.attestation.theory import theory_facts  # the attestation builds on the questionnaire

    return theory_facts(session, application)["theory_passed"]


def part_of(session, application: Application) -> Part:
    """The furthest part of the application opened so far: its pages are the ones read and navigated."""
    if application.practical_submitted_at is not None or practical_open(session, application):
        return Part.PRACTICAL
    return Part.APPLICATION


def open_part(session, application: Application) -> Part | None:
    """The part whose answers the applicant fills now (a draft's, or a person's practical part); None
    when no part is being filled (submitted, under clarification, decided …)."""
    if application.state in states.EDITABLE:
        return Part.APPLICATION
    return Part.PRACTICAL if practical_open(session, application) else None


def editable_questions(session, application: Application) -> frozenset[str] | None:
    """None when every answer of the part being filled may change (`open_part`); else the questions
    under clarification.

    Raises QuestionnaireError when nothing may change (submitted and not under clarification).
    """
    if open_part(session, application) is not None:
        return None
    if application.state == State.CLARIFICATION_REQUESTED:
        indicators = open_indicators(session, application)
        standard = standard_of(application)
        return frozenset(q.id for i in standard.indicators() if i.id in indicators for q in i.questions)
    raise QuestionnaireError(SUBMITTED, 409)


def ensure_editable(session, application: Application) -> Part:
    """The part being filled, or QuestionnaireError: the answers can no longer change."""
    part = open_part(session, application)
    if part is None:
        raise QuestionnaireError(SUBMITTED, 409)
    return part


def _hold_state(session, application: Application, refusal) -> None:
    """Lock the application's row if it is still in the state read from it, else refuse with `refusal`.

    One conditional UPDATE, so the check and the lock are one step (finding 13): a state read in Python
    earlier in the request may be stale by now. Saving a page and submitting both take this lock before
    they write or read what they freeze, and hold it until commit: a submission that comes second waits
    for the save and then freezes its answers; a save that comes second waits for the submission, then
    finds the state changed and is refused. On SQLite the UPDATE takes the database's write lock, which
    orders them the same way.
    """
    result = session.execute(
        sa.update(Application)
        .where(Application.id == application.id, Application.state == application.state)
        .values(updated_at=utcnow())
    )
    if result.rowcount != 1:
        raise QuestionnaireError(refusal, 409)


def save_page(
    session,
    application: Application,
    page_key: str,
    *,
    expected_version: int,
    posted: Mapping[str, Stored],
    user: User,
) -> int:
    """Store the answers of one page if nobody saved it since `expected_version`; returns the new version.

    Raises PageConflict when someone else saved first (nothing is written), QuestionnaireError when
    an answer belongs to no question of the page, or to a question not asked with these answers.
    """
    allowed = editable_questions(session, application)
    standard = standard_of(application)
    page = pages_module.page_by_key(standard, page_key, part_of(session, application))
    if page is None:
        raise QuestionnaireError(_l("There is no such page in this questionnaire."), 404)
    if allowed is None and page not in pages_module.pages_of(standard, open_part(session, application)):
        raise QuestionnaireError(SUBMITTED, 409)  # the prerequisites, once the practical part is open
    _refuse_foreign_answers(page, posted)
    _refuse_not_applicable(page, posted)
    _refuse_unknown_attestations(session, page, posted)
    if allowed is not None:
        # The page shows the other questions disabled, so browsers send nothing for them.
        posted = {qid: value for qid, value in posted.items() if qid in allowed or not is_empty(value)}
    stored = load_answers(session, application)
    merged = {**stored, **posted}
    _refuse_hidden_answers(session, application, page, merged, posted)
    if allowed is not None:
        _refuse_answers_outside_clarification(page, posted, stored, allowed)
    _hold_state(session, application, SUBMITTED)
    _claim_version(session, application, page_key, expected_version, user, stored)
    _write_answers(session, application, page, posted, stored, user)
    if allowed is not None:
        _audit_clarified_answers(session, application, page, posted, stored, user)
    session.flush()
    return expected_version + 1


def _refuse_foreign_answers(page: pages_module.Page, posted: Mapping[str, Stored]) -> None:
    allowed = {q.id for q in page.questions}
    for question_id in posted:
        if question_id not in allowed:
            raise QuestionnaireError(
                _l("The answer to '%(id)s' does not belong to this page.", id=question_id[:80]), 400
            )


def _refuse_not_applicable(page: pages_module.Page, posted: Mapping[str, Stored]) -> None:
    """Only a question the standard declares `not_applicable` may be answered so (docs/scoring.md, 4a)."""
    for question in page.questions:
        if question.id in posted and not _allowed_answer(question, posted[question.id]):
            raise QuestionnaireError(
                _l(
                    "'%(label)s' cannot be answered “not applicable”.",
                    label=question.label.get(current_language()),
                )
            )


def _refuse_unknown_attestations(session, page: pages_module.Page, posted: Mapping[str, Stored]) -> None:
    """An attestation's number must be one the registry issued under the question's scheme: a typo is
    refused at once, not found out at the review. (Whether it is in force is read when it is scored.)"""
    from certify.certificates.issuance import find  # the certificates read applications

    for question in page.questions:
        number = posted.get(question.id)
        if question.type != QuestionType.ATTESTATION or not isinstance(number, str) or not number:
            continue
        certificate = find(session, number)
        if certificate is None or not certificate.is_person or certificate.standard_code != question.scheme:
            raise QuestionnaireError(
                _l(
                    "'%(label)s': no attestation with the number %(number)s was issued under the scheme "
                    "“%(scheme)s”. Check the number on the attestation or in the registry.",
                    label=question.label.get(current_language()),
                    number=number[:40],
                    scheme=question.scheme,
                )
            )


def _refuse_hidden_answers(session, application, page, merged, posted) -> None:
    typed = typed_answers_of(session, application, merged)
    shown = visible_questions(page.questions, typed)
    for question in page.questions:
        if question.id not in shown and not is_empty(posted.get(question.id)):
            raise QuestionnaireError(
                _l(
                    "'%(label)s' is not asked with your other answers, so it cannot be answered.",
                    label=question.label.get(current_language()),
                )
            )


def _refuse_answers_outside_clarification(page, posted, stored, allowed: frozenset[str]) -> None:
    changed = [q for q in page.questions if q.id in posted and posted[q.id] != stored.get(q.id)]
    outside = [q for q in changed if q.id not in allowed]
    if outside:
        raise QuestionnaireError(
            _l(
                "Only the answers the assessors asked about may change; '%(label)s' is not one of them.",
                label=outside[0].label.get(current_language()),
            ),
            409,
        )


def _audit_clarified_answers(session, application, page, posted, stored, user) -> None:
    """Keep the history of what changed in a clarification round visible."""
    changed = [q.id for q in page.questions if q.id in posted and posted[q.id] != stored.get(q.id)]
    if changed:
        audit.record(
            session,
            actor=user,
            action="application.answers_clarified",
            subject_type="application",
            subject_id=str(application.id),
            application_id=application.id,
            before={qid: stored.get(qid) for qid in changed},
            after={qid: posted[qid] for qid in changed},
        )


def _claim_version(session, application, page_key, expected_version, user, stored) -> None:
    """Bump the page's version only if it is still `expected_version` (one atomic UPDATE)."""
    result = session.execute(
        sa.update(ApplicationPage)
        .where(
            ApplicationPage.application_id == application.id,
            ApplicationPage.page == page_key,
            ApplicationPage.version == expected_version,
        )
        .values(version=expected_version + 1, updated_at=utcnow(), updated_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        row = page_version(session, application, page_key)
        session.refresh(row)
        raise PageConflict(version=row.version, theirs=stored, updated_by=row.updated_by)


def _write_answers(session, application, page, posted, stored, user) -> None:
    now = utcnow()
    changed = [q.id for q in page.questions if q.id in posted and posted[q.id] != stored.get(q.id)]
    if not changed:
        return
    session.execute(
        sa.delete(Answer).where(Answer.application_id == application.id, Answer.question_id.in_(changed))
    )
    rows = [
        {
            "application_id": application.id,
            "question_id": qid,
            "value": posted[qid],
            "updated_at": now,
            "updated_by_id": user.id,
        }
        for qid in changed
        if not is_empty(posted[qid])
    ]
    if rows:
        session.execute(sa.insert(Answer), rows)


def applications_of(session, organisation: Organisation) -> list[Application]:
    """The organisation's own applications for certification; its members' personal attestations are
    theirs, and its yearly reports are listed with the reports (certify.monitoring.filing)."""
    return list(
        session.scalars(
            sa.select(Application)
            .where(
                Application.organisation_id == organisation.id,
                Application.candidate_id.is_(None),
                Application.period_id.is_(None),
            )
            .order_by(Application.created_at.desc())
        )
    )


def last_submitted(session, organisation: Organisation) -> Application | None:
    return session.scalar(
        sa.select(Application)
        .where(
            Application.organisation_id == organisation.id,
            Application.candidate_id.is_(None),
            Application.period_id.is_(None),
            Application.submitted_at.is_not(None),
        )
        .order_by(Application.submitted_at.desc())
        .limit(1)
    )


def submit_application(session, application: Application, user: User) -> None:
    """Freeze the answers as submitted: only when every required, shown question is answered.

    The row is locked (`_hold_state`) before the answers are read, so a page saved at the same moment
    is either in the snapshot or refused; two people pressing Submit at once submit once. The receipt is
    queued in the same transaction.
    """
    if application.state not in states.EDITABLE:
        raise QuestionnaireError(SUBMITTED, 409)
    already_submitted = _l("This application has already been submitted.")
    _hold_state(session, application, already_submitted)
    standard = standard_of(application)
    stored = load_answers(session, application)
    still_missing = pages_module.missing(standard, typed_answers_of(session, application, stored))
    if still_missing:
        raise QuestionnaireError(
            _l("%(n)d required answers are missing; the summary lists them.", n=len(still_missing))
        )
    next_state = take(session, application, Action.SUBMIT, user, questionnaire_complete=True)
    now = utcnow()
    result = session.execute(
        sa.update(Application)
        .where(Application.id == application.id, Application.state == application.state)
        .values(
            state=next_state.value, submitted_at=now, submitted_by_id=user.id, snapshot=stored, updated_at=now
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise QuestionnaireError(already_submitted, 409)
    session.refresh(application)
    if application.is_yearly_report:  # in: its period leaves the surveillance (no reminder, no alert)
        application.period.submitted_at = now
    audit.record(
        session,
        actor=user,
        action="application.submitted",
        subject_type="application",
        subject_id=str(application.id),
        application_id=application.id,
        before={"state": State.DRAFT.value},
        after={"state": application.state, "answers": len(stored)},
    )
    send_receipt(session, application, user)


def submit_practical(session, application: Application, user: User) -> None:
    """Freeze a person's practical part for the examiners: only when every required question is answered.

    As `submit_application`: the row is locked before the answers are read, so a page saved at the same
    moment is either in the snapshot (which gains the practical answers) or refused; the receipt is queued
    in the same transaction. The summary lists the answers still missing.
    """
    _hold_state(session, application, _l("The practical part has already been submitted."))
    stored = load_answers(session, application)
    typed = typed_answers_of(session, application, stored)
    still_missing = pages_module.missing(standard_of(application), typed, Part.PRACTICAL)
    if still_missing and practical_open(session, application):
        raise QuestionnaireError(
            _l("%(n)d required answers are missing; the summary lists them.", n=len(still_missing))
        )
    # otherwise the workflow refuses with the first thing wrong: the state, the role, the theory
    complete = not still_missing
    next_state = take(session, application, Action.SUBMIT_PRACTICAL, user, practical_complete=complete)
    now = utcnow()
    session.execute(
        sa.update(Application)
        .where(Application.id == application.id)
        .values(state=next_state.value, practical_submitted_at=now, snapshot=stored, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(application)
    record(
        session,
        user,
        "application.practical_submitted",
        application,
        before={"state": State.ADMITTED.value},
        after={"state": application.state, "answers": len(stored)},
    )
    send_practical_submitted(session, application)
