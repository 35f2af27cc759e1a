"""Finding 12: the assessment report is rendered once per decision, stored privately and served as stored."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from certify.certificates import report_pdf, reports
from certify.extensions import db as _db
from certify.questionnaire.models import Application
from certify.review import appeals, decisions
from certify.review.models import Decision
from tests import factories
from tests.pdfs import pdf_text


@pytest.fixture
def renders(monkeypatch):
    """The contexts rendered as reports from now on (each one still rendered for real)."""
    contexts, original = [], report_pdf.render_report

    def counted(context):
        contexts.append(context)
        return original(context)

    monkeypatch.setattr(report_pdf, "render_report", counted)
    return contexts


def download(client, application_id: int) -> bytes:
    with client.get(f"/applications/{application_id}/report.pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        return response.data


def stored_file(app, application: Application) -> Path:
    return Path(app.config["CERTIFY_STORAGE"]) / "reports" / application.report_name


def report_files(app) -> list[Path]:
    folder = Path(app.config["CERTIFY_STORAGE"]) / "reports"
    return sorted(folder.iterdir()) if folder.exists() else []


def forget_stored_report(db, application: Application) -> None:
    """The application as one decided before reports were stored: no report on file."""
    db.execute(
        sa.update(Application)
        .where(Application.id == application.id)
        .values(report_decision_id=None, report_name=None, report_sha256=None)
    )
    db.commit()
    db.expire_all()


def test_finding_12_the_report_is_rendered_when_the_decision_is_recorded_and_served_as_stored(
    app, db, client_for, renders
):
    case = factories.certified(db)
    db.commit()
    assert len(renders) == 1 and renders[0].certificate_number == case.certificate.number
    application = db.get(Application, case.application.id)
    path = stored_file(app, application)
    data = path.read_bytes()
    assert application.report_decision_id == case.decision.id
    assert application.report_sha256 == hashlib.sha256(data).hexdigest()
    assert len(application.report_name) == 32 and case.certificate.number not in application.report_name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    holder, coordinator = client_for(case.manager), client_for(case.coordinator)
    assert download(holder, application.id) == download(coordinator, application.id) == data
    assert len(renders) == 1  # downloads render nothing


def test_finding_12_the_report_stays_as_decided_when_others_are_decided_and_names_change(app, db, client_for):
    case = factories.decided(db)  # not certified: the names printed are the organisation's
    db.commit()
    holder = client_for(case.manager)
    first = download(holder, case.application.id)
    assert download(holder, case.application.id) == first

    factories.certified(db, coordinator=case.coordinator)  # a peer decided later
    case.application.organisation.name_ru = "Переименованная управляющая компания"
    db.commit()
    assert download(holder, case.application.id) == first


def test_finding_12_a_report_decided_before_reports_were_stored_is_rendered_once_on_download(
    app, db, client_for, renders
):
    case = factories.certified(db)
    db.commit()
    forget_stored_report(db, case.application)
    renders.clear()
    holder = client_for(case.manager)

    first = download(holder, case.application.id)
    assert download(holder, case.application.id) == first and len(renders) == 1
    db.expire_all()
    application = db.get(Application, case.application.id)
    assert application.report_decision_id == case.decision.id
    assert stored_file(app, application).read_bytes() == first
    assert application.report_sha256 == hashlib.sha256(first).hexdigest()


def test_finding_12_two_first_downloads_at_once_store_one_report(app, db, monkeypatch):
    """The second download renders while the first stores and commits: one file stays, both serve it."""
    case = factories.certified(db)
    db.commit()
    forget_stored_report(db, case.application)
    before = report_files(app)
    application_id, reader = case.application.id, case.coordinator
    original, other_result = report_pdf.render_report, []

    def render_while_the_other_stores(context):
        monkeypatch.setattr(report_pdf, "render_report", original)
        with Session(_db.engine) as other:
            other_result.append(
                reports.stored_report(other, reports.download_of(other, application_id, reader))
            )
            other.commit()
        return original(context)

    monkeypatch.setattr(report_pdf, "render_report", render_while_the_other_stores)
    ours = reports.stored_report(db, reports.download_of(db, application_id, reader))
    db.commit()

    assert ours.name == other_result[0].name
    assert [p.name for p in report_files(app) if p not in before] == [ours.name]
    db.expire_all()
    application = db.get(Application, case.application.id)
    assert application.report_name == ours.name
    assert (
        application.report_sha256
        == ours.sha256
        == hashlib.sha256(stored_file(app, application).read_bytes()).hexdigest()
    )


def decide_appeal(db, case, level: str | None) -> Application:
    """The manager appeals, a fresh assessor reviews, and the coordinator decides at `level`."""
    factories.appeal(db, case.application, case.manager)
    factories.review_appeal(db, case.application, case.coordinator)
    computed = decisions.computed_result(db, case.application).level
    appeals.decide_appeal(
        db,
        case.application,
        case.coordinator,
        chosen_level=level,
        reasons="Решение по апелляции",
        justification="" if level == (computed.id if computed else None) else factories.DEPARTURE,
    )
    db.commit()
    return db.get(Application, case.application.id)


@pytest.mark.parametrize("upheld", [True, False], ids=["upheld", "not-certified"])
def test_finding_12_an_appeal_decision_stores_the_report_of_that_decision(app, db, upheld):
    case = factories.certified(db)
    db.commit()
    first = stored_file(app, db.get(Application, case.application.id))
    application = decide_appeal(db, case, case.certificate.level_id if upheld else None)

    latest = db.scalar(sa.select(sa.func.max(Decision.id)))
    assert application.report_decision_id == latest != case.decision.id
    path = stored_file(app, application)
    assert path != first and first.exists()  # the first decision's report is kept as it was
    text = " ".join(pdf_text(path).split())
    # upheld: the certificate kept; not certified on appeal: none (the original one is revoked)
    assert (case.certificate.number in text) == upheld
    assert ("Не выдан" in text) != upheld
