"""The newest standard, cmq 1.1, through the screens: computed ratios, the maturity phase, cross-checks.

The workflow tests run on cmq 1.0 (tests/factories.py, DEFAULT_VERSION); these install 1.1, the version
new applications start on, and check what it adds as a manager and an assessor see it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from certify.accounts.models import Role
from certify.questionnaire.models import Answer
from tests import factories
from tests.pdfs import pdf_text
from tests.stored import certificate_pdf_path


@pytest.fixture
def newest(db):
    return factories.install_default_standard(db, "1.1")


def founded_years_ago(years: int) -> str:
    return (date.today() - timedelta(days=365 * years + 10)).isoformat()


def test_a_ratio_is_shown_computed_on_its_page_and_never_asked(newest, db, login):
    client, manager = login(Role.MANAGER)
    application = factories.make_application(
        db, manager, answers={"str_members_total": "40", "gov_team_fte": "2"}
    )
    db.commit()
    html = client.get(f"/applications/{application.id}/pages/gov").get_data(as_text=True)
    assert 'name="gov_team_per_10_participants"' not in html
    assert 'data-ratio="gov_team_per_10_participants"' in html
    # 2 FTE for 40 participants: 0.5 per 10, written the Russian way, with its unit
    assert 'aria-live="polite">0,50\u00a0ставки на 10 участников</output>' in html
    visible = client.post(
        f"/applications/{application.id}/pages/gov/visibility", data={"gov_team_fte": "4"}
    ).get_json()
    assert visible["ratios"]["gov_team_per_10_participants"].startswith("1,00")


def test_the_summary_names_the_phase_and_the_answers_that_disagree(newest, db, login):
    client, manager = login(Role.MANAGER)
    answers = {"str_cluster_founded": founded_years_ago(1), "elig_staff_fte": "1.5", "gov_team_fte": "2"}
    application = factories.make_application(db, manager, answers=answers)
    db.commit()
    html = client.get(f"/applications/{application.id}/summary").get_data(as_text=True)
    assert "Формирующийся кластер" in html
    assert "Ответы, которые расходятся между собой (1)" in html
    assert f'href="/applications/{application.id}/pages/eligibility#q-elig_staff_fte"' in html
    db.get(Answer, (application.id, "gov_team_fte")).value = "1.5"
    db.commit()
    assert "расходятся между собой" not in client.get(f"/applications/{application.id}/summary").get_data(
        as_text=True
    )


def test_the_assessor_reads_the_warning_beside_the_answers(newest, db, client_for):
    case = factories.in_review(db)
    db.get(Answer, (case.application.id, "gov_team_fte")).value = "7"
    db.commit()
    client = client_for(case.lead.assessor)
    html = client.get(f"/review/assignments/{case.lead.id}/scores").get_data(as_text=True)
    # beside the team's size on the governance indicator (the message names the eligibility answer too)
    assert html.count("Проверьте:") == 1
    assert "Численность команды в ставках указана по-разному" in html


def test_the_certificate_states_the_clusters_maturity_phase(newest, db):
    manager = factories.make_user(db, Role.MANAGER)
    application = factories.make_application(
        db, manager, answers={"str_cluster_founded": founded_years_ago(5)}
    )
    case = factories.certified(db, application=application)
    text = " ".join(pdf_text(certificate_pdf_path(case.certificate)).split())
    assert "Этап развития кластера: Развивающийся кластер" in text
    assert "Maturity phase: Growing cluster" in text
