"""Scale on PostgreSQL: the staff and public list pages at 1,000 and 100,000 applications, and
`certify audit verify` over 1,000,000 audit entries (issue 19, item 4).

A fresh PostgreSQL database (`--database`, default `certify_scale`, on 127.0.0.1:5432 with trust
authentication; dropped and re-created at the start, left in place at the end for inspection) is migrated
with `flask db upgrade`'s code and given the standard library. Rows are then bulk-inserted up to each size
in turn: organisations (ten applications each), applications in every state past the draft with their page
rows and every answer of the questionnaire, two review assignments with a score per indicator once the
review has started, decisions, certificates in force (Cyrillic names to search), and audit entries, ten
per application up to the last size (`--audit` in all), chained with the real chain's MAC
(`certify.audit.chain.entry_mac`) onto the head the app keeps, and checkpointed as the app does. The two
largest tables (answers, audit entries) are written with COPY, the rest with `sa.insert` in batches.

At each size, through the real app (create_app, the test client, real log-ins), each page is fetched
`--requests` times, first page and a deep page where there is paging: the coordinator's queue, the
certificates register, the public registry searched by a Cyrillic substring, the admin's audit trail and a
manager's list of applications. It prints p50/p95 and SQL queries per request (an event listener counts
them), then EXPLAIN of each page's main query, flagging a sequential scan of a big table. Last, `flask
certify audit verify` runs over the whole trail in a subprocess, timed, with its peak resident memory
(GNU time's `%M`). Targets: p95 at the last size ≤ 1.5 × p95 at the first, the same queries
per page, verify under 60 s and 200 MB.
Usage: .venv/bin/python bench/scale.py [--database certify_scale] [--sizes 1000,100000] [--audit 1000000]
       [--requests 30]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from certify import create_app  # noqa: E402
from certify.accounts.models import Organisation, Role  # noqa: E402
from certify.accounts.passwords import hash_password  # noqa: E402
from certify.accounts.services import add_user  # noqa: E402
from certify.audit.chain import GENESIS, entry_mac, plain  # noqa: E402
from certify.audit.checkpoints import write_checkpoint  # noqa: E402
from certify.audit.keys import audit_key, checkpoint_folder  # noqa: E402
from certify.audit.models import HEAD_ID, AuditChainHead, AuditEntry  # noqa: E402
from certify.certificates import register, subjects  # noqa: E402
from certify.certificates.models import Certificate  # noqa: E402
from certify.demo.answers import plausible_answers  # noqa: E402
from certify.extensions import db  # noqa: E402
from certify.questionnaire.models import Application, ApplicationPage  # noqa: E402
from certify.questionnaire.pages import pages_of  # noqa: E402
from certify.review import queue  # noqa: E402
from certify.review.models import Assignment, Decision, RubricScore  # noqa: E402
from certify.standards.services import definition_of, install_library  # noqa: E402

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
PASSWORD = "Bench-Harbour-Lantern-42"  # noqa: S105  (throw-away users in a throw-away database)
APPLICATIONS_PER_ORGANISATION = 10
ASSESSORS = 6
BATCH = 5000
#: a state past the draft for each application, in proportion (index modulo the list's length)
STATES = ["certified"] * 4 + ["not_certified", "withdrawn", "submitted", "in_review", "scored", "consensus"]
REVIEWED = {"in_review", "scored", "consensus", "certified", "not_certified"}
DECIDED = {"certified", "not_certified"}
FIRST_NAMES = ["Анна", "Рустам", "Ольга", "Дмитрий", "Елена", "Тимур", "Мария", "Игорь"]
SURNAMES = [
    "Иванова", "Гарипов", "Смирнова", "Захаров", "Кузнецова", "Хабибуллин", "Соколова", "Лебедев",
    "Новикова", "Морозов", "Волкова", "Соловьёв", "Васильева", "Зайцев", "Павлова", "Семёнов",
    "Голубева", "Виноградов", "Богданова", "Воробьёв", "Фёдорова", "Михайлов", "Беляева", "Тарасов",
    "Белова", "Комаров", "Орлова", "Киселёв", "Макарова", "Андреев", "Ковалёва", "Ильин",
    "Гусева", "Титов", "Кузьмина", "Кудрявцев", "Баранова", "Куликов", "Алексеева", "Степанов",
]  # fmt: skip
REGIONS = ["Республика Татарстан", "Пермский край", "Томская область", "Москва", "Новосибирская область"]
#: the registry's search: part of one first name in eight, in another case than stored (enough matches
#: for a deep page at 1,000 applications too)
SEARCH = "УСТАМ"
#: tables that are big at 100,000 applications: a sequential scan of one is flagged
BIG_TABLES = {"applications", "answers", "application_pages", "assignments", "rubric_scores", "decisions"}
BIG_TABLES |= {"certificates", "audit_entries", "organisations"}
#: a sequential scan reading more rows than this of a big table is flagged
SEQ_SCAN_ROWS = 5000
TARGET_RATIO = 1.5
TARGET_VERIFY_SECONDS = 60
TARGET_VERIFY_MB = 200


# --- The database ---------------------------------------------------------------------------------------


def recreate_database(name: str) -> None:
    if name == "test" or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise SystemExit(f"refusing the database {name!r}: give another name with --database")
    engine = sa.create_engine(SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def copy_rows(table: str, columns: list[str], rows) -> None:
    """COPY `rows` (tuples in `columns` order) into `table` on the session's connection and transaction."""
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_batches(model, rows: list[dict], returning=None) -> list:
    """`sa.insert` of `rows` in batches; the `returning` column's values, in order, when asked."""
    returned = []
    for start in range(0, len(rows), BATCH):
        statement = sa.insert(model)
        if returning is not None:
            statement = statement.returning(returning, sort_by_parameter_order=True)
            returned += db.session.execute(statement, rows[start : start + BATCH]).scalars().all()
        else:
            db.session.execute(statement, rows[start : start + BATCH])
    return returned


@dataclass
class World:
    """What the generator keeps between sizes: the standard, the users, and where the chain stands."""

    version_id: int
    standard: object
    answers: dict
    pages: list[str]
    assessor_ids: list[int]
    coordinator_id: int
    chain_head: str = GENESIS
    audit_rows: int = 0
    certificates: int = 0


def prepare(password_hash: str) -> World:
    """The library, the staff, one manager; the world the rows are generated in."""
    version = install_library(db.session)[0]
    standard = definition_of(version)
    staff = {}
    for email, role in (("coordinator", Role.COORDINATOR), ("admin", Role.ADMIN)):
        staff[email] = add_user(
            db.session,
            email=f"{email}@certify-bench.example.org",
            password_hash=password_hash,
            full_name_ru=email.capitalize(),
            roles=[role],
            confirmed=True,
        )
    assessors = [
        add_user(
            db.session,
            email=f"assessor{n}@certify-bench.example.org",
            password_hash=password_hash,
            full_name_ru=f"{FIRST_NAMES[n % 8]} {SURNAMES[n]}",
            roles=[Role.ASSESSOR],
            confirmed=True,
        )
        for n in range(ASSESSORS)
    ]
    db.session.flush()
    return World(
        version_id=version.id,
        standard=standard,
        answers=plausible_answers(standard, seed=3),
        pages=[page.key for page in pages_of(standard)],
        assessor_ids=[a.id for a in assessors],
        coordinator_id=staff["coordinator"].id,
    )


def add_manager(password_hash: str) -> None:
    """The manager of the first organisation, whose list of applications is measured."""
    organisation = db.session.scalar(sa.select(Organisation).order_by(Organisation.id).limit(1))
    add_user(
        db.session,
        email="manager@certify-bench.example.org",
        password_hash=password_hash,
        full_name_ru="Менеджер",
        roles=[Role.MANAGER],
        organisation=organisation,
        confirmed=True,
    )


# --- Generating rows up to a size -----------------------------------------------------------------------


def moment(index: int) -> datetime:
    """Application `index`'s submission: one every ten minutes, the first ones longest ago."""
    return datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=10 * index)


def fill(world: World, start: int, total: int, audit_total: int, audit_per_application: int) -> None:
    """Applications `start` … `total - 1` with everything they have, and the audit trail up to
    `audit_total` entries; committed in chunks so that memory stays flat. The entries are chained onto
    the head the app left (the library's import and the log-ins appended through `audit.record`)."""
    world.chain_head = _chain_head()
    for chunk in range(start, total, BATCH):
        indices = range(chunk, min(chunk + BATCH, total))
        organisations = [
            _organisation_row(i // APPLICATIONS_PER_ORGANISATION)
            for i in indices
            if i % APPLICATIONS_PER_ORGANISATION == 0
        ]
        insert_batches(Organisation, organisations)
        organisation_ids = dict(
            db.session.execute(
                sa.select(Organisation.registration_number, Organisation.id).where(
                    Organisation.registration_number.in_(
                        [_registration(i // APPLICATIONS_PER_ORGANISATION) for i in indices]
                    )
                )
            ).all()
        )
        applications = [_application_row(world, i, organisation_ids) for i in indices]
        ids = insert_batches(Application, applications, returning=Application.id)
        states = {app_id: row["state"] for app_id, row in zip(ids, applications, strict=True)}
        _questionnaire_rows(world, ids)
        _review_rows(world, states)
        _decision_and_certificate_rows(world, states, indices)
        _audit_rows(world, states, audit_per_application)
        db.session.commit()
    _filler_audit(world, audit_total)
    db.session.execute(
        sa.update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(last_hash=world.chain_head)
    )
    db.session.commit()
    last_id = db.session.scalar(sa.select(sa.func.max(AuditEntry.id)))
    write_checkpoint(checkpoint_folder(), audit_key(), last_id, world.chain_head)
    db.session.commit()
    # what autovacuum does after a bulk load, at once: the statistics for the planner, and the GIN index's
    # pending list merged (until then every search reads the list through)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def _chain_head() -> str:
    """The newest entry's MAC, as the app keeps it (the head row made if nothing was recorded yet)."""
    head = db.session.get(AuditChainHead, HEAD_ID)
    if head is None:
        head = AuditChainHead(id=HEAD_ID, last_hash=GENESIS)
        db.session.add(head)
        db.session.flush()
    return head.last_hash


def _registration(number: int) -> str:
    return f"SCALE{number:09d}"


def _organisation_row(number: int) -> dict:
    return {
        "registration_number": _registration(number),
        "name_ru": f"АНО «Центр кластерного развития № {number}»",
        "name_en": f"Cluster Development Centre No. {number}",
        "country": "RU",
        "region": REGIONS[number % len(REGIONS)],
        "cluster_name_ru": f"Инновационный кластер № {number}",
        "cluster_name_en": f"Innovation Cluster No. {number}",
        "priority_fields": [],
    }


def _application_row(world: World, index: int, organisation_ids: dict) -> dict:
    submitted = moment(index)
    return {
        "organisation_id": organisation_ids[_registration(index // APPLICATIONS_PER_ORGANISATION)],
        "standard_version_id": world.version_id,
        "state": STATES[index % len(STATES)],
        "created_at": submitted - timedelta(days=20),
        "updated_at": submitted,
        "submitted_at": submitted,
    }


def _questionnaire_rows(world: World, ids: list[int]) -> None:
    insert_batches(
        ApplicationPage, [{"application_id": i, "page": p, "version": 3} for i in ids for p in world.pages]
    )
    now = datetime.now(UTC)
    values = [(question, json.dumps(value, ensure_ascii=False)) for question, value in world.answers.items()]
    copy_rows(
        "answers",
        ["application_id", "question_id", "value", "updated_at"],
        ((i, question, value, now) for i in ids for question, value in values),
    )


def _review_rows(world: World, states: dict[int, str]) -> None:
    reviewed = [app_id for app_id, state in states.items() if state in REVIEWED]
    rows = []
    for app_id in (app_id for app_id, state in states.items() if state != "withdrawn"):
        pair = random.Random(app_id).sample(world.assessor_ids, 2)
        for lead, assessor_id in zip((True, False), pair, strict=True):
            status = "confirmed" if app_id in reviewed else "pending"
            rows.append(
                {"application_id": app_id, "assessor_id": assessor_id, "is_lead": lead, "status": status}
            )
    assignment_ids = insert_batches(Assignment, rows, returning=Assignment.id)
    scored = [a for a, row in zip(assignment_ids, rows, strict=True) if row["application_id"] in reviewed]
    indicators = [indicator.id for indicator in world.standard.indicators()]
    insert_batches(
        RubricScore,
        [
            {"assignment_id": a, "indicator_id": i, "score": (a + n) % 4, "comment": ""}
            for a in scored
            for n, i in enumerate(indicators)
        ],
    )


def _decision_and_certificate_rows(world: World, states: dict[int, str], indices: range) -> None:
    decided = [(app_id, state) for app_id, state in states.items() if state in DECIDED]
    decision_ids = insert_batches(
        Decision,
        [
            {
                "application_id": app_id,
                "computed_level": "advanced" if state == "certified" else None,
                "chosen_level": "advanced" if state == "certified" else None,
                "assessed_total": "71.5",
                "reasons": "Соответствует требованиям уровня.",
                "decided_by_id": world.coordinator_id,
            }
            for app_id, state in decided
        ],
        returning=Decision.id,
    )
    index_of = dict(zip(states, indices, strict=True))
    rows = []
    for decision_id, (app_id, state) in zip(decision_ids, decided, strict=True):
        if state == "certified":
            world.certificates += 1
            rows.append(_certificate_row(world.certificates, app_id, decision_id, index_of[app_id]))
    insert_batches(Certificate, rows)


def _certificate_row(serial: int, application_id: int, decision_id: int, index: int) -> dict:
    issued = (moment(index) + timedelta(days=30)).date()
    organisation = _organisation_row(index // APPLICATIONS_PER_ORGANISATION)
    row = {
        "number": f"CMQ-{issued.year}-{serial:06d}",
        "application_id": application_id,
        "decision_id": decision_id,
        "subject_kind": "organisation",
        "document_name_ru": "Сертификат соответствия",
        "document_name_en": "Certificate of conformity",
        "holder_name_ru": f"{FIRST_NAMES[serial % 8]} {SURNAMES[serial % len(SURNAMES)]}",
        "holder_name_en": "",
        "organisation_name_ru": organisation["name_ru"],
        "organisation_name_en": organisation["name_en"],
        "cluster_name_ru": organisation["cluster_name_ru"],
        "cluster_name_en": organisation["cluster_name_en"],
        "region": organisation["region"],
        "country": "RU",
        "standard_code": "cmq",
        "standard_version": "1.0",
        "level_id": "advanced",
        "level_name_ru": "Продвинутый",
        "level_name_en": "Advanced",
        "assessed_score": "71.5",
        "areas_passed": [],
        "organisation_public": True,
        "issued_on": issued,
        # far ahead: every certificate stays in force, so the registry holds them all
        "expires_on": issued + timedelta(days=365 * 30),
        "status": "valid",
        "pdf_name": f"{serial:064d}",
        "pdf_sha256": f"{serial:064x}",
        "lookups": 0,
    }
    row["search_text"] = subjects.search_text(SimpleNamespace(**row))
    return row


AUDIT_COLUMNS = ["occurred_at", "actor_id", "actor_label", "action", "subject_type", "subject_id"]
AUDIT_COLUMNS += ["application_id", "before", "after", "previous_hash", "entry_hash"]


def _application_history(app_id: int, state: str, index: int) -> list[tuple]:
    """(action, subject type, subject id, before, after) an application's life leaves, in order."""
    history = [
        ("application.started", "application", app_id, None, {"state": "draft"}),
        ("evidence.added", "application", app_id, None, {"name": "Устав.pdf"}),
        ("application.submitted", "application", app_id, {"state": "draft"}, {"state": "submitted"}),
    ]
    if state == "withdrawn":
        history.append(
            ("application.withdrawn", "application", app_id, {"state": "submitted"}, {"state": state})
        )
        return history
    history.append(("review.independence_confirmed", "application", app_id, None, None))
    if state in REVIEWED:
        history.append(
            ("review.started", "application", app_id, {"state": "submitted"}, {"state": "in_review"})
        )
        history.append(("review.scores_submitted", "application", app_id, None, None))
    if state in {"scored", "consensus"} | DECIDED:
        history.append(
            ("review.scores_submitted", "application", app_id, {"state": "in_review"}, {"state": "scored"})
        )
    if state in {"consensus"} | DECIDED:
        history.append(("review.consensus_recorded", "application", app_id, None, {"total": "71.5"}))
    if state in DECIDED:
        level = {"level": "advanced"} if state == "certified" else {}
        history.append(
            ("review.decided", "application", app_id, {"state": "consensus"}, {"state": state} | level)
        )
    return history


def _audit_rows(world: World, states: dict[int, str], per_application: int) -> None:
    """Each application's history, padded with its pages saved, up to `per_application` entries."""
    rows = []
    for index, (app_id, state) in enumerate(states.items()):
        history = _application_history(app_id, state, index)
        while len(history) < per_application:
            history.insert(2, ("evidence.added", "application", app_id, None, {"name": "Отчёт.pdf"}))
        started = moment(app_id) - timedelta(days=20)
        for step, (action, subject_type, subject_id, before, after) in enumerate(history[:per_application]):
            rows.append(
                (
                    started + timedelta(hours=step, microseconds=app_id),
                    action,
                    subject_type,
                    subject_id,
                    app_id,
                    before,
                    after,
                )
            )
    _chain(world, rows)


def _filler_audit(world: World, audit_total: int) -> None:
    """Log-ins, chained, until the trail holds `audit_total` entries."""
    while world.audit_rows < audit_total:
        count = min(BATCH * 10, audit_total - world.audit_rows)
        base = datetime(2026, 6, 1, tzinfo=UTC)
        rows = [
            (
                base + timedelta(seconds=world.audit_rows + n),
                "account.login_succeeded",
                "user",
                1 + n % ASSESSORS,
                None,
                None,
                None,
            )
            for n in range(count)
        ]
        _chain(world, rows)
        db.session.commit()


def _chain(world: World, rows) -> None:
    """COPY `rows` (occurred_at, action, subject type and id, application id, before, after) as entries
    chained onto the world's head with the chain's own MAC."""
    key, previous, out = audit_key(), world.chain_head, []
    for occurred_at, action, subject_type, subject_id, application_id, before, after in rows:
        fields = {
            "occurred_at": occurred_at,
            "actor_id": world.coordinator_id,
            "actor_label": "coordinator@certify-bench.example.org",
            "action": action,
            "subject_type": subject_type,
            "subject_id": str(subject_id),
            "application_id": application_id,
            "before": plain(before),
            "after": plain(after),
        }
        mac = entry_mac(key, previous, fields)
        stored = [
            json.dumps(fields[name], ensure_ascii=False) if fields[name] is not None else None
            for name in ("before", "after")
        ]
        out.append((*(fields[c] for c in AUDIT_COLUMNS[:7]), *stored, previous, mac))
        previous = mac
    copy_rows("audit_entries", AUDIT_COLUMNS, out)
    world.chain_head, world.audit_rows = previous, world.audit_rows + len(out)


# --- Measuring the pages --------------------------------------------------------------------------------


class QueryLog:
    """Counts the SQL statements sent, and keeps them (with their parameters) while `keeping`."""

    def __init__(self):
        self.count, self.keeping, self.kept = 0, False, []

    def __call__(self, connection, cursor, statement, parameters, context, executemany) -> None:
        self.count += 1
        if self.keeping:
            self.kept.append((statement, parameters))


@dataclass(frozen=True)
class Page:
    """A measured page: who reads it, its address, and the main query (to find a deep page's number)."""

    name: str
    reader: str
    url: str
    #: the query the page paginates, or None for a page without paging
    listed: sa.Select | None = None
    per_page: int = 20
    #: for a page found by key (keyset pagination): the parameter naming the row a page starts after, and
    #: that row's key; None for a page found by its number (`page=`)
    keyset: tuple[str, sa.ColumnElement] | None = None


def pages() -> list[Page]:
    from certify.audit.services import AuditFilter, entries_matching

    return [
        Page(
            "queue",
            "coordinator",
            "/review/",
            queue.matching(queue.QueueFilter()),
            queue.PAGE_SIZE,
            ("after", Application.id),
        ),
        Page(
            "register",
            "coordinator",
            "/certificates",
            register.matching(register.RegisterFilter()),
            keyset=("before", Certificate.id),
        ),
        Page(
            "registry",
            None,
            "/registry?" + urlencode({"q": SEARCH.lower()}),
            register.registry(register.RegistryFilter(text=SEARCH.lower())),
            keyset=("before", Certificate.id),
        ),
        Page(
            "audit", "admin", "/admin/audit/", entries_matching(AuditFilter()), 50, ("before", AuditEntry.id)
        ),
        Page("manager", "manager", "/applications/"),
    ]


def deep_url(page: Page) -> str | None:
    """The page's address halfway through its list (None without paging, or with one page only)."""
    if page.listed is None:
        return None
    total = db.session.scalar(sa.select(sa.func.count()).select_from(page.listed.order_by(None).subquery()))
    middle = (total // page.per_page) // 2 + 1
    if middle < 2:
        return None
    if page.keyset is None:
        cursor = {"page": middle}
    else:
        name, key = page.keyset
        offset = (middle - 1) * page.per_page - 1  # the last row of the page before
        cursor = {name: db.session.scalar(page.listed.with_only_columns(key).offset(offset).limit(1))}
    return page.url + ("&" if "?" in page.url else "?") + urlencode(cursor)


def logged_in(app, reader: str | None):
    client = app.test_client()
    if reader is not None:
        response = client.post(
            "/login", data={"email": f"{reader}@certify-bench.example.org", "password": PASSWORD}
        )
        assert response.status_code == 302, f"{reader} could not log in"
    return client


def time_requests(client, url: str, requests: int, log: QueryLog) -> tuple[list[float], list[int]]:
    """`requests` GETs of `url` after one warm-up: milliseconds and queries of each."""
    warm_up = client.get(url)
    assert warm_up.status_code == 200, f"{url}: {warm_up.status_code} {warm_up.get_data(as_text=True)[:300]}"
    timings, queries = [], []
    for _ in range(requests):
        log.count = 0
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(log.count)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    return timings, queries


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def measure(app, requests: int, log: QueryLog) -> dict[str, dict]:
    """Every page, first and deep: p50, p95 and queries per request; the statements of one request each."""
    results, clients = {}, {}
    with app.app_context():
        listed = [(page, deep_url(page)) for page in pages()]
    for page, deep in listed:
        if page.reader not in clients:  # once each: a log-in ends the reader's other sessions
            clients[page.reader] = logged_in(app, page.reader)
        client = clients[page.reader]
        for depth, url in (("first", page.url), ("deep", deep)):
            if url is None:
                continue
            timings, queries = time_requests(client, url, requests, log)
            log.keeping, log.kept = True, []
            client.get(url)
            log.keeping = False
            results[f"{page.name}_{depth}"] = {
                "url": url,
                "p50": statistics.median(timings),
                "p95": p95(timings),
                "queries": max(queries),
                "statements": list(log.kept),
            }
    return results


def explain(statements: list[tuple[str, object]]) -> list[tuple[str, list[str], list[str]]]:
    """(statement, plan, big tables read through) of each distinct statement of a request on a big table.

    The plans are EXPLAIN ANALYZE's: a sequential scan is flagged when it reads more than SEQ_SCAN_ROWS
    rows of a big table (one under a LIMIT that stops it early, or of a few rows, is not).
    """
    seen, plans = set(), []
    connection = db.session.connection()
    for statement, parameters in statements:
        tables = {
            name for pair in re.findall(r"\bFROM (\w+)|\bJOIN (\w+)", statement) for name in pair if name
        }
        if (
            statement in seen
            or not tables & BIG_TABLES
            or not statement.lstrip().upper().startswith("SELECT")
        ):
            continue
        seen.add(statement)
        analyze = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) "
        plan = connection.exec_driver_sql(analyze + statement, parameters).scalar()[0]["Plan"]
        lines = [row[0] for row in connection.exec_driver_sql("EXPLAIN (COSTS OFF) " + statement, parameters)]
        plans.append((statement, lines, sorted(_read_through(plan))))
    db.session.rollback()
    return plans


def _read_through(node: dict) -> set[str]:
    """The big tables a plan node, or one below it, scans sequentially past SEQ_SCAN_ROWS rows."""
    read = node.get("Actual Rows", 0) * node.get("Actual Loops", 1) + node.get("Rows Removed by Filter", 0)
    found = set()
    if node["Node Type"] == "Seq Scan" and node["Relation Name"] in BIG_TABLES and read > SEQ_SCAN_ROWS:
        found.add(node["Relation Name"])
    for child in node.get("Plans", ()):
        found |= _read_through(child)
    return found


# --- Verifying the trail --------------------------------------------------------------------------------


def time_verify(environment: dict) -> tuple[float, float, str]:
    """Seconds and peak resident MB of `flask certify audit verify` in a subprocess, and what it said.

    The peak is GNU time's (`%M`): `getrusage(RUSAGE_CHILDREN)` would count the bench's own resident size,
    which the child has from the fork until it execs.
    """
    flask = Path(sys.executable).with_name("flask")
    descriptor, report_name = tempfile.mkstemp(prefix="certify-scale-rss-")
    os.close(descriptor)
    command = ["/usr/bin/time", "-f", "%M", "-o", report_name, str(flask), "--app", "wsgi"]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "certify", "audit", "verify"],
        cwd=ROOT,
        env=os.environ | environment,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_mb = int(Path(report_name).read_text().split()[-1]) / 1024  # KiB
    Path(report_name).unlink()
    said = done.stdout.strip() or done.stderr.strip().splitlines()[-1]
    if done.returncode != 0:
        raise RuntimeError(f"audit verify failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, peak_mb, said


# --- The run --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("SCALE_DATABASE", "certify_scale"))
    parser.add_argument("--sizes", default="1000,100000", help="applications, comma-separated, ascending")
    parser.add_argument("--audit", type=int, default=1_000_000, help="audit entries at the last size")
    parser.add_argument("--requests", type=int, default=30, help="timed GETs of each page at each size")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    per_application = max(1, args.audit // sizes[-1])
    folder = Path(tempfile.mkdtemp(prefix="certify-scale-"))
    (folder / "audit-key").write_text(os.urandom(32).hex())
    environment = {
        "DATABASE_URL": SERVER + args.database,
        "CERTIFY_STORAGE": str(folder / "storage"),
        "CERTIFY_AUDIT_KEY_PATH": str(folder / "audit-key"),
        "SECRET_KEY": os.urandom(32).hex(),
        "MAIL_FOLDER": str(folder / "mail"),
    }
    config = {
        "SQLALCHEMY_DATABASE_URI": environment["DATABASE_URL"],
        "SECRET_KEY": environment["SECRET_KEY"],
        "CERTIFY_STORAGE": folder / "storage",
        "CERTIFY_AUDIT_KEY_PATH": environment["CERTIFY_AUDIT_KEY_PATH"],
        "MAIL_FOLDER": folder / "mail",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "CERTIFY_ARGON2_TIME_COST": 1,
        "CERTIFY_ARGON2_MEMORY_COST": 8,
        "CERTIFY_ARGON2_PARALLELISM": 1,
    }
    recreate_database(args.database)
    try:
        results, plans, generation = run_sizes(create_app(config), sizes, args, per_application)
        verify = time_verify(environment)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(sizes, results, plans, generation, verify, args)


def run_sizes(app, sizes: list[int], args, per_application: int):
    """Generate up to each size and measure there; the results by size, the plans at the last size.

    The requests run outside any app context of the bench's own: each then has its own, as under a
    server (a shared one would share `g`, and with it the logged-in user, between the readers).
    """
    from flask_migrate import upgrade

    log, results, generation = QueryLog(), {}, {}
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        password_hash = hash_password(PASSWORD)
        world = prepare(password_hash)
        db.session.commit()
        engine = db.engine
    done = 0
    for size in sizes:
        started = time.perf_counter()
        with app.app_context():
            audit_total = args.audit * size // sizes[-1]
            fill(world, done, size, audit_total=audit_total, audit_per_application=per_application)
            if done == 0:
                add_manager(password_hash)
                db.session.commit()
        generation[size] = (time.perf_counter() - started, world.audit_rows, world.certificates)
        done = size
        sa.event.listen(engine, "before_cursor_execute", log)
        results[size] = measure(app, args.requests, log)
        sa.event.remove(engine, "before_cursor_execute", log)
    with app.app_context():
        plans = {name: explain(figures["statements"]) for name, figures in results[sizes[-1]].items()}
        db.engine.dispose()
    return results, plans, generation


def report(sizes, results, plans, generation, verify, args) -> None:
    first, last = sizes[0], sizes[-1]
    for size in sizes:
        seconds, audit_rows, certificates = generation[size]
        print(f"{size:,} applications ({certificates:,} certificates, {audit_rows:,} audit entries", end="")
        print(f"; generated in {seconds:.0f} s), {args.requests} requests each:")
        for name, figures in results[size].items():
            print(f"  {name:<16} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms", end="")
            print(f"  {figures['queries']:3d} queries  {figures['url']}")
    print(f"EXPLAIN (COSTS OFF) at {last:,} of every statement of one request reading a big table:")
    for name, explained in plans.items():
        for statement, lines, scanned in explained:
            flag = f"  ** Seq Scan on {', '.join(scanned)} **" if scanned else ""
            print(f"  [{name}] {' '.join(statement.split())[:160]}{flag}")
            print("\n".join(f"      {line}" for line in lines))
    seconds, peak_mb, said = verify
    print(f"certify audit verify: {seconds:.1f} s, peak RSS {peak_mb:.0f} MB: {said}")
    print(f"Against issue 19 (p95 at {last:,} ≤ {TARGET_RATIO} × p95 at {first:,}, the same queries):")
    figures, met = {}, True
    for name, figures_last in results[last].items():
        figures_first = results[first].get(name)
        ratio = figures_last["p95"] / figures_first["p95"] if figures_first else float("nan")
        same = figures_first is not None and figures_last["queries"] == figures_first["queries"]
        seq = any(scanned for _, _, scanned in plans[name])
        ok = ratio <= TARGET_RATIO and same and not seq
        met &= ok
        figures[name] = (ratio, figures_last["queries"])
        verdict = ("seq scan on a big table  " if seq else "") + ("met" if ok else "MISSED")
        print(f"  {name:<16} p95 ratio {ratio:5.2f}  queries {'same' if same else 'DIFFER'}  {verdict}")
    verify_ok = seconds < TARGET_VERIFY_SECONDS and peak_mb < TARGET_VERIFY_MB
    print(
        f"  audit verify     {seconds:.1f} s < {TARGET_VERIFY_SECONDS},"
        f" {peak_mb:.0f} MB < {TARGET_VERIFY_MB}",
        end="",
    )
    print(f"  {'met' if verify_ok else 'MISSED'}")
    pairs = " ".join(f"{name}_p95_ratio={r:.2f} {name}_queries={q}" for name, (r, q) in figures.items())
    print(
        f"BENCH scale sizes={first}..{last} audit_entries={generation[last][1]} {pairs} "
        f"verify_s={seconds:.1f} verify_mb={peak_mb:.0f} all_met={'yes' if met and verify_ok else 'no'}"
    )


if __name__ == "__main__":
    main()
