"""Saving a page of answers: latency and SQL queries per save, with 100 and with 10,000 applications.

Runs the real app (test client, real form validation, real SQLite file or DATABASE_URL's database) and
saves the same page 1,000 times. The number of queries per save must not grow with the number of
applications. Usage: .venv/bin/python bench/save_answers.py [--saves 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certify import create_app  # noqa: E402
from certify.accounts import services as accounts  # noqa: E402
from certify.accounts.models import Role  # noqa: E402
from certify.demo.answers import plausible_answers  # noqa: E402
from certify.demo.data import ORGANISATIONS  # noqa: E402
from certify.demo.organisations import ensure_organisation  # noqa: E402
from certify.extensions import db  # noqa: E402
from certify.questionnaire import services as questionnaire  # noqa: E402
from certify.questionnaire.models import Answer, Application, ApplicationPage  # noqa: E402
from certify.questionnaire.pages import pages_of  # noqa: E402
from certify.standards.services import definition_of, install_library  # noqa: E402

PASSWORD = "Bench-Harbour-Lantern-42"  # noqa: S105  (a throw-away user in a temporary database)
PAGE = "fin"


def fill_database(total: int, standard, version, organisation, user) -> None:
    """Bulk-insert applications (with their page rows and answers) up to `total`."""
    existing = db.session.scalar(sa.select(sa.func.count(Application.id)))
    answers = plausible_answers(standard, seed=3)
    pages = [p.key for p in pages_of(standard)]
    for start in range(existing, total, 1000):
        count = min(1000, total - start)
        rows = [
            {"organisation_id": organisation.id, "standard_version_id": version.id, "state": "submitted"}
            for _ in range(count)
        ]
        ids = db.session.execute(sa.insert(Application).returning(Application.id), rows).scalars().all()
        db.session.execute(
            sa.insert(ApplicationPage), [{"application_id": i, "page": p} for i in ids for p in pages]
        )
        db.session.execute(
            sa.insert(Answer),
            [{"application_id": i, "question_id": q, "value": v} for i in ids for q, v in answers.items()],
        )
    db.session.commit()


def measure(app, client, application_id: int, saves: int, counter: list[int]) -> tuple[list[float], float]:
    standard = definition_of(db.session.get(Application, application_id).standard_version)
    page = next(p for p in pages_of(standard) if p.key == PAGE)
    answers = plausible_answers(standard, seed=5)
    url = f"/applications/{application_id}/pages/{PAGE}"
    version = db.session.get(ApplicationPage, (application_id, PAGE)).version
    counted = [q for q in page.questions if q.type == "integer" and q.visible_if is None]
    timings, queries = [], []
    for n in range(saves):
        data = {"version": str(version), "go": PAGE}
        for question in page.questions:
            value = answers.get(question.id)
            if value is not None:
                data[question.id] = value
        if n % 2 and counted:
            data[counted[0].id] = str(n % 50)  # every other save changes an answer
        counter[0] = 0
        started = time.perf_counter()
        response = client.post(url, data=data)
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(counter[0])
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        version += 1
    return timings, statistics.mean(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="certify-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "MAIL_FOLDER": folder / "mail",
            "CERTIFY_STORAGE": folder / "storage",
        }
    )
    counter = [0]
    with app.app_context():
        db.create_all()
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1))
        version = install_library(db.session)[0]
        organisation = ensure_organisation(db.session, dict(ORGANISATIONS[0]))
        user = accounts.create_user(
            db.session,
            email="bench@certify-bench.example.org",
            password=PASSWORD,
            full_name_ru="Бенч",
            roles=[Role.MANAGER],
            organisation=organisation,
            confirmed=True,
        )
        application = questionnaire.start_application(db.session, organisation, user)
        db.session.commit()
        application_id = application.id
        standard = definition_of(version)
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        results = {}
        for total in (100, 10_000):
            fill_database(total, standard, version, organisation, user)
            timings, queries = measure(app, client, application_id, args.saves, counter)
            results[total] = (statistics.median(timings), statistics.quantiles(timings, n=20)[18], queries)
            print(
                f"{total:>6} applications: median {results[total][0]:.2f} ms, "
                f"p95 {results[total][1]:.2f} ms, {queries:.1f} SQL queries per save"
            )
    median, p95, _ = results[10_000]
    ratio = results[10_000][2] / results[100][2]
    print(f"queries per save at 10,000 / at 100 applications: {ratio:.2f} (must be 1.00)")
    print(
        f"BENCH save_answers median_ms={median:.2f} p95_ms={p95:.2f} "
        f"queries_per_save_at_100={results[100][2]:.1f} queries_per_save_at_10000={results[10_000][2]:.1f}"
    )


if __name__ == "__main__":
    main()
