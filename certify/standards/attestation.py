"""What a personal attestation scheme adds to a standard: frozen dataclasses of plain values.

A scheme is a standard of kind `person` (docs/attestation.md): its eligibility is the candidate's
prerequisites, its areas and indicators the practical part examiners score on the rubric, and these
sections the rest of the procedure — the document issued, the consent to processing personal data, the
theory exam, the practical task, the deadlines and the recertification rules. Pure (no Flask, no
SQLAlchemy); `certify.standards.build` makes them from a checked file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # definition imports this module; Text is only an annotation here
    from certify.standards.definition import Text


class StandardKind(StrEnum):
    """Who a standard certifies: an organisation (the default) or a person."""

    ORGANISATION = "organisation"
    PERSON = "person"


#: The top-level sections only a personal scheme has, each required there (in file order).
PERSON_SECTIONS = ("document", "consent", "exam", "practical", "procedure", "recertification")


@dataclass(frozen=True)
class AttemptRules:
    """The retake rule: at most `max` attempts in any `within_months`, at least `min_days_between` apart."""

    max: int
    within_months: int
    min_days_between: int


@dataclass(frozen=True)
class ExamPart:
    """The theory stage: a blueprint of an item bank (docs/exams.md), taken within `window_days`."""

    #: the code of an item bank in certify/exams/library or the database (checked when installed)
    bank: str
    blueprint: str
    #: days from admission within which the candidate takes the exam (Decree 1204: 30)
    window_days: int
    attempts: AttemptRules


class PracticalForm(StrEnum):
    #: a case task answered in writing
    CASE = "case"
    #: a portfolio of the candidate's own work, defended before the examiners
    PORTFOLIO = "portfolio"


@dataclass(frozen=True)
class PracticalPart:
    """The practical stage, open only after the theory is passed; scored on the areas' rubrics."""

    form: PracticalForm
    task: Text


@dataclass(frozen=True)
class Procedure:
    """The scheme's deadlines, in calendar days, and who hears an appeal."""

    #: from a complete application to admission or a return with reasons
    admission_days: int
    #: from the last stage to the commission's decision
    decision_days: int
    #: from the decision within which the candidate may appeal
    appeal_days: int
    #: examiners on the panel that hears an appeal, none of whom examined the case; a panel of several
    #: records its own consensus (ISO/IEC 17024: an appeal is heard by persons not involved before)
    appeal_panel: int = 2


@dataclass(frozen=True)
class CpdKind:
    """A kind of continuing professional development; at most `max_hours` of it count (None: all)."""

    id: str
    name: Text
    max_hours: int | None = None


class RenewalRoute(StrEnum):
    #: the CPD rule is met: renewed without a new exam
    CPD = "cpd"
    #: the CPD rule is not met but the scheme allows renewal by passing the exam again
    EXAM = "exam"


@dataclass(frozen=True)
class Recertification:
    """How an attestation is renewed at the end of its validity (ISO/IEC 17024, recertification)."""

    #: hours of CPD over the validity period that renew the attestation
    cpd_hours: int
    cpd_kinds: tuple[CpdKind, ...]
    #: days before expiry on which the holder is reminded, largest first
    reminders_days: tuple[int, ...]
    #: True: without the CPD hours, renewal needs a new exam; False: without them it lapses
    exam_unless_cpd: bool

    def counted_hours(self, hours: Mapping[str, Decimal]) -> Decimal:
        """The CPD hours that count: per kind at most its `max_hours`; unknown kinds count nothing."""
        limits = {kind.id: kind.max_hours for kind in self.cpd_kinds}
        total = Decimal(0)
        for kind_id, recorded in hours.items():
            if kind_id in limits:
                limit = limits[kind_id]
                total += Decimal(recorded) if limit is None else min(Decimal(recorded), Decimal(limit))
        return total

    def renewal_route(self, hours: Mapping[str, Decimal]) -> RenewalRoute | None:
        """How a holder with these CPD hours renews; None when the attestation can only lapse."""
        if self.counted_hours(hours) >= self.cpd_hours:
            return RenewalRoute.CPD
        return RenewalRoute.EXAM if self.exam_unless_cpd else None


@dataclass(frozen=True)
class Attestation:
    """The sections of a personal scheme beyond the standard's own (docs/attestation.md)."""

    #: what the document issued is called: «Аттестат …», never «свидетельство о квалификации» (238-FZ)
    document: Text
    #: the consent to processing personal data the candidate accepts before applying (152-FZ)
    consent: Text
    exam: ExamPart
    practical: PracticalPart
    procedure: Procedure
    recertification: Recertification
