"""The in-memory shape of one version of a standard: frozen dataclasses of plain values.

This module is pure (no Flask, no SQLAlchemy). `certify.standards.format` builds these objects from a
validated YAML file; the scoring engine, the questionnaire and the review read them. Nothing here changes
after loading, which is what lets a published version be shared safely between requests and workers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from certify.standards.attestation import Attestation, StandardKind

if TYPE_CHECKING:  # monitoring imports this module; Monitoring is only an annotation here
    from certify.standards.monitoring import Monitoring

RUBRIC_SCORES = (0, 1, 2, 3, 4)
LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class Text:
    """A text in both languages of the standard."""

    ru: str
    en: str

    def get(self, locale: str) -> str:
        """The text in `locale`, falling back to Russian (the standard's first language)."""
        return self.en if locale.startswith("en") else self.ru


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENTAGE = "percentage"
    MONEY = "money"
    DATE = "date"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    EVIDENCE = "evidence"
    #: computed from two number answers, never answered itself (docs/standard.md, "Ratios")
    RATIO = "ratio"
    #: the number of a person's attestation under a personal scheme: it counts as held when the number
    #: names an attestation of that scheme in force (docs/standard.md, "Attestations of persons")
    ATTESTATION = "attestation"


#: Types the manager answers with a number.
NUMBER_TYPES = frozenset(
    {QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.PERCENTAGE, QuestionType.MONEY}
)
#: Types whose value is a number that bands turn into points: the answered ones and ratios.
BANDED_TYPES = NUMBER_TYPES | {QuestionType.RATIO}
#: Types whose answers earn points by themselves; text and evidence count only through the rubric.
POINTED_TYPES = BANDED_TYPES | {
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.YES_NO,
    QuestionType.ATTESTATION,
}
#: Types whose typed answer is true or false, earning `points_yes` or `points_no`.
TWO_WAY_TYPES = frozenset({QuestionType.YES_NO, QuestionType.ATTESTATION})


class Marker(Enum):
    """Answers that are not values: compared by identity, never confused with a real answer."""

    NOT_APPLICABLE = "not_applicable"

    def __repr__(self) -> str:
        return self.name


#: The answer "not applicable", accepted only by a question declared `not_applicable: true`.
NOT_APPLICABLE = Marker.NOT_APPLICABLE


class Condition(Protocol):
    """A parsed `visible_if` / eligibility expression (see `certify.standards.conditions`)."""

    source: str

    def evaluate(self, answers: Mapping[str, Any]) -> bool: ...

    def references(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    points: Decimal = Decimal(0)


@dataclass(frozen=True)
class Band:
    """Turns a number into points: `minimum <= value < maximum` (an open end is None)."""

    points: Decimal
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def contains(self, value: Decimal) -> bool:
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value < self.maximum
        )


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire.

    Answer values, as the scoring engine and the questionnaire exchange them:
    single_choice -> str (an option value); multiple_choice -> tuple[str, ...]; yes_no -> bool;
    integer -> int; decimal, percentage, money -> Decimal; date -> datetime.date;
    short_text, long_text -> str; evidence -> tuple[str, ...] of stored file ids (non-empty = provided);
    attestation -> bool (the number answered names an attestation of `scheme` in force).
    A missing key or None means "not answered"; `NOT_APPLICABLE` means "not applicable", which only a
    question with `not_applicable` accepts. A ratio is never answered: the engine computes it (Decimal).
    """

    id: str
    type: QuestionType
    label: Text
    help: Text | None = None
    required: bool = True
    visible_if: Condition | None = None
    options: tuple[Option, ...] = ()
    #: multiple_choice: the points summed over chosen options are capped at this value.
    cap: Decimal | None = None
    #: multiple_choice: at most this many options may be chosen (None: any number).
    max_choices: int | None = None
    #: yes_no: points for each answer; attestation: for an attestation held, and for one not in force.
    points_yes: Decimal = Decimal(0)
    points_no: Decimal = Decimal(0)
    unit: Text | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    bands: tuple[Band, ...] = ()
    #: phase id -> the bands that replace `bands` for a cluster in that phase (same top points)
    phase_bands: Mapping[str, tuple[Band, ...]] = field(default_factory=dict)
    #: the manager may answer `NOT_APPLICABLE`; the question then leaves the indicator's maximum
    not_applicable: bool = False
    #: ratio: numerator / denominator × per, from two earlier number (or ratio) questions
    numerator: str | None = None
    denominator: str | None = None
    per: Decimal = Decimal(1)
    #: attestation: the code of the personal scheme whose attestation the answer names
    scheme: str | None = None

    def bands_in(self, phase: str | None) -> tuple[Band, ...]:
        """The bands that point an answer of a cluster in `phase`."""
        return self.phase_bands.get(phase, self.bands) if phase is not None else self.bands

    @property
    def max_points(self) -> Decimal:
        """The most points an answer can earn (0 for questions that earn none by themselves)."""
        if self.type == QuestionType.SINGLE_CHOICE:
            return max((o.points for o in self.options), default=Decimal(0))
        if self.type == QuestionType.MULTIPLE_CHOICE:
            total = sum((o.points for o in self.options if o.points > 0), Decimal(0))
            return min(total, self.cap) if self.cap is not None else total
        if self.type in TWO_WAY_TYPES:
            return max(self.points_yes, self.points_no)
        if self.type in BANDED_TYPES:
            return max((b.points for b in self.bands), default=Decimal(0))
        return Decimal(0)

    @property
    def is_pointed(self) -> bool:
        return self.type in POINTED_TYPES and self.max_points > 0


@dataclass(frozen=True)
class Indicator:
    id: str
    title: Text
    weight: Decimal
    guidance: Text
    #: descriptor for each rubric score 0..4, indexed by score
    rubric: tuple[Text, Text, Text, Text, Text]
    expected_evidence: Text
    questions: tuple[Question, ...] = ()
    #: when evidence is expected but none is attached, the indicator's score is capped at this (0-100)
    evidence_required: bool = False
    cap_without_evidence: Decimal = Decimal(25)
    #: why the indicator is in the standard, and at its critical minimums (docs/standard.md's table)
    rationale: Text | None = None


@dataclass(frozen=True)
class Area:
    id: str
    title: Text
    weight: Decimal
    description: Text | None = None
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class Requirement:
    """A knock-out eligibility requirement: `rule` must hold on the answers for any level."""

    id: str
    title: Text
    rule: Condition
    evidence: Text
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Critical:
    """An indicator a level cannot do without, whatever the total (docs/scoring.md, "Critical indicators").

    The assessed outcome needs the indicator's score (after the evidence cap) at `rubric` × 25 or more;
    the self-assessment, which has no rubric, needs its score from the answers at `answers` or more.
    """

    indicator: str
    #: minimum consensus rubric score, 0..4
    rubric: int
    #: minimum self-assessed score, 0..100; None: the score the rubric minimum stands for (rubric × 25)
    answers: Decimal | None = None

    @property
    def answers_minimum(self) -> Decimal:
        """The self-assessed score the indicator needs."""
        return self.answers if self.answers is not None else Decimal(25 * self.rubric)


@dataclass(frozen=True)
class Level:
    id: str
    name: Text
    #: higher rank = better level; levels are tried from the highest rank down
    rank: int
    min_total: Decimal
    min_area: Decimal = Decimal(0)
    #: indicator id -> minimum consensus rubric score (0..4)
    min_rubric: Mapping[str, int] = field(default_factory=dict)
    assessors: int = 1
    #: critical indicators; a level also needs those of every level below it (the higher minimum wins)
    critical: tuple[Critical, ...] = ()
    #: area ids that `min_area` does not apply to: small areas, guarded by critical indicators instead
    min_area_exempt: tuple[str, ...] = ()
    #: a condition on the answers the level also needs (a senior level's longer experience, say); a
    #: level needs the `requires` of every level below it too
    requires: Condition | None = None
    #: `requires` in words, for the reason a level was not reached (the expression itself when None)
    requires_note: Text | None = None


@dataclass(frozen=True)
class ReviewRules:
    """How the review is run (docs/standard.md, "The review"): when a third assessor is called for.

    Two assessors whose totals are `third_assessor_spread` points apart or more, or (where the standard
    sets `third_assessor_steps`) whose rubric scores on any one indicator are that many steps apart or
    more, do not settle the consensus between them: the coordinator adds a third assessor first.
    """

    third_assessor_spread: Decimal = Decimal(30)
    #: None: no such rule (cmq 1.0 has none; a gap is then only flagged at consensus)
    third_assessor_steps: int | None = None


@dataclass(frozen=True)
class Phase:
    """A stage of a cluster's life: the first phase whose `under_years` is above its age applies."""

    id: str
    name: Text
    #: None for the last phase, which has no upper bound
    under_years: int | None = None


@dataclass(frozen=True)
class Phases:
    """Maturity phases: the founding date (`founded`, a date question) tells which one a cluster is in.

    A young cluster cannot show what a mature one shows (years of results, retention over 24 months,
    size); questions may therefore band answers per phase (`Question.phase_bands`).
    """

    founded: str
    phases: tuple[Phase, ...]

    def phase_of(self, founded: date | None, on: date) -> Phase:
        """The phase of a cluster founded on `founded`, judged on `on`.

        No founding date (or one after `on`) gives the last phase: an allowance for youth is claimed by
        stating when the cluster was founded, never by silence.
        """
        if founded is None or founded > on:
            return self.phases[-1]
        age = on.year - founded.year - ((on.month, on.day) < (founded.month, founded.day))
        return next(
            (p for p in self.phases if p.under_years is not None and age < p.under_years), self.phases[-1]
        )


class CrossCheckKind(StrEnum):
    #: the answered questions must all give the same number
    EQUAL = "equal"
    #: the answered questions must add up to at most `limit`
    SUM_AT_MOST = "sum_at_most"


@dataclass(frozen=True)
class CrossCheck:
    """A consistency test between answers, shown as a warning to the manager and the assessors.

    Never scored: a mismatch may have a good reason (a date of counting), which the assessor weighs.
    """

    id: str
    kind: CrossCheckKind
    questions: tuple[str, ...]
    message: Text
    limit: Decimal | None = None


@dataclass(frozen=True)
class Standard:
    code: str
    version: str
    title: Text
    description: Text
    validity_months: int
    eligibility: tuple[Requirement, ...]
    levels: tuple[Level, ...]
    areas: tuple[Area, ...]
    review: ReviewRules = ReviewRules()
    phases: Phases | None = None
    cross_checks: tuple[CrossCheck, ...] = ()
    #: who is certified: an organisation, or a person (a personal attestation scheme)
    kind: StandardKind = StandardKind.ORGANISATION
    #: the sections only a personal scheme has (docs/attestation.md); None for an organisation's
    attestation: Attestation | None = None
    #: the yearly report between certifications (docs/monitoring.md); None when the standard has none
    monitoring: Monitoring | None = None

    @property
    def is_person(self) -> bool:
        return self.kind == StandardKind.PERSON

    def all_questions(self) -> tuple[Question, ...]:
        """Every question in questionnaire order: eligibility first, then area by area."""
        eligibility = tuple(q for r in self.eligibility for q in r.questions)
        return eligibility + tuple(q for a in self.areas for i in a.indicators for q in i.questions)

    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for a in self.areas for i in a.indicators)
