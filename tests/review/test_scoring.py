"""The assessor's scoring page (issue 13, items 5 and 7): offered only when scoring is allowed, no entry
ever discarded (a refused submission keeps the draft and names each indicator still unscored), autosave,
and the answers in the reader's words."""

from __future__ import annotations

import re

from certify.accounts.models import Role
from certify.questionnaire.services import standard_of
from certify.review import comparison, staffing
from certify.review.models import Assignment
from tests import factories
from tests.factories import make_user


def indicators(application) -> list:
    return list(standard_of(application).indicators())


def confirmed_before_start(db, *, locale: str = "ru", answers: dict | None = None) -> Assignment:
    """An assessor who confirmed independence on a submitted application whose review has not started."""
    manager = make_user(db, Role.MANAGER)
    draft = factories.make_application(db, manager, answers=answers)
    application = factories.submitted(db, manager=manager, application=draft).application
    coordinator = make_user(db, Role.COORDINATOR)
    assessor = make_user(db, Role.ASSESSOR, locale=locale)
    (assignment,) = staffing.assign_assessors(db, application, [assessor], assessor, coordinator)
    staffing.confirm_independence(db, assignment, assessor)
    db.commit()
    return assignment


def test_before_the_review_starts_no_scoring_is_offered(db, client_for):
    assignment = confirmed_before_start(db)
    client = client_for(assignment.assessor)
    listing = client.get("/review/assignments").get_data(as_text=True)
    assert "Оценить заявку" not in listing and "Открыть заявку" in listing
    page = client.get(f"/review/assignments/{assignment.id}/scores").get_data(as_text=True)
    assert 'name="score-' not in page and 'name="comment-' not in page and 'value="draft"' not in page
    assert "Оценка ещё не начата" in page


def test_a_save_refused_by_the_workflow_keeps_what_was_typed(db, client_for):
    assignment = confirmed_before_start(db)
    first = indicators(assignment.application)[0]
    response = client_for(assignment.assessor).post(
        f"/review/assignments/{assignment.id}/scores",
        data={
            f"score-{first.id}": "3",
            f"comment-{first.id}": "Реестр ведётся с 2019 года",
            "submit": "draft",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Реестр ведётся с 2019 года" in page and "Оценка ещё не начата" in page
    assert comparison.scores_of(db, assignment) == {}


def test_a_refused_submission_keeps_every_entry_and_names_what_is_missing(db, in_review):
    application, (client, _, assignment), _ = in_review
    first, second, *rest = indicators(application)
    area = standard_of(application).areas[0]
    posted = {
        f"score-{first.id}": "3",
        f"comment-{first.id}": "Реестр участников ведётся",
        f"score-{second.id}": "1",
        f"comment-{rest[0].id}": "Оценю после уточнения",
        f"strengths-{area.id}": "Сильное ядро участников",
        "submit": "final",
    }
    response = client.post(f"/review/assignments/{assignment.id}/scores", data=posted)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Черновик сохранён" in page and f"Показателей без оценки: {len(rest)}." in page
    for indicator in rest:  # each one named, as a link to it, with the reason beside it
        assert f'<a href="#indicator-{indicator.id}" class="alert-link">{indicator.title.ru}</a>' in page
    assert page.count("Поставьте оценку от 0 до 4") == 2 * len(rest)  # in the summary and beside each
    assert re.search(rf'<input checked[^>]*id="score-{first.id}-3"', page)
    assert re.search(rf'<input checked[^>]*id="score-{second.id}-1"', page)
    for text in ("Реестр участников ведётся", "Оценю после уточнения", "Сильное ядро участников"):
        assert text in page
    db.expire_all()
    saved = comparison.scores_of(db, db.get(Assignment, assignment.id))
    assert {
        i: (row.score, row.comment) for i, row in saved.items() if row.score is not None or row.comment
    } == {
        first.id: (3, "Реестр участников ведётся"),
        second.id: (1, ""),
        rest[0].id: (None, "Оценю после уточнения"),
    }
    assert comparison.feedback_of(db, assignment)[area.id].strengths == "Сильное ядро участников"
    assert db.get(Assignment, assignment.id).scores_submitted_at is None


def test_the_complete_scores_are_submitted(db, in_review):
    application, (client, _, assignment), _ = in_review
    url = f"/review/assignments/{assignment.id}/scores"
    response = client.post(url, data={**factories.all_scores(application, 2), "submit": "final"})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Assignment, assignment.id).scores_submitted_at is not None
    page = client.get(url).get_data(as_text=True)
    assert 'name="score-' not in page  # submitted: the scores are read, no longer edited
    assert "Ваши оценки отправлены" in page


def test_autosave_keeps_the_draft_and_names_what_it_refused(db, in_review):
    application, (client, _, assignment), _ = in_review
    first, second, *_ = indicators(application)
    url = f"/review/assignments/{assignment.id}/scores/autosave"
    saved = client.post(
        url, data={f"score-{first.id}": "4", f"score-{second.id}": "1", f"comment-{second.id}": "Мало"}
    )
    assert saved.status_code == 200 and saved.json == {"saved": True}
    refused = client.post(
        url, data={f"score-{first.id}": "2", f"score-{second.id}": "9", f"comment-{second.id}": "я" * 5001}
    )
    assert refused.status_code == 422 and refused.json["saved"] is False
    assert set(refused.json["errors"]) == {f"score-{second.id}", f"comment-{second.id}"}
    db.expire_all()
    rows = comparison.scores_of(db, db.get(Assignment, assignment.id))
    assert (rows[first.id].score, rows[first.id].comment) == (2, "")  # the valid rest is saved
    assert (rows[second.id].score, rows[second.id].comment) == (1, "Мало")  # the refused one stays as saved
    assert db.get(Assignment, assignment.id).scores_submitted_at is None  # autosave never submits


def test_the_page_draws_the_draft_as_saved_with_the_limits_and_markup_as_text(db, in_review):
    application, (client, _, assignment), _ = in_review
    first, second, *_ = indicators(application)
    url = f"/review/assignments/{assignment.id}/scores"
    typed = '<b>Реестр</b> "ведётся" & обновляется'
    draft = {f"score-{first.id}": "3", f"comment-{first.id}": typed, f"score-{second.id}": "9"}
    assert client.post(f"{url}/autosave", data=draft).status_code == 422  # 9 refused, the rest saved
    page = client.get(url).get_data(as_text=True)
    checked = re.findall(
        r'<input checked class="form-check-input" id="(score-[^"]+)" name="([^"]+)" type="radio"'
        r' value="(\d)">',
        page,
    )
    assert checked == [(f"score-{first.id}-3", f"score-{first.id}", "3")]
    assert f'<label class="form-check-label small" for="score-{first.id}-3"><strong>3</strong>' in page
    comment = re.search(rf'<textarea[^>]* id="comment-{first.id}"[^>]*>\s*(.*?)</textarea>', page, re.S)
    assert 'maxlength="5000"' in comment.group(0)
    assert comment.group(1) == "&lt;b&gt;Реестр&lt;/b&gt; &#34;ведётся&#34; &amp; обновляется"


def test_autosave_is_refused_while_scoring_is_not_open(db, client_for):
    assignment = confirmed_before_start(db)
    first = indicators(assignment.application)[0]
    response = client_for(assignment.assessor).post(
        f"/review/assignments/{assignment.id}/scores/autosave", data={f"score-{first.id}": "3"}
    )
    assert response.status_code == 409 and response.json["saved"] is False and response.json["message"]
    assert comparison.scores_of(db, assignment) == {}


def test_another_assessor_cannot_autosave_into_my_scores(db, in_review):
    application, (_, _, mine), (other_client, _, _) = in_review
    first = indicators(application)[0]
    response = other_client.post(
        f"/review/assignments/{mine.id}/scores/autosave", data={f"score-{first.id}": "0"}
    )
    assert response.status_code == 404
    assert comparison.scores_of(db, mine) == {}


ANSWERS = {
    "gov_mandate_basis": "statutes_registry",
    "gov_board_type": "elected_helix",
    "str_admission_rules": "yes",
    "str_members_active_share": "95.05",
    "str_members_total": "1500",
}


def test_assessors_read_labels_and_locale_numbers_not_codes(db, client_for):
    for locale, expected in (
        ("ru", ["Уставом, решением участников и записью в реестре кластеров", "95,05\u00a0%", "Да"]),
        ("en", ["The statutes, a members&#39; decision and an entry in a cluster register", "95.05\u00a0%"]),
    ):
        assignment = confirmed_before_start(db, locale=locale, answers=ANSWERS)
        page = client_for(assignment.assessor).get(f"/review/assignments/{assignment.id}/scores")
        text = page.get_data(as_text=True)
        for shown in expected:
            assert shown in text
        for code in ("statutes_registry", "elected_helix", "95.05<", ">yes<", ">1500<"):
            assert code not in text
    assert "1,500\u00a0members" in text and "An elected board with business" in text
