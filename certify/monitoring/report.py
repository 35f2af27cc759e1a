"""The yearly report as questions, and the flags its figures raise (issue 18; docs/monitoring.md). Pure.

The report is a short questionnaire made from the certificate's standard version: one page of the core
KPIs, then a page for each green priority field the cluster chose in its certified application, asking
the actual figure of the year against the baseline and the target it set. The questions are the
questionnaire's own (`certify.standards.definition.Question`), so the report is filled, validated, saved,
exported and imported by the same machinery as an application; each page asks for its supporting
documents as an evidence question.

A report is flagged when a KPI is worse than the year before by more than the standard's share, or when a
core KPI breaks what the certified level requires; each flag names the KPI and the threshold, and nothing
else follows from it by itself: the coordinator decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from certify.questionnaire.pages import Page, all_pages
from certify.standards.definition import Area, Indicator, Question, QuestionType, Standard, Text
from certify.standards.monitoring import Kpi, KpiType, Monitoring

#: the page of the core KPIs; each chosen field's page is `field_page(field)`
CORE_PAGE = "report_core"
CORE_TITLE = Text(ru="Итоги года", en="Results of the year")
REPORT_TITLE = Text(
    ru="Ежегодный отчёт сертифицированной организации", en="Yearly report of a certified organisation"
)
DOCUMENTS = Text(
    ru="Приложите документы, подтверждающие цифры: реестр участников, отчётность, договоры",
    en="Attach the documents behind the figures: the register of participants, statements, contracts",
)
#: a figure against its baseline and target, for a green field's KPI: (suffix, label)
FIELD_FIGURES = (
    ("actual", Text(ru="факт за год", en="actual for the year")),
    ("baseline", Text(ru="базовое значение", en="baseline")),
    ("target", Text(ru="целевое значение", en="target")),
)
#: the questionnaire's type for each KPI type: whole counts, per cents, roubles, and other quantities
QUESTION_TYPES = {KpiType.COUNT: QuestionType.INTEGER, KpiType.SHARE: QuestionType.PERCENTAGE}
QUESTION_TYPES |= {KpiType.MONEY: QuestionType.MONEY}
ZERO, HUNDRED = Decimal(0), Decimal(100)


def field_page(field: str) -> str:
    return f"report_{field}"


def core_question_id(kpi: str) -> str:
    return f"kpi_{kpi}"


def field_question_id(field: str, kpi: str, figure: str) -> str:
    return f"kpi_{field}_{kpi}_{figure}"


def report_standard(standard: Standard, fields: Iterable[str]) -> Standard:
    """The yearly report of a cluster that chose `fields` (option values of the fields question), as a
    standard of its own: no eligibility, one area per page with one section, nothing scored.

    It keeps the code, version, levels and monitoring of `standard`, so that the questionnaire's pages,
    forms, evidence and workbook serve the report unchanged; made once per standard and choice of fields.
    """
    key = (id(standard), frozenset(fields))
    made = _REPORT_STANDARDS.get(key)
    if made is None or made[0] is not standard:
        if len(_REPORT_STANDARDS) >= 64:
            _REPORT_STANDARDS.clear()
        made = _REPORT_STANDARDS[key] = (standard, _report_standard(standard, key[1]))
    return made[1]


#: (id of the standard, fields) → (the standard, its report): a standard holds mappings and cannot be
#: hashed, and the parsed versions are shared for the process's life (certify.standards.services)
_REPORT_STANDARDS: dict[tuple[int, frozenset[str]], tuple[Standard, Standard]] = {}


def _report_standard(standard: Standard, fields: frozenset[str]) -> Standard:
    areas = tuple(
        Area(key, title, ZERO, indicators=(_section(key, title, questions),))
        for key, title, questions in _report_sections(standard, fields)
    )
    return replace(standard, title=REPORT_TITLE, eligibility=(), areas=areas, phases=None, cross_checks=())


def report_pages(standard: Standard, fields: Iterable[str]) -> tuple[Page, ...]:
    """The report's pages for a cluster that chose `fields`: the core KPIs, then each chosen field's.

    Fields the standard does not know are left out, as are KPIs of a field that has none.
    """
    return all_pages(report_standard(standard, fields))


def _report_sections(standard: Standard, chosen: frozenset[str]):
    """(page key, title, questions) of each page: the core KPIs' page, then each chosen field's."""
    monitoring = _monitoring(standard)
    core = tuple(_question(monitoring.kpi(kpi), core_question_id(kpi)) for kpi in monitoring.core)
    yield CORE_PAGE, CORE_TITLE, (*core, _documents(CORE_PAGE))
    titles = field_titles(standard)
    for entry in monitoring.fields:
        if entry.field not in chosen:
            continue
        key = field_page(entry.field)
        questions = tuple(
            _question(monitoring.kpi(kpi), field_question_id(entry.field, kpi, figure), figure_label)
            for kpi in entry.kpis
            for figure, figure_label in FIELD_FIGURES
        )
        yield key, titles[entry.field], (*questions, _documents(key))


def _section(key: str, title: Text, questions: tuple[Question, ...]) -> Indicator:
    """A page's one section: its questions, with nothing to score (no weight, no rubric)."""
    blank = Text(ru="", en="")
    return Indicator(key, title, ZERO, blank, (blank,) * 5, DOCUMENTS, questions)


def carried_over(report: Standard) -> frozenset[str]:
    """The questions a yearly report takes over from the organisation's report before: each field's
    baseline and target, which the document setting them fixes for years (the actual figures are the
    year's own, never copied)."""
    monitoring = _monitoring(report)
    fixed = {
        field_question_id(entry.field, kpi, figure)
        for entry in monitoring.fields
        for kpi in entry.kpis
        for figure in ("baseline", "target")
    }
    return frozenset(q.id for q in report.all_questions() if q.id in fixed)


def figure_title(report: Standard, question_id: str) -> Text:
    """How a report's figure is named to a reader: the question, after its field's page for a field's."""
    for area in report.areas:
        for question in area.indicators[0].questions:
            if question.id != question_id:
                continue
            if area.id == CORE_PAGE:
                return question.label
            return Text(
                ru=f"{area.title.ru} — {question.label.ru}", en=f"{area.title.en} — {question.label.en}"
            )
    raise KeyError(question_id)


def _monitoring(standard: Standard) -> Monitoring:
    if standard.monitoring is None:
        raise ValueError(f"{standard.code} {standard.version} has no monitoring section")
    return standard.monitoring


def field_titles(standard: Standard) -> dict[str, Text]:
    """Each field's name: its option's label in the question of `standard` (the certified one, not a
    report's) where the cluster chose it."""
    fields_question = _monitoring(standard).fields_question
    question = next(q for q in standard.all_questions() if q.id == fields_question)
    return {option.value: option.label for option in question.options}


def _question(kpi: Kpi, question_id: str, figure: Text | None = None) -> Question:
    """A KPI's figure as a number question, its definition as the help, never below zero."""
    kind = QUESTION_TYPES.get(kpi.type, QuestionType.DECIMAL)
    label = (
        kpi.name
        if figure is None
        else Text(ru=f"{kpi.name.ru}: {figure.ru}", en=f"{kpi.name.en}: {figure.en}")
    )
    return Question(
        id=question_id,
        type=kind,
        label=label,
        help=kpi.definition,
        unit=kpi.unit,
        minimum=ZERO,
        maximum=HUNDRED if kpi.type == KpiType.SHARE else None,
    )


def _documents(section: str) -> Question:
    return Question(id=f"{section}_documents", type=QuestionType.EVIDENCE, label=DOCUMENTS, required=False)


class FlagKind(StrEnum):
    #: worse than the year before by more than the standard's share
    WORSENED = "worsened"
    #: a core KPI below what the certified level requires (above, when lower is better)
    BELOW_LEVEL = "below_level"


@dataclass(frozen=True)
class Flag:
    """Why a report goes to the coordinator: the KPI, the figure and the threshold it broke."""

    kind: FlagKind
    kpi: str
    #: the report's question: a core KPI's, or a green field's actual figure
    question_id: str
    value: Decimal
    #: the year before's figure (WORSENED) or the level's limit (BELOW_LEVEL)
    threshold: Decimal
    #: the share allowed (WORSENED), in per cent of the year before
    allowed_percent: Decimal | None = None


def flags(
    standard: Standard,
    level: str,
    current: Mapping[str, Decimal],
    previous: Mapping[str, Decimal] | None = None,
) -> list[Flag]:
    """The flags of a report with the figures `current` (by question id), for a certificate at `level`;
    `previous`, the year before's report, if any."""
    monitoring = _monitoring(standard)
    thresholds = monitoring.thresholds
    found = []
    for question_id, kpi in _compared(monitoring):
        if question_id not in current:
            continue
        value = current[question_id]
        before = (previous or {}).get(question_id)
        if before is not None and thresholds.worsened(kpi, before, value):
            found.append(
                Flag(FlagKind.WORSENED, kpi.id, question_id, value, before, thresholds.worsening_percent)
            )
    for limit in thresholds.limits:
        question_id = core_question_id(limit.kpi)
        if limit.level != level or question_id not in current:
            continue
        kpi, value = monitoring.kpi(limit.kpi), current[question_id]
        if (value < limit.value) if kpi.higher_is_better else (value > limit.value):
            found.append(Flag(FlagKind.BELOW_LEVEL, kpi.id, question_id, value, limit.value))
    return found


def _compared(monitoring: Monitoring) -> list[tuple[str, Kpi]]:
    """The figures compared year on year: each core KPI, and each field's actual figure."""
    core = [(core_question_id(kpi), monitoring.kpi(kpi)) for kpi in monitoring.core]
    actuals = [
        (field_question_id(entry.field, kpi, "actual"), monitoring.kpi(kpi))
        for entry in monitoring.fields
        for kpi in entry.kpis
    ]
    return core + actuals
