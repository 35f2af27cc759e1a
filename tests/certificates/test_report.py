"""The assessment report: chart and percentiles (pure), the real PDF, the peers, who may download it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from certify.accounts.models import Role
from certify.certificates import lifecycle, report_data
from certify.certificates.render import StaticFilesFetcher
from certify.certificates.report_pdf import (
    MIN_PEERS,
    PLOT_WIDTH,
    AreaReport,
    IndicatorReport,
    ReportContext,
    area_chart_svg,
    percentile_rank,
    render_report,
)
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from tests import factories
from tests.factories import all_scores, issuance_level, make_user
from tests.pdfs import pdf_text, poppler
from tests.review.consensus_steps import check_and_record

HOSTILE = '<img src="file:///etc/passwd"> <script>alert(1)</script>'
SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(markup) -> ET.Element:
    # The SVG is our own output (no DTD, no entities), so the stdlib parser is safe here.
    return ET.fromstring(str(markup))  # noqa: S314


# --- pure: the chart -------------------------------------------------------------------------------


def area(name_ru: str = "Стратегия кластера", score: str | None = "50", **changes) -> AreaReport:
    report = AreaReport(
        id="stg",
        name_ru=name_ru,
        name_en="Cluster strategy",
        score=Decimal(score) if score is not None else None,
        indicators=(
            IndicatorReport("stg_plan", "План действий", "Action plan", 3, 4, "План утверждён советом."),
        ),
        strengths=("Стратегия согласована с участниками",),
        improvements=("Нужен мониторинг показателей",),
        peer_percentile=None,
    )
    return dataclasses.replace(report, **changes)


def test_the_chart_draws_one_bar_per_area_scaled_to_100():
    svg = parse_svg(area_chart_svg([area(score="50"), area(score="100"), area(score="0")]))
    bars = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "bar"]
    assert [float(bar.get("width")) for bar in bars] == [PLOT_WIDTH / 2, PLOT_WIDTH, 0]
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts.count("Стратегия кластера") == 3 and "Cluster strategy" in texts
    assert {"0", "50", "100", "50,0", "100,0"} <= set(texts)


def test_an_area_without_a_score_has_an_empty_bar_and_a_dash():
    svg = parse_svg(area_chart_svg([area(score=None)]))
    (bar,) = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "bar"]
    assert bar.get("width") == "0" and "—" in [text.text for text in svg.iter(f"{SVG}text")]


def test_the_chart_prints_markup_in_names_as_text():
    markup = str(area_chart_svg([area(name_ru=HOSTILE, name_en='"/><a href="file:///etc/passwd">x</a>')]))
    assert "<script" not in markup and "<img" not in markup and "<a " not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    svg = parse_svg(markup)  # still well-formed: an attribute quote cannot break out either
    assert HOSTILE in [text.text for text in svg.iter(f"{SVG}text")]
    assert not [element for element in svg.iter() if element.tag in (f"{SVG}a", f"{SVG}image")]


def test_the_report_renderer_is_pure():
    code = (
        "import certify.certificates.report_pdf, sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


# --- pure: percentiles -----------------------------------------------------------------------------


def scores(*values) -> list[Decimal]:
    return [Decimal(str(value)) for value in values]


@pytest.mark.parametrize(
    ("value", "peers", "expected"),
    [
        ("50", scores(10, 20, 30, 40, 60), 80),
        ("5", scores(10, 20, 30, 40, 60), 0),
        ("99.9", scores(10, 20, 30, 40, 60), 100),
        ("50", scores(50, 50, 50, 50, 50), 50),  # ties count half
        ("30", scores(10, 20, 30, 40, 60), 50),
        ("40", scores(10, 20, 30, 40, 60, 70, 80, 90), 44),  # 3.5 of 8 = 43.75, rounded
    ],
)
def test_percentile_rank(value, peers, expected):
    assert percentile_rank(Decimal(value), peers) == expected


def test_no_percentile_under_five_peers():
    assert MIN_PEERS == 5
    assert percentile_rank(Decimal(50), []) is None
    assert percentile_rank(Decimal(50), scores(10, 20, 30, 40)) is None
    assert percentile_rank(Decimal(50), scores(10, 20, 30, 40, 60)) is not None


area_scores = st.decimals(min_value=0, max_value=100, places=1)


@given(st.lists(area_scores, max_size=30), area_scores, area_scores)
def test_percentile_is_a_monotone_share(peers, value, other):
    rank = percentile_rank(value, peers)
    if len(peers) < MIN_PEERS:
        assert rank is None
        return
    assert 0 <= rank <= 100
    low, high = sorted((value, other))
    assert percentile_rank(low, peers) <= percentile_rank(high, peers)
    if all(peer < value for peer in peers):
        assert rank == 100
    if all(peer > value for peer in peers):
        assert rank == 0


# --- the real PDF ----------------------------------------------------------------------------------


def make_context(**changes) -> ReportContext:
    context = ReportContext(
        certificate_number="CMQ-2026-000042",
        organisation_name_ru="АНО «Центр кластерного развития Республики Татарстан»",
        organisation_name_en="Tatarstan Cluster Development Centre",
        cluster_name_ru="Камский инновационный кластер",
        cluster_name_en="Kama Innovative Cluster",
        standard_title_ru="Единый стандарт качества управления кластерами",
        standard_title_en="Unified Standard of Cluster Management Quality",
        standard_code="CMQ",
        standard_version="1.0",
        level_name_ru="Базовый",
        level_name_en="Basic",
        total_score=Decimal("64.3"),
        decided_on=date(2026, 11, 28),
        areas=(area(), area(name_ru="Финансирование", score="72.5", id="fin", peer_percentile=None)),
        peer_count=0,
    )
    return dataclasses.replace(context, **changes)


def folded_text(pdf: Path) -> str:
    """The PDF's text in reading order, whitespace folded (a table cell's wrapped lines join up)."""
    return " ".join(pdf_text(pdf).split())


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(render_report(make_context()))
    return path


def test_text_shows_names_scores_consensus_and_feedback(pdf_file):
    text = folded_text(pdf_file)
    for expected in (
        "Отчёт об оценке / Assessment report",
        "АНО «Центр кластерного развития Республики Татарстан»",
        "Tatarstan Cluster Development Centre",
        "Стратегия кластера / Cluster strategy",
        "План утверждён советом.",
        "Стратегия согласована с участниками",
        "Нужен мониторинг показателей",
        "28 ноября 2026 г.",
        "64,3",
        "64.3",
        "72,5",
        "CMQ-2026-000042",
    ):
        assert expected in text
    assert "3/4" in text  # the consensus score out of 4
    assert "appears once at least 5 other clusters" in text


def test_fonts_are_embedded_and_nothing_is_attached(pdf_file):
    rows = poppler("pdffonts", pdf_file).splitlines()[2:]
    assert rows and all("DejaVu" in row and row.split()[-5] == "yes" for row in rows)
    assert poppler("pdfdetach", pdf_file, "-list").strip() == "0 embedded files"
    assert 'pdfaid:part="3"' in poppler("pdfinfo", pdf_file, "-meta")


def test_markup_anywhere_prints_as_text_and_fetches_nothing(tmp_path, monkeypatch):
    fetched: list[str] = []
    original_fetch = StaticFilesFetcher.fetch

    def recording_fetch(self, url, headers=None):
        fetched.append(url)
        return original_fetch(self, url, headers)

    monkeypatch.setattr(StaticFilesFetcher, "fetch", recording_fetch)
    hostile_area = area(
        name_ru=HOSTILE,
        strengths=(HOSTILE,),
        improvements=('<a href="file:///etc/passwd">x</a>',),
        indicators=(IndicatorReport("i", HOSTILE, HOSTILE, 2, 4, HOSTILE),),
    )
    context = make_context(
        organisation_name_ru=HOSTILE, cluster_name_en=HOSTILE, level_name_ru=HOSTILE, areas=(hostile_area,)
    )
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(render_report(context))

    assert HOSTILE in folded_text(pdf)
    assert fetched == []
    assert poppler("pdfdetach", pdf, "-list").strip() == "0 embedded files"


def test_an_undecided_level_and_no_certificate_say_so(tmp_path):
    pdf = tmp_path / "not-certified.pdf"
    pdf.write_bytes(
        render_report(make_context(certificate_number=None, level_name_ru=None, level_name_en=None))
    )
    text = folded_text(pdf)
    assert "Не присвоен" in text and "Not granted" in text and "Не выдан" in text


# --- the service and the route on a real review ----------------------------------------------------

STRENGTHS = ("Реестр участников ведётся полно", "Участники активны " + HOSTILE)
IMPROVEMENT = "Привлечь больше университетов"
CONSENSUS_COMMENT = "Согласовано: реестр подтверждён документами"


def decide(db, in_review, login, *, certify: bool = True) -> Application:
    """Score with feedback, agree with a justification and decide (the `certified` fixture, with texts)."""
    application, (lead_client, _, lead_assignment), (second_client, _, second_assignment) = in_review
    application.organisation.name_ru = "Кластер «Северная верфь» " + HOSTILE
    db.commit()
    for client, assignment, strength in (
        (lead_client, lead_assignment, STRENGTHS[0]),
        (second_client, second_assignment, STRENGTHS[1]),
    ):
        feedback = {"strengths-str": strength, "improvements-str": IMPROVEMENT}
        response = client.post(
            f"/review/assignments/{assignment.id}/scores",
            data={**all_scores(application, 4), **feedback, "submit": "final"},
        )
        assert response.status_code == 302
    consensus = {**all_scores(application, 4), "justification-str_members": CONSENSUS_COMMENT}
    assert check_and_record(lead_client, application, consensus).status_code == 302
    coordinator, _ = login(Role.COORDINATOR)
    db.expire_all()
    application = db.get(Application, application.id)
    level = issuance_level(db, application) if certify else ""
    response = coordinator.post(
        f"/review/applications/{application.id}/decision",
        data={"level": level, "reasons": "Решение комиссии", "justification": "Решение комиссии"},
    )
    assert response.status_code == 302
    db.expire_all()
    return db.get(Application, application.id)


def certified_peer(db, coordinator, rubric_score: int, seed: int, manager=None) -> Application:
    """Another organisation (or `manager`'s) certified on the same standard after its own full review."""
    case = factories.certified(db, value=rubric_score, seed=seed, manager=manager, coordinator=coordinator)
    db.commit()
    return case.application


def test_the_report_shows_the_review_and_prints_hostile_names_as_text(db, in_review, login, tmp_path):
    application = decide(db, in_review, login)
    holder, _ = login(Role.MANAGER, organisation=application.organisation)
    with holder.get(f"/applications/{application.id}/report.pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert "filename=report-CMQ-" in response.headers["Content-Disposition"]
        assert response.headers["Content-Disposition"].startswith("attachment")
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(response.data)
    text = folded_text(pdf)
    for expected in (
        "Кластер «Северная верфь» " + HOSTILE,
        "Структура кластера и участники",
        "Численность и активность участников",
        CONSENSUS_COMMENT,
        STRENGTHS[0],
        STRENGTHS[1],
        IMPROVEMENT,
    ):
        assert expected in text, expected
    assert "4/4" in text
    assert text.count(IMPROVEMENT) == 1  # the same words from both assessors are printed once
    assert poppler("pdfdetach", pdf, "-list").strip() == "0 embedded files"
    fonts = poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts and all(row.split()[-5] == "yes" for row in fonts)


def test_the_report_context_matches_the_decision(db, in_review, login):
    application = decide(db, in_review, login)
    context = report_data.report_context(db, application)
    from certify.review.decisions import computed_result, decision_of

    outcome = computed_result(db, application)
    assert context.total_score == Decimal(decision_of(db, application).assessed_total) == outcome.total
    assert [a.id for a in context.areas] == [a.id for a in standard_of(application).areas]
    assert all(a.score == outcome.areas[a.id].score for a in context.areas)
    structure = context.areas[0]
    assert structure.strengths == STRENGTHS and structure.improvements == (IMPROVEMENT,)
    assert context.certificate_number and context.level_name_ru and context.peer_count == 0
    assert all(a.peer_percentile is None for a in context.areas)


def test_a_decision_not_to_certify_still_has_a_report(db, in_review, login):
    application = decide(db, in_review, login, certify=False)
    holder, _ = login(Role.MANAGER, organisation=application.organisation)
    with holder.get(f"/applications/{application.id}/report.pdf") as response:
        assert response.status_code == 200
        assert f"report-{application.id}.pdf" in response.headers["Content-Disposition"]


def test_percentiles_need_five_peers_and_name_none_of_them(db, in_review, login, tmp_path):
    application = decide(db, in_review, login)
    coordinator, coordinator_user = login(Role.COORDINATOR)
    peers = [certified_peer(db, coordinator_user, value, seed) for seed, value in enumerate((2, 2, 3, 3))]
    # the organisation's own later certificate is no peer of its own
    own_manager = make_user(db, Role.MANAGER, organisation=application.organisation)
    certified_peer(db, coordinator_user, 2, seed=7, manager=own_manager)
    context = report_data.report_context(db, application)
    assert context.peer_count == 4 and all(a.peer_percentile is None for a in context.areas)

    peers.append(certified_peer(db, coordinator_user, 3, seed=9))
    db.expire_all()
    context = report_data.report_context(db, db.get(Application, application.id))
    assert context.peer_count == MIN_PEERS
    percentiles = [a.peer_percentile for a in context.areas]
    assert all(p is not None and p >= 50 for p in percentiles)  # 4 everywhere: never below a peer
    assert max(percentiles) == 100

    # The report downloaded is the one stored with the decision, when there were no peers yet (finding 12)
    with coordinator.get(f"/applications/{application.id}/report.pdf") as response:
        assert response.status_code == 200
        stored = tmp_path / "stored.pdf"
        stored.write_bytes(response.data)
    assert "Процентиль / Percentile" not in folded_text(stored)
    # a report rendered from today's peers shows where the cluster stands, and names none of them
    pdf = tmp_path / "peers.pdf"
    pdf.write_bytes(render_report(context))
    text = folded_text(pdf)
    assert "Процентиль / Percentile" in text and "(5)" in text
    for peer in peers:
        assert peer.organisation.name_ru not in text and peer.organisation.cluster_name_ru not in text


def test_a_revoked_peer_does_not_count(db, in_review, login):
    application = decide(db, in_review, login)
    coordinator = make_user(db, Role.COORDINATOR)
    for seed in range(MIN_PEERS):
        certified_peer(db, coordinator, 2, seed)
    from certify.certificates.models import Certificate, CertificateStatus

    last = db.scalar(sa.select(Certificate).order_by(Certificate.id.desc()).limit(1))
    lifecycle.change_status(db, last, coordinator, CertificateStatus.REVOKED, "Нарушение условий")
    db.commit()
    context = report_data.report_context(db, application)
    assert context.peer_count == MIN_PEERS - 1 and all(a.peer_percentile is None for a in context.areas)


def test_peers_cost_the_same_queries_however_many(db, app, in_review, login):
    application = decide(db, in_review, login)
    coordinator = make_user(db, Role.COORDINATOR)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def queries() -> int:
        db.expire_all()
        statements.clear()
        sa.event.listen(db.get_bind(), "before_cursor_execute", count)
        try:
            report_data.report_context(db, db.get(Application, application.id))
        finally:
            sa.event.remove(db.get_bind(), "before_cursor_execute", count)
        return len(statements)

    for seed in range(MIN_PEERS):
        certified_peer(db, coordinator, 2, seed)
    with_five = queries()
    for seed in range(MIN_PEERS, MIN_PEERS + 3):
        certified_peer(db, coordinator, 3, seed)
    assert queries() == with_five


def test_who_may_download_the_report(db, app, in_review, login):
    application = decide(db, in_review, login)
    url = f"/applications/{application.id}/report.pdf"
    _, (lead_client, *_), _ = in_review
    coordinator, _ = login(Role.COORDINATOR)
    admin, _ = login(Role.ADMIN)
    other_manager, _ = login(Role.MANAGER)
    stray_assessor, _ = login(Role.ASSESSOR)
    with coordinator.get(url) as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
    with admin.get(url) as response:
        assert response.status_code == 200
    for stranger in (other_manager, stray_assessor, lead_client):
        assert stranger.get(url).status_code == 404
    assert other_manager.get("/applications/999999/report.pdf").status_code == 404
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_no_report_before_the_decision(db, in_review, login):
    application, *_ = in_review
    holder, _ = login(Role.MANAGER, organisation=application.organisation)
    response = holder.get(f"/applications/{application.id}/report.pdf")
    assert response.status_code == 409 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "По заявке ещё нет решения, поэтому отчёта пока нет." in page
