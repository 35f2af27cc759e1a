"""The consensus page: nothing chosen where the assessors differ, refusals in place, check then record."""

from __future__ import annotations

import sqlalchemy as sa
from babel.numbers import format_decimal

from certify.accounts.models import Role
from certify.review import comparison
from certify.review.models import ConsensusScore
from tests import factories
from tests.factories import make_user
from tests.review.consensus_steps import (
    CLOSE,
    COMMENTS,
    DIVERGENT,
    check_and_record,
    checked_token,
    consensus_data,
    scored_apart,
)

JUSTIFIED = dict.fromkeys(DIVERGENT, "Обсудили реестр с руководителем")


def lead_of(db, client_for, **earlier):
    """An application scored apart (committed), its lead's client and the consensus page's address."""
    case = scored_apart(db, **earlier)
    db.commit()
    return case, client_for(case.lead.assessor), f"/review/applications/{case.application.id}/consensus"


def state_of(db, case) -> str:
    db.expire_all()
    return db.get(type(case.application), case.application.id).state


def nothing_recorded(db, case) -> bool:
    return state_of(db, case) == "scored" and not db.scalars(sa.select(ConsensusScore)).all()


def test_a_score_is_chosen_only_where_the_assessors_agree(db, client_for):
    case, lead, url = lead_of(db, client_for)
    page = lead.get(url).get_data(as_text=True)
    for indicator in (*DIVERGENT, *CLOSE):
        select = page.split(f'id="score-{indicator}"', 1)[1].split("</select>", 1)[0]
        assert 'selected value=""' in select and select.count("selected") == 1
    agreed = page.split('id="score-str_growth"', 1)[1].split("</select>", 1)[0]
    assert 'selected value="3"' in agreed and agreed.count("selected") == 1
    # by name, with both assessors' comments
    assert "Численность и активность участников" in page and all(c in page for c in COMMENTS)
    assert "Проверить консенсус" in page and "Зафиксировать консенсус" not in page


def test_the_page_names_the_indicators_in_the_readers_language(db, client_for):
    english = make_user(db, Role.ASSESSOR, locale="en")
    case, lead, url = lead_of(db, client_for, assessors=[english, make_user(db, Role.ASSESSOR)])
    page = lead.get(url).get_data(as_text=True)
    assert "Number and activity of members" in page and "Check the consensus" in page


def test_the_lower_scores_in_one_click_are_refused_in_place(db, client_for):
    case, lead, url = lead_of(db, client_for)
    lower = consensus_data(case.application, DIVERGENT | {i: 3 for i in CLOSE})
    lower["justification-str_growth"] = "Типовая практика"
    refused = lead.post(url, data={**lower, "step": "check"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="error-summary"' in page
    for indicator in DIVERGENT:  # the message beside the justification, linked from the summary
        assert f'href="#justification-{indicator}"' in page
        assert f'id="justification-{indicator}-error"' in page
    assert "Оценки экспертов расходятся на 2 и более: обоснуйте консенсус." in page
    assert 'href="#justification-fin_plan"' not in page  # one step apart: either score stands
    assert "Типовая практика</textarea>" in page  # what was typed is kept
    chosen = page.split('id="score-str_members"', 1)[1].split("</select>", 1)[0]
    assert 'selected value="1"' in chosen
    assert nothing_recorded(db, case)


def test_a_missing_score_is_named_with_the_missing_justifications(db, client_for):
    case, lead, url = lead_of(db, client_for)
    data = consensus_data(case.application, dict.fromkeys(CLOSE, "") | DIVERGENT)
    page = lead.post(url, data={**data, "step": "check"}).get_data(as_text=True)
    assert 'href="#score-fin_plan"' in page and "Выберите согласованную оценку." in page
    assert all(f'href="#justification-{i}"' in page for i in DIVERGENT)
    assert nothing_recorded(db, case)


def test_the_check_shows_the_total_and_level_and_records_nothing(db, client_for):
    case, lead, url = lead_of(db, client_for)
    data = consensus_data(case.application, {i: 2 for i in DIVERGENT}, **JUSTIFIED)
    checked = lead.post(url, data={**data, "step": "check"})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200
    rubric = {k.removeprefix("score-"): int(v) for k, v in data.items() if k.startswith("score-")}
    outcome = comparison.assessed_outcome(
        db, case.application, rubric, factories.every_item_accepted(db, case.application)
    )
    assert f"Итоговая оценка экспертов: {format_decimal(outcome.total, locale='ru')} из 100." in page
    assert (f"Уровень: {outcome.level.name.get('ru')}." if outcome.level else "Ни один уровень") in page
    assert "Зафиксировать консенсус" in page and "Вернуться к редактированию" in page
    assert 'type="hidden" name="justification-str_members" value="Обсудили реестр с руководителем"' in page
    assert checked_token(page)
    assert nothing_recorded(db, case)


def test_the_consensus_is_recorded_after_the_check(db, client_for):
    case, lead, url = lead_of(db, client_for)
    data = consensus_data(case.application, {i: 2 for i in DIVERGENT} | CLOSE, **JUSTIFIED)
    recorded = check_and_record(lead, case.application, data)
    assert recorded.status_code == 302
    assert state_of(db, case) == "consensus"
    kept = comparison.consensus_of(db, case.application)
    assert {i: (kept[i].score, kept[i].justification) for i in DIVERGENT} == {
        i: (2, JUSTIFIED[i]) for i in DIVERGENT
    }
    assert "Консенсус зафиксирован." in lead.get(url).get_data(as_text=True)


def test_only_the_checked_values_are_recorded(db, client_for):
    case, lead, url = lead_of(db, client_for)
    data = consensus_data(case.application, {i: 2 for i in DIVERGENT}, **JUSTIFIED)
    token = checked_token(lead.post(url, data={**data, "step": "check"}).get_data(as_text=True))
    # without the check, or with other values than those checked, the confirmation is shown (again)
    for posted in (
        {**data, "step": "record"},
        {**data, "score-str_rules": "2", "step": "record", "checked": token},
    ):
        again = lead.post(url, data={**posted, "justification-str_rules": "Иначе"})
        assert again.status_code == 200 and "Вернуться к редактированию" in again.get_data(as_text=True)
        assert nothing_recorded(db, case)
    # nor does another lead's (or another application's) token fit
    other, other_lead, other_url = lead_of(db, client_for)
    other_data = consensus_data(other.application, {i: 2 for i in DIVERGENT}, **JUSTIFIED)
    stranger = other_lead.post(other_url, data={**other_data, "step": "record", "checked": token})
    assert stranger.status_code == 200 and nothing_recorded(db, other)


def test_back_to_editing_keeps_the_values(db, client_for):
    case, lead, url = lead_of(db, client_for)
    data = consensus_data(case.application, {i: 2 for i in DIVERGENT}, **JUSTIFIED)
    back = lead.post(url, data={**data, "step": "edit"})
    page = back.get_data(as_text=True)
    assert back.status_code == 200 and "Проверить консенсус" in page
    assert "Обсудили реестр с руководителем</textarea>" in page
    chosen = page.split('id="score-str_members"', 1)[1].split("</select>", 1)[0]
    assert 'selected value="2"' in chosen
    assert nothing_recorded(db, case)


def test_staff_see_the_comparison_without_a_form(db, client_for):
    case, _, url = lead_of(db, client_for)
    page = client_for(case.coordinator).get(url).get_data(as_text=True)
    assert 'id="consensus-form"' not in page and all(c in page for c in COMMENTS)
