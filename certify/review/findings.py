"""What the review accepts of the manager's case: each file relevant or not, each "not applicable" confirmed
or refused (issue 14, items 2 and 4).

Each assessor marks every file attached to an indicator and every "not applicable" answer before they
submit; at consensus the lead sets the final marks, starting from the conservative ones (`prefilled`).
Every assessed outcome is computed on the answers as the review accepted them (`accepted_answers`): a file
marked not relevant is no evidence, so it does not lift the evidence cap (docs/scoring.md, rule 6), and a
refused "not applicable" is unanswered, so it scores 0 (rule 3). The self-assessment stays on the
manager's answers: it is what the manager claims, the assessed outcome what the review accepted of it.

An item nobody marked counts as the manager gave it. Marks are required wherever they can still be made
(submitting scores, recording the consensus), so this reaches only a file that a clarification added after
an assessor had submitted, and the consensuses recorded before marks existed, whose outcomes stay as
decided.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.questionnaire.answers import not_applicable_justification
from certify.questionnaire.models import Application
from certify.questionnaire.services import evidence_by_target, load_answers, standard_of, typed_answers_of
from certify.review.errors import ReviewError
from certify.review.models import Assignment, ConsensusMark, FindingMark, MarkKind
from certify.standards.definition import NOT_APPLICABLE, QuestionType, Standard

# The items and their marks (pure) ----------------------------------------------------------------------


@dataclass(frozen=True)
class AttachedFile:
    """A file attached to an indicator: its id as the typed answers hold it, and the uploader's name."""

    id: str
    name: str


@dataclass(frozen=True)
class Items:
    """What each assessor marks on an application, in the standard's order."""

    #: indicator id -> the files attached to it, in upload order (indicators without files left out)
    files: Mapping[str, tuple[AttachedFile, ...]] = field(default_factory=dict)
    #: question id -> the manager's justification of "not applicable"
    not_applicable: Mapping[str, str] = field(default_factory=dict)

    def file_ids(self) -> tuple[str, ...]:
        return tuple(f.id for files in self.files.values() for f in files)


@dataclass(frozen=True)
class Unmarked:
    """The items still without a mark: file ids and question ids, in the standard's order."""

    files: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.files) + len(self.not_applicable)

    def __bool__(self) -> bool:
        return bool(self.count)


@dataclass(frozen=True)
class Marks:
    """Marks on items: file id -> relevant to its indicator, question id -> "not applicable" confirmed."""

    files: Mapping[str, bool] = field(default_factory=dict)
    not_applicable: Mapping[str, bool] = field(default_factory=dict)

    @classmethod
    def accepting(cls, items: Items) -> Marks:
        """Every file marked relevant and every "not applicable" confirmed."""
        return cls(dict.fromkeys(items.file_ids(), True), dict.fromkeys(items.not_applicable, True))

    def unmarked(self, items: Items) -> Unmarked:
        return Unmarked(
            tuple(f for f in items.file_ids() if f not in self.files),
            tuple(q for q in items.not_applicable if q not in self.not_applicable),
        )

    def outside(self, items: Items) -> bool:
        """Whether a mark names a file or an answer that is not among `items`."""
        return bool(
            set(self.files) - set(items.file_ids()) or set(self.not_applicable) - set(items.not_applicable)
        )

    def as_record(self) -> dict[str, dict[str, bool]]:
        """The marks as the audit trail keeps them."""
        return {"files": dict(self.files), "not_applicable": dict(self.not_applicable)}


def accepted_answers(
    standard: Standard,
    answers: Mapping[str, Any],
    *,
    irrelevant_files: Collection[str],
    refused_not_applicable: Collection[str],
) -> dict[str, Any]:
    """The typed answers as the review accepted them.

    The files marked not relevant leave the evidence questions (one left with no file is unanswered), and
    a refused "not applicable" is unanswered. Only evidence answers are filtered: a multiple choice is a
    tuple of strings too, and an option's value may look like a file id.
    """
    evidence = {q.id for q in standard.all_questions() if q.type == QuestionType.EVIDENCE}
    accepted = {}
    for question_id, value in answers.items():
        if question_id in evidence:
            value = tuple(f for f in value if f not in irrelevant_files) or None
        elif value is NOT_APPLICABLE and question_id in refused_not_applicable:
            value = None
        if value is not None:
            accepted[question_id] = value
    return accepted


def accepted_by(standard: Standard, answers: Mapping[str, Any], marks: Marks) -> dict[str, Any]:
    """`accepted_answers` for the review that made `marks`."""
    return accepted_answers(
        standard,
        answers,
        irrelevant_files={f for f, relevant in marks.files.items() if not relevant},
        refused_not_applicable={q for q, confirmed in marks.not_applicable.items() if not confirmed},
    )


def prefilled(items: Items, assessors: Iterable[Marks]) -> Marks:
    """The consensus marks to start from: a file relevant only if every assessor marked it relevant, a
    "not applicable" confirmed only if every one confirmed it (one who left it unmarked did not)."""
    assessors = list(assessors)

    def all_accept(kind: str, subject: str) -> bool:
        return bool(assessors) and all(getattr(marks, kind).get(subject) is True for marks in assessors)

    return Marks(
        {f: all_accept("files", f) for f in items.file_ids()},
        {q: all_accept("not_applicable", q) for q in items.not_applicable},
    )


# Reading and writing marks --------------------------------------------------------------------------------


def items_of(session, application: Application) -> Items:
    """The files attached to the application's indicators and its "not applicable" answers."""
    standard = standard_of(application)
    attached = evidence_by_target(session, application)
    stored = load_answers(session, application)
    return Items(
        {
            indicator.id: tuple(AttachedFile(str(f.id), f.original_name) for f in attached[indicator.id])
            for indicator in standard.indicators()
            if attached.get(indicator.id)
        },
        {
            q.id: justification
            for q in standard.all_questions()
            if q.not_applicable
            and (justification := not_applicable_justification(stored.get(q.id))) is not None
        },
    )


def marks_of(session, assignment: Assignment) -> Marks:
    """The assessor's marks (drafts included)."""
    query = sa.select(FindingMark.kind, FindingMark.subject, FindingMark.accepted)
    return _marks(session.execute(query.where(FindingMark.assignment_id == assignment.id)))


def consensus_marks_of(session, application: Application, *, for_appeal: bool = False) -> Marks:
    marks = consensus_marks_by_application(session, [application.id], for_appeal=for_appeal)
    return marks.get(application.id, Marks())


def consensus_marks_by_application(
    session, application_ids: Iterable[int], *, for_appeal: bool = False
) -> dict[int, Marks]:
    """Application id -> its recorded consensus marks (the review's, or the appeal panel's), in one query."""
    rows: dict[int, list] = defaultdict(list)
    query = sa.select(
        ConsensusMark.application_id, ConsensusMark.kind, ConsensusMark.subject, ConsensusMark.accepted
    ).where(ConsensusMark.application_id.in_(application_ids), ConsensusMark.for_appeal.is_(for_appeal))
    for application_id, *mark in session.execute(query):
        rows[application_id].append(mark)
    return {application_id: _marks(marks) for application_id, marks in rows.items()}


def _marks(rows) -> Marks:
    files, not_applicable = {}, {}
    for kind, subject, accepted in rows:
        (files if kind == MarkKind.FILE else not_applicable)[subject] = accepted
    return Marks(files, not_applicable)


def _rows(marks: Marks) -> list[tuple[str, str, bool]]:
    return [(MarkKind.FILE.value, f, v) for f, v in marks.files.items()] + [
        (MarkKind.NOT_APPLICABLE.value, q, v) for q, v in marks.not_applicable.items()
    ]


def check_marks(items: Items, marks: Marks) -> None:
    if marks.outside(items):
        raise ReviewError(_l("The marks name files or answers that this application does not have."), 400)


def save_marks(session, assignment: Assignment, marks: Marks) -> None:
    """Keep the assessor's marks given now; those not given stay as they were."""
    check_marks(items_of(session, assignment.application), marks)
    existing = {
        (row.kind, row.subject): row
        for row in session.scalars(sa.select(FindingMark).where(FindingMark.assignment_id == assignment.id))
    }
    for kind, subject, accepted in _rows(marks):
        row = existing.get((kind, subject)) or FindingMark(
            assignment_id=assignment.id, kind=kind, subject=subject
        )
        row.accepted = accepted
        session.add(row)


def record_consensus_marks(
    session, application: Application, lead, marks: Marks, *, for_appeal: bool = False
) -> None:
    """Replace the consensus marks (the review's, or the appeal panel's) by the lead's (checked complete
    by the caller)."""
    session.execute(
        sa.delete(ConsensusMark).where(
            ConsensusMark.application_id == application.id, ConsensusMark.for_appeal.is_(for_appeal)
        )
    )
    session.add_all(
        ConsensusMark(
            application_id=application.id,
            kind=k,
            subject=s,
            accepted=a,
            recorded_by_id=lead.id,
            for_appeal=for_appeal,
        )
        for k, s, a in _rows(marks)
    )


def accepted_answers_of(session, application: Application, marks: Marks) -> dict[str, Any]:
    """The application's typed answers as the review that made `marks` accepted them."""
    return accepted_by(standard_of(application), typed_answers_of(session, application), marks)
