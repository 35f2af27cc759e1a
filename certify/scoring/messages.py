"""Every sentence the scoring engine can say, one table per language, keyed by the reason or error code.

The English table is the gettext source: its templates are marked with `N_`, so the app's Flask-Babel
catalogs may translate or replace them (`gettext(EN[code]) % rendered_params(params, locale)`); the
Russian table lets the pure engine speak both languages of the standard without the app. Parameters are
filled in by `render`: a `Text` in the reader's language, a `Decimal` with one decimal and the locale's
decimal separator, anything else as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from certify.standards.definition import Text
from certify.textmarks import N_

EN: Mapping[str, str] = {
    # Reasons: why an outcome reached its level, or none.
    "eligibility_unmet": N_(
        "Eligibility requirement '%(requirement)s' is not met, so no level can be granted."
    ),
    "total_missing": N_("There is no total score: no question that earns points is shown."),
    "total_below_minimum": N_(
        "The total score is %(score)s, below the %(required)s level '%(level)s' requires."
    ),
    "area_below_minimum": N_(
        "Area '%(area)s' is %(score)s, below the %(required)s level '%(level)s' requires."
    ),
    "rubric_below_minimum": N_(
        "Indicator '%(indicator)s' was scored %(rubric)s, below the %(required)s level '%(level)s' requires."
    ),
    "critical_below_minimum": N_(
        "Critical indicator '%(indicator)s' is %(score)s, below the %(required)s level '%(level)s' requires."
    ),
    "rubric_pending": N_(
        "Level '%(level)s' needs indicator '%(indicator)s' scored at least %(required)s by the assessors,"
        " which a self-assessment cannot show yet."
    ),
    "requires_unmet": N_("Level '%(level)s' also requires %(condition)s, which the answers do not show."),
    "level_reached": N_("Level '%(level)s' is reached with a total score of %(score)s."),
    # Errors: input the engine refuses to score.
    "wrong_type": N_("The answer to question '%(question)s' must be %(expected)s, not %(found)s."),
    "unknown_option": N_("'%(value)s' is not an option of question '%(question)s'."),
    "repeated_option": N_("Option '%(value)s' is chosen more than once in question '%(question)s'."),
    "too_many_choices": N_("Question '%(question)s' allows at most %(limit)s choices, not %(count)s."),
    "out_of_range": N_(
        "The answer %(value)s to question '%(question)s' is outside its range %(low)s to %(high)s."
    ),
    "too_many_digits": N_(
        "The answer to question '%(question)s' has more digits than an answer may have: %(found)s."
    ),
    "unknown_question": N_("There is no question '%(question)s' in this standard."),
    "unknown_indicator": N_("There is no indicator '%(indicator)s' in this standard."),
    "bad_rubric_score": N_(
        "The rubric score of indicator '%(indicator)s' must be an integer from 0 to 4, not %(found)s."
    ),
    "missing_rubric": N_("These indicators have no rubric score: %(indicators)s."),
    "negative_weight": N_("The weight of '%(subject)s' is negative."),
    "area_weights_zero": N_("The area weights of standard '%(standard)s' are all zero."),
    "indicator_weights_zero": N_("The indicator weights of area '%(area)s' are all zero."),
    "negative_points": N_("Question '%(question)s' gives negative points."),
    "bad_evidence_cap": N_(
        "The score cap without evidence of indicator '%(indicator)s' must lie between 0 and 100."
    ),
    "unknown_rubric_indicator": N_(
        "Level '%(level)s' requires a rubric score on unknown indicator '%(indicator)s'."
    ),
    "unknown_critical_indicator": N_("Level '%(level)s' names unknown critical indicator '%(indicator)s'."),
    "bad_critical_minimum": N_(
        "The minimums of critical indicator '%(indicator)s' of level '%(level)s' must be a rubric score"
        " from 0 to 4 and a score from 0 to 100."
    ),
    "unknown_exempt_area": N_("Level '%(level)s' exempts unknown area '%(area)s' from its area minimum."),
    "not_applicable_refused": N_(
        "Question '%(question)s' cannot be answered 'not applicable': the standard does not allow it there."
    ),
    "bad_phase_bands": N_(
        "Question '%(question)s' bands phase '%(phase)s', which the standard does not define, or its bands"
        " there reach other top points than its own."
    ),
    "computed_answered": N_(
        "Question '%(question)s' is computed from other answers and cannot be answered itself."
    ),
}

RU: Mapping[str, str] = {
    "eligibility_unmet": (
        "Условие допуска «%(requirement)s» не выполнено, поэтому уровень не может быть присвоен."
    ),
    "total_missing": "Общей оценки нет: не показан ни один вопрос, за который начисляются баллы.",
    "total_below_minimum": ("Общая оценка: %(score)s — ниже %(required)s, требуемых для уровня «%(level)s»."),
    "area_below_minimum": (
        "Область «%(area)s»: %(score)s — ниже %(required)s, требуемых для уровня «%(level)s»."
    ),
    "rubric_below_minimum": (
        "Индикатор «%(indicator)s» оценён на %(rubric)s — ниже %(required)s,"
        " требуемых для уровня «%(level)s»."
    ),
    "critical_below_minimum": (
        "Критический индикатор «%(indicator)s»: %(score)s — ниже %(required)s,"
        " требуемых для уровня «%(level)s»."
    ),
    "rubric_pending": (
        "Для уровня «%(level)s» эксперты должны оценить индикатор «%(indicator)s»"
        " не ниже чем на %(required)s; самооценка этого пока показать не может."
    ),
    "requires_unmet": (
        "Для уровня «%(level)s» требуется также %(condition)s, а ответы этого не подтверждают."
    ),
    "level_reached": "Уровень «%(level)s» достигнут с общей оценкой %(score)s.",
    "wrong_type": "Ответ на вопрос «%(question)s» должен быть %(expected)s, а не %(found)s.",
    "unknown_option": "«%(value)s» — не вариант ответа на вопрос «%(question)s».",
    "repeated_option": "Вариант «%(value)s» выбран в вопросе «%(question)s» больше одного раза.",
    "too_many_choices": (
        "В вопросе «%(question)s» можно выбрать не больше %(limit)s вариантов, а не %(count)s."
    ),
    "out_of_range": (
        "Ответ %(value)s на вопрос «%(question)s» вне допустимого диапазона от %(low)s до %(high)s."
    ),
    "too_many_digits": "В ответе на вопрос «%(question)s» больше цифр, чем допускается: %(found)s.",
    "unknown_question": "В этом стандарте нет вопроса «%(question)s».",
    "unknown_indicator": "В этом стандарте нет индикатора «%(indicator)s».",
    "bad_rubric_score": (
        "Экспертная оценка индикатора «%(indicator)s» должна быть целым числом от 0 до 4, а не %(found)s."
    ),
    "missing_rubric": "У этих индикаторов нет экспертной оценки: %(indicators)s.",
    "negative_weight": "Вес «%(subject)s» отрицателен.",
    "area_weights_zero": "Веса всех областей стандарта «%(standard)s» равны нулю.",
    "indicator_weights_zero": "Веса всех индикаторов области «%(area)s» равны нулю.",
    "negative_points": "Вопрос «%(question)s» даёт отрицательные баллы.",
    "bad_evidence_cap": (
        "Предел оценки индикатора «%(indicator)s» без подтверждающих документов должен быть от 0 до 100."
    ),
    "unknown_rubric_indicator": (
        "Уровень «%(level)s» требует экспертной оценки несуществующего индикатора «%(indicator)s»."
    ),
    "unknown_critical_indicator": (
        "Уровень «%(level)s» называет критическим несуществующий индикатор «%(indicator)s»."
    ),
    "bad_critical_minimum": (
        "Минимумы критического индикатора «%(indicator)s» уровня «%(level)s» должны быть экспертной"
        " оценкой от 0 до 4 и баллом от 0 до 100."
    ),
    "unknown_exempt_area": (
        "Уровень «%(level)s» освобождает от минимума по областям несуществующую область «%(area)s»."
    ),
    "not_applicable_refused": (
        "На вопрос «%(question)s» нельзя ответить «неприменимо»: стандарт здесь этого не допускает."
    ),
    "bad_phase_bands": (
        "Вопрос «%(question)s» задаёт шкалу для этапа «%(phase)s», которого нет в стандарте, или его шкала"
        " на этом этапе даёт иной максимум баллов, чем основная."
    ),
    "computed_answered": "Вопрос «%(question)s» вычисляется по другим ответам, отвечать на него не нужно.",
}


def template(code: str, locale: str = "en") -> str:
    """The template of `code` in `locale`; like `Text.get`, any locale but English reads Russian."""
    return EN[code] if _is_english(locale) else RU[code]


def render(code: str, params: Mapping[str, Any], locale: str = "en") -> str:
    """The sentence `code` in `locale`, its parameters filled in."""
    return template(code, locale) % rendered_params(params, locale)


def rendered_params(params: Mapping[str, Any], locale: str) -> dict[str, Any]:
    return {key: render_param(value, locale) for key, value in params.items()}


def render_param(value: Any, locale: str) -> Any:
    """A parameter as it reads in `locale`: a Text in that language, a Decimal with one decimal."""
    if isinstance(value, Text):
        return value.get(locale)
    if isinstance(value, Decimal):
        shown = format(value, ".1f")
        # Russian writes a decimal comma: 38,0.
        return shown if _is_english(locale) else shown.replace(".", ",")
    return value


def _is_english(locale: str) -> bool:
    return locale.startswith("en")
