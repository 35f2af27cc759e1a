"""The written conclusion of an attestation: the real PDF, stored with each decision of a person's
application (the first and the appeal's), downloaded by the candidate and the body (SQLite and PostgreSQL).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from certify.accounts.models import Role
from certify.attestation import stages, theory
from certify.certificates import conclusion_pdf
from certify.certificates.conclusion_pdf import ConclusionContext, PracticalArea, render_conclusion
from certify.certificates.register import latest_of_application
from certify.certificates.render import StaticFilesFetcher
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import appeals, decisions
from certify.storage import REPORTS
from certify.timeutil import utcnow
from certify.workflow import State
from tests import factories
from tests.attestation import steps
from tests.attestation.theory_steps import admitted, practical_submitted, sit
from tests.factories import make_organisation, make_user
from tests.pdfs import pdf_text, poppler
from tests.stored import stored_bytes, stored_path

HOSTILE = '<img src="file:///etc/passwd"> <script>alert(1)</script>'
RECOMMENDATION = "Пройти курс по финансированию кластеров"


def folded(pdf: Path) -> str:
    return " ".join(pdf_text(pdf).split())


# --- pure: the PDF --------------------------------------------------------------------------------


def make_context(**changes) -> ConclusionContext:
    context = ConclusionContext(
        application_id=17,
        candidate_name_ru="Иванова Анна Сергеевна",
        candidate_name_en="Anna Ivanova",
        document_name_ru="Аттестат кластерного менеджера",
        document_name_en="Cluster Manager Attestation",
        scheme_title_ru="Схема аттестации кластерных менеджеров",
        scheme_title_en="Cluster Manager Attestation Scheme",
        scheme_code="cma",
        scheme_version="1.0",
        decided_on=date(2026, 11, 28),
        on_appeal=False,
        level_name_ru=None,
        level_name_en=None,
        certificate_number=None,
        reasons="Практическая часть ниже порога",
        theory=None,
        practical_total=Decimal("35.5"),
        practical_required=Decimal(60),
        practical=(
            PracticalArea("fin", "Финансирование", "Financing", Decimal("25"), Decimal(40), "Нет плана"),
        ),
        recommendations=RECOMMENDATION,
        issuer_name_ru="Орган по сертификации Certify",
        issuer_name_en="Certify certification body",
    )
    return dataclasses.replace(context, **changes)


def test_the_renderer_is_pure():
    code = (
        "import certify.certificates.conclusion_pdf, sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_markup_prints_as_text_fetches_nothing_and_fonts_are_embedded(tmp_path, monkeypatch):
    fetched: list[str] = []
    original = StaticFilesFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticFilesFetcher, "fetch", recording)
    hostile_area = PracticalArea("x", HOSTILE, HOSTILE, Decimal(1), Decimal(40), HOSTILE)
    pdf = tmp_path / "conclusion.pdf"
    pdf.write_bytes(
        render_conclusion(
            make_context(candidate_name_ru=HOSTILE, practical=(hostile_area,), recommendations=HOSTILE)
        )
    )
    text = folded(pdf)
    assert HOSTILE in text and "Заключение о результатах аттестации / Conclusion of the attestation" in text
    assert "Не аттестован Not attested" in text and "28 ноября 2026 г." in text and "35,5" in text
    assert fetched == []
    fonts = poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts and all("DejaVu" in row and row.split()[-5] == "yes" for row in fonts)
    assert 'pdfaid:part="3"' in poppler("pdfinfo", pdf, "-meta")


# --- a person's decisions store it ----------------------------------------------------------------


@pytest.fixture
def passed(db):
    """An admitted candidate of an organisation who passed the theory exam, their examiners' consensus
    recorded at `value` (1: not attested, 4: attested) by the test."""
    steps.install_scheme(db)
    application = admitted(db, user=steps.candidate(db, organisation=make_organisation(db)))
    sit(db, application, passed=True)
    practical_submitted(db, application)
    return application


def reviewed(db, application: Application, value: int):
    coordinator = make_user(db, Role.COORDINATOR)
    team = [make_user(db, Role.ASSESSOR) for _ in range(2)]
    factories.start_review(db, application, coordinator, team)
    factories.agree(db, application, value)
    return coordinator


def written_conclusion(application: Application) -> dict:
    areas = {area.id: f"Итог по области {area.id}: ниже порога" for area in standard_of(application).areas}
    return {"areas": areas, "recommendations": RECOMMENDATION}


def not_attested(db, application: Application, coordinator):
    return decisions.decide(
        db,
        application,
        coordinator,
        chosen_level=None,
        reasons="Практическая часть ниже порога",
        justification="",
        conclusion=written_conclusion(application),
    )


def download(client, application: Application, tmp_path: Path) -> tuple[str, str]:
    """(the file's name, its text) as the user downloads it."""
    with client.get(f"/applications/{application.id}/report.pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        pdf = tmp_path / "downloaded.pdf"
        pdf.write_bytes(response.data)
        return response.headers["Content-Disposition"], folded(pdf)


def test_not_attested_the_conclusion_is_stored_and_the_candidate_and_staff_download_it(
    db, passed, client_for, tmp_path
):
    coordinator = reviewed(db, passed, 1)
    decision = not_attested(db, passed, coordinator)
    db.commit()
    assert passed.report_decision_id == decision.id and passed.report_name

    status = client_for(passed.candidate).get(f"/attestation/applications/{passed.id}").get_data(as_text=True)
    assert (
        f"/applications/{passed.id}/report.pdf" in status and "Заключение о результатах аттестации" in status
    )
    name, text = download(client_for(passed.candidate), passed, tmp_path)
    assert f"conclusion-{passed.id}.pdf" in name
    standard = standard_of(passed)
    for expected in (
        passed.candidate.full_name_ru,
        "Заключение о результатах аттестации",
        f"{standard.code} v{standard.version}",
        "Не аттестован Not attested",
        "100 %",  # every theory item right, overall and per area
        "сдан / passed",
        standard.areas[0].title.ru,
        f"Итог по области {standard.areas[0].id}: ниже порога",
        RECOMMENDATION,
        "Практическая часть ниже порога",
    ):
        assert expected in text, expected
    assert "Отчёт об оценке" not in text  # not the organisation's report

    staff_name, _ = download(client_for(coordinator), passed, tmp_path)
    assert staff_name == name
    other = make_user(db, Role.CANDIDATE)
    db.commit()
    assert client_for(other).get(f"/applications/{passed.id}/report.pdf").status_code == 404


def test_stored_once_a_download_serves_the_stored_file(db, passed, client_for, monkeypatch, tmp_path):
    not_attested(db, passed, reviewed(db, passed, 1))
    db.commit()
    stored = stored_bytes(REPORTS, passed.report_name)
    rendered = []
    monkeypatch.setattr(conclusion_pdf, "render_conclusion", lambda *args: rendered.append(args) or b"")
    with client_for(passed.candidate).get(f"/applications/{passed.id}/report.pdf") as response:
        assert response.data == stored and rendered == []


def test_attested_the_conclusion_names_the_level_and_the_attestation(db, passed, client_for, tmp_path):
    decision = factories.decide(db, passed, reviewed(db, passed, 4), certify=True)
    db.commit()
    assert passed.state == State.CERTIFIED and passed.report_decision_id == decision.id
    name, text = download(client_for(passed.candidate), passed, tmp_path)
    number = latest_of_application(db, passed.id).number
    assert f"conclusion-{number}.pdf" in name
    level = next(lv for lv in standard_of(passed).levels if lv.id == decision.chosen_level)
    assert "Аттестован Attested" in text and level.name.ru in text and number in text
    assert "Рекомендации" not in text


def test_the_appeal_decision_stores_its_own_conclusion(db, passed, client_for, tmp_path):
    coordinator = reviewed(db, passed, 1)
    first = not_attested(db, passed, coordinator)
    first_file = stored_path(REPORTS, passed.report_name)
    factories.appeal(db, passed, passed.candidate, "Экзаменаторы не учли кейс")
    factories.review_appeal(db, passed, coordinator, value=4)
    appeal_decision = appeals.decide_appeal(
        db,
        passed,
        make_user(db, Role.COORDINATOR),
        chosen_level="attested",
        reasons="Кейс решён",
        justification="",
    )
    db.commit()
    assert passed.report_decision_id == appeal_decision.id != first.id
    assert first_file.exists() and passed.report_name != first_file.name
    _, text = download(client_for(passed.candidate), passed, tmp_path)
    assert "Решение по апелляции / Decision on appeal" in text and "Аттестован Attested" in text


def test_a_theory_failed_with_no_retake_has_its_conclusion_too(db, client_for, tmp_path):
    steps.install_scheme(db)
    application = admitted(db)
    first = utcnow()
    sit(db, application, passed=False, at=first)
    theory.register_retake(db, application, application.candidate, now=first + timedelta(days=14))
    sit(db, application, passed=False, at=first + timedelta(days=14))
    stages.close_theory_failed(db, application, make_user(db, Role.COORDINATOR))
    db.commit()
    _, text = download(client_for(application.candidate), application, tmp_path)
    assert "Не аттестован Not attested" in text and "не сдан / not passed" in text
    assert "Не проводилась" in text  # the practical part
