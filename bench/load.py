"""Load: managers, assessors, verifiers and candidates at once against gunicorn on PostgreSQL (issue 19).

A fresh PostgreSQL database (`--database`, dropped and created again; 127.0.0.1:5432, trust
authentication) is migrated and filled through the services (bench/_bench_setup.py): managers each with
a draft on the organisation standard, assessors two to a team on submitted applications in review,
certificates issued after a full review, and candidates registered for an exam. gunicorn serves it with 4
sync workers (bench/exams.py's `serve`) and the rate limits on as in production: counted in Redis
(`--ratelimit-storage`), every simulated person at their own address behind one trusted proxy
(PROXY_FIX_X_FOR=1, an X-Forwarded-For per person), each limit at its configured value.

locust (as a library, headless, one greenlet per person) plays them as their pages' scripts do, each
logging in through the login form first:
- managers type a number on a questionnaire page every AUTOSAVE_SECONDS, each at their own moment in
  those seconds (released together by the login queue, they would otherwise act in lock-step); leaving
  the field asks which questions are shown, then the page autosaves the whole form (questionnaire.js);
  after EDITS_PER_PAGE edits they open their next page;
- assessors change a rubric score every AUTOSAVE_SECONDS (at their own moments too) and the scoring
  page autosaves the draft (scoring.js); after EDITS_PER_PAGE edits they open their other assignment;
- anonymous verifiers open a certificate's public page every VERIFY_PAUSE seconds, without a cache;
- candidates start their attempt, then answer an item every ANSWER_PAUSE seconds (exam.js: one item
  per request) and ask for the time left every STATUS_SECONDS.
Statistics are reset once everyone has logged in, opened their page and worked for `--settle` seconds
(the requests the logins queued are answered by then), then `--seconds` are measured
(p50 and p95 per request type from locust's statistics, which round above 100 ms to 2 figures). Every
save answered 2xx and "saved" is recorded with the value sent; after gunicorn has stopped, each is looked
for in the database (where a later save's answer was lost, that save may have replaced it: accepted).
Finally one more address asks for a verification page, and tries to log in, past their limits: both must
be refused with 429. Passwords use Argon2's smallest cost, as in bench/exams.py: logging in is set-up.
The load generator shares the 2 cores with the workers and PostgreSQL, so the CPU they use per request
is printed, and the cores the whole machine was busy on: what else ran shows there. Usage:
.venv/bin/python bench/load.py [--seconds 60] [--settle 10] [--spawn-rate 10] [--managers 50]
    [--assessors 10] [--verifiers 100] [--candidates 200] [--database certify_load]
    [--ratelimit-storage redis://127.0.0.1:6379]
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import itertools
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
import sqlalchemy as sa
from locust import FastHttpUser, between, constant_pacing, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _bench_setup as setup  # noqa: E402
from certificates import PASSWORD, stop  # noqa: E402
from exams import SERVER, cpu_ms, create_database, drop_database, serve, server_processes  # noqa: E402

from certify import create_app  # noqa: E402
from certify.accounts.models import Role  # noqa: E402
from certify.accounts.passwords import hash_password  # noqa: E402
from certify.exams.models import ExamAnswer  # noqa: E402
from certify.extensions import db  # noqa: E402
from certify.questionnaire.models import Answer, Application  # noqa: E402
from certify.questionnaire.pages import pages_of  # noqa: E402
from certify.questionnaire.services import standard_of  # noqa: E402
from certify.review.models import RubricScore  # noqa: E402
from certify.standards.definition import QuestionType  # noqa: E402
from certify.standards.services import install_library  # noqa: E402

AUTOSAVE_SECONDS = 5
EDITS_PER_PAGE = 6
VERIFY_PAUSE = (5, 15)
ANSWER_PAUSE = (5, 15)
STATUS_SECONDS = 30  # exam.js's STATUS_MS
#: applications certified for the verifiers to look up
CERTIFICATES = 10
TARGET_P95_MS = 200
#: the settings of the rate limits that apply here (the verification page's 60 a minute is in its code)
LIMITS = ("RATELIMIT_STORAGE_URI", "LOGIN_RATE_LIMIT", "ACCOUNT_LOGIN_RATE_LIMIT", "PROXY_FIX_X_FOR")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Saves:
    """Each thing saved (key) -> the value of its last acknowledged save, and the values sent after it
    whose answers were lost or refused (a lost answer's save may still have been committed)."""

    def __init__(self):
        self.acknowledged: dict[tuple, object] = {}
        self.unconfirmed: dict[tuple, list] = defaultdict(list)

    def sending(self, key: tuple, value) -> None:
        self.unconfirmed[key].append(value)

    def saved(self, key: tuple, value) -> None:
        self.acknowledged[key] = value
        self.unconfirmed.pop(key, None)

    def missing(self, stored: dict) -> list[tuple]:
        """The acknowledged saves the database does not hold (neither they nor a later one)."""
        return [
            key
            for key, value in self.acknowledged.items()
            if stored.get(key) != value and stored.get(key) not in self.unconfirmed.get(key, ())
        ]


@dataclass
class Plan:
    """Who plays which part: filled in by `prepare`, taken in turn by the simulated people."""

    #: manager's e-mail -> their draft's id
    drafts: dict[str, int]
    #: page key -> its integer questions shown whatever else is answered: (id, lowest, highest)
    number_questions: dict[str, list[tuple[str, int, int]]]
    assessors: list[setup.Assessor]
    certificates: list[str]
    exam_id: int
    candidates: list[str]
    saves: Saves = field(default_factory=Saves)
    ready: int = 0


class Person(FastHttpUser):
    """A browser at its own address (behind the trusted proxy), with the page's CSRF token."""

    abstract = True
    plan: Plan
    addresses = itertools.count(1)
    network_timeout = connection_timeout = 60

    def on_start(self) -> None:
        n = next(self.addresses)
        self.address, self.token = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}", ""
        self.rng = random.Random(n)

    def call(self, method: str, path: str, name: str, *, form=None, expect=200, answer_json=False):
        """One request as the page sends it; the response, or None when it was not `expect` (a failure),
        or a JSON answer whose `saved` is false."""
        headers = {"X-Forwarded-For": self.address}
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.token}
        if answer_json:
            headers["Accept"] = "application/json"
        with self.client.request(
            method, path, name=name, data=body, headers=headers, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                return None
            if answer_json and response.json().get("saved") is False:
                response.failure(f"not saved: {response.text[:200]}")
                return None
            response.success()
            return response

    def open(self, path: str, name: str, *, expect=200):
        response = self.call("GET", path, name, expect=expect)
        if response is not None and (token := TOKEN.search(response.text or "")):
            self.token = token.group(1)
        return response

    def log_in(self, email: str) -> None:
        self.open("/login", "GET login page")
        form = {"email": email, "password": PASSWORD, "csrf_token": self.token}
        if self.call("POST", "/login", "POST login", form=form, expect=302) is None:
            raise RuntimeError(f"{email} could not log in")

    def is_ready(self, *, pace: float | None = None) -> None:
        """Counted as ready. Someone acting every `pace` seconds first waits a random part of it: people
        the login queue let through together would otherwise act in lock-step from then on, in bursts no
        set of browsers sends (every manager's autosave in the same 100 ms, every 5 s)."""
        self.plan.ready += 1
        if pace:
            gevent.sleep(self.rng.uniform(0, pace))


class Manager(Person):
    wait_time = constant_pacing(AUTOSAVE_SECONDS)

    def on_start(self) -> None:
        super().on_start()
        self.email, self.application_id = self.plan.drafts.popitem()
        self.log_in(self.email)
        self.pages = itertools.cycle(sorted(self.plan.number_questions))
        for _ in range(self.application_id % len(self.plan.number_questions)):
            next(self.pages)  # managers start on different pages
        self.open_next_page()
        self.is_ready(pace=AUTOSAVE_SECONDS)

    def open_next_page(self) -> None:
        self.page, self.edits = next(self.pages), 0
        self.url = f"/applications/{self.application_id}/pages/{self.page}"
        response = self.open(self.url, "GET questionnaire page")
        self.form = setup.Form(response.text, "questionnaire-page", hidden_disables=True)
        shown = self.form.names()
        self.questions = [q for q in self.plan.number_questions[self.page] if q[0] in shown]

    @task
    def type_a_number(self) -> None:
        if self.edits == EDITS_PER_PAGE:
            self.open_next_page()
        self.edits += 1
        question, lowest, highest = self.rng.choice(self.questions)
        value = str(self.rng.randint(lowest, highest))
        self.form.set(question, value)
        self.call("POST", f"{self.url}/visibility", "POST questionnaire visibility", form=self.form.pairs)
        key = ("answer", self.application_id, question)
        self.plan.saves.sending(key, value)
        saved = self.call(
            "POST",
            f"{self.url}/autosave",
            "POST questionnaire autosave",
            form=self.form.pairs,
            answer_json=True,
        )
        if saved is not None:
            self.plan.saves.saved(key, value)
            self.form.set("version", str(saved.json()["version"]))


class Assessor(Person):
    wait_time = constant_pacing(AUTOSAVE_SECONDS)

    def on_start(self) -> None:
        super().on_start()
        me = self.plan.assessors.pop()
        self.log_in(me.email)
        self.assignments = itertools.cycle(me.assignment_ids)
        self.open_next_assignment()
        self.is_ready(pace=AUTOSAVE_SECONDS)

    def open_next_assignment(self) -> None:
        self.assignment_id, self.edits = next(self.assignments), 0
        self.url = f"/review/assignments/{self.assignment_id}/scores"
        self.form = setup.Form(self.open(self.url, "GET scores page").text, "scores-form")
        self.indicators = sorted(n for n in self.form.names() if n.startswith("score-"))

    @task
    def change_a_score(self) -> None:
        if self.edits == EDITS_PER_PAGE:
            self.open_next_assignment()
        self.edits += 1
        name, score = self.rng.choice(self.indicators), self.rng.randint(0, 4)
        self.form.set(name, str(score))
        key = ("score", self.assignment_id, name.removeprefix("score-"))
        self.plan.saves.sending(key, score)
        if self.call(
            "POST", f"{self.url}/autosave", "POST scores autosave", form=self.form.pairs, answer_json=True
        ):
            self.plan.saves.saved(key, score)


class Verifier(Person):
    wait_time = between(*VERIFY_PAUSE)

    def on_start(self) -> None:
        super().on_start()
        self.is_ready()

    @task
    def verify(self) -> None:
        self.call("GET", f"/verify/{self.rng.choice(self.plan.certificates)}", "GET verify page")


class Candidate(Person):
    wait_time = between(*ANSWER_PAUSE)

    def on_start(self) -> None:
        super().on_start()
        self.log_in(self.plan.candidates.pop())
        self.open("/exams/", "GET exams")
        started = self.call(
            "POST",
            f"/exams/{self.plan.exam_id}/start",
            "POST exam start",
            form={"csrf_token": self.token},
            expect=302,
        )
        attempt_url = urlsplit(started.headers["Location"]).path
        self.attempt_id = int(attempt_url.rsplit("/", 1)[1])
        page = setup.Form(self.open(attempt_url, "GET exam attempt").text, "exam-attempt")
        self.items = defaultdict(list)  # item id -> its options, each (input type, value)
        for control in page.controls.controls:
            if control["name"].startswith("answer-"):
                self.items[control["name"].removeprefix("answer-")].append(
                    (control["type"], control["value"])
                )
        self.status_due = time.monotonic() + self.rng.uniform(0, STATUS_SECONDS)
        self.is_ready()

    @task
    def answer_an_item(self) -> None:
        item = self.rng.choice(sorted(self.items))
        options = self.items[item]
        count = 1 if options[0][0] == "radio" else self.rng.randint(1, min(2, len(options)))
        chosen = sorted(value for _, value in self.rng.sample(options, count))
        form = [("csrf_token", self.token), ("item", item)] + [(f"answer-{item}", v) for v in chosen]
        key = ("exam", self.attempt_id, item)
        self.plan.saves.sending(key, chosen)
        if self.call(
            "POST",
            f"/exams/attempts/{self.attempt_id}/answers",
            "POST exam answer",
            form=form,
            answer_json=True,
        ):
            self.plan.saves.saved(key, chosen)
        if time.monotonic() >= self.status_due:
            self.status_due += STATUS_SECONDS
            self.call("GET", f"/exams/attempts/{self.attempt_id}/status", "GET exam status")


def prepare(config: dict, args) -> Plan:
    """Migrate, install the standards and make everyone's starting state (bench/_bench_setup.py)."""
    from flask_migrate import upgrade

    with create_app(config).app_context():
        upgrade(directory=str(ROOT / "migrations"))
        install_library(db.session)
        session, password_hash = db.session, hash_password(PASSWORD)
        coordinator = setup.person(session, f"coordinator@{setup.DOMAIN}", Role.COORDINATOR, password_hash)
        drafts = setup.managers_with_drafts(session, args.managers, password_hash)
        in_review = setup.applicants(session, args.assessors, password_hash, first=args.managers)
        assessors = setup.review_teams(session, in_review, args.assessors, password_hash, coordinator)
        lead, second = (
            setup.person(session, f"examiner{n}@{setup.DOMAIN}", Role.ASSESSOR, password_hash)
            for n in range(2)
        )
        holders = setup.applicants(session, CERTIFICATES, password_hash, first=args.managers + args.assessors)
        numbers = setup.certificates(session, holders, coordinator, lead, second)
        exam_id, candidates = setup.exam_candidates(session, args.candidates, password_hash)
        standard = standard_of(session.get(Application, next(iter(drafts.values()))))
        session.commit()
        db.engine.dispose()
    return Plan(drafts, number_questions(standard), assessors, numbers, exam_id, candidates)


def number_questions(standard) -> dict[str, list[tuple[str, int, int]]]:
    """Page key -> the page's integer questions asked whatever else is answered, with their bounds."""
    pages = {}
    for page in pages_of(standard):
        questions = [
            (q.id, int(q.minimum or 0), int(q.maximum if q.maximum is not None else (q.minimum or 0) + 1000))
            for q in page.questions
            if q.type == QuestionType.INTEGER and q.visible_if is None
        ]
        if questions:
            pages[page.key] = questions
    return pages


def drive(server, port: int, plan: Plan, args) -> dict:
    """Everyone logs in and opens their page, then `args.seconds` are measured: per request type
    (method, count, failures, p50, p95, max) of the set-up and of the measure, errors and exceptions."""
    counts = {
        Manager: args.managers,
        Assessor: args.assessors,
        Verifier: args.verifiers,
        Candidate: args.candidates,
    }
    for user_class, count in counts.items():
        user_class.fixed_count = count
    Person.plan = plan
    env = Environment(user_classes=[c for c, n in counts.items() if n], host=f"http://127.0.0.1:{port}")
    runner = env.create_local_runner()
    people = sum(counts.values())
    runner.start(people, spawn_rate=args.spawn_rate)
    deadline = time.monotonic() + 600
    while plan.ready < people and not runner.exceptions:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {plan.ready} of {people} people ready after 600 s")
        gevent.sleep(0.2)
    gevent.sleep(args.settle)  # the queue the logins left behind drains
    set_up, errors = request_figures(env.stats), list(env.stats.errors.values())
    env.stats.reset_all()
    cpu, machine = cpu_over(server, args.database, 0 if runner.exceptions else args.seconds)
    measured, errors = request_figures(env.stats), errors + list(env.stats.errors.values())
    exceptions = [f"{e['count']}× {e['msg']}\n{e['traceback']}" for e in runner.exceptions.values()]
    runner.quit()
    return {
        "set_up": set_up,
        "measured": measured,
        "errors": errors,
        "exceptions": exceptions,
        "cpu": cpu,
        "machine": machine,
    }


def cpu_over(server, database: str, seconds: float) -> tuple[dict[str, float], float]:
    """CPU milliseconds used over the next `seconds` by the workers, the database's PostgreSQL backends
    and this process (the load generator), as bench/exams.py counts them; and the cores the whole
    machine was busy on meanwhile."""
    workers, backends = server_processes(server, database)
    before, generator, machine = cpu_ms(workers + backends), time.process_time(), machine_ticks()
    gevent.sleep(seconds)
    generator, after = (time.process_time() - generator) * 1000, cpu_ms(workers + backends)
    (busy, total), (busy_before, total_before) = machine_ticks(), machine
    used = {pid: after[pid] - before[pid] for pid in after.keys() & before.keys()}
    return {
        "workers": sum(used.get(pid, 0) for pid in workers),
        "PostgreSQL": sum(used.get(pid, 0) for pid in backends),
        "load generator": generator,
    }, (busy - busy_before) / max(total - total_before, 1) * os.cpu_count()


def machine_ticks() -> tuple[int, int]:
    """The whole machine's busy and total CPU ticks so far (/proc/stat): what else runs shows in them."""
    user, nice, system, idle, iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    busy = user + nice + system + irq + softirq + steal
    return busy, busy + idle + iowait


def request_figures(stats) -> dict[str, tuple]:
    return {
        name: (
            method,
            entry.num_requests,
            entry.num_failures,
            entry.get_response_time_percentile(0.5),
            entry.get_response_time_percentile(0.95),
            entry.max_response_time or 0,
        )
        for (name, method), entry in stats.entries.items()
        if entry.num_requests
    }


def refused_past_limits(port: int) -> dict[str, int]:
    """How many requests of one more address were refused with 429: 121 lookups of a verification page
    (60 a minute: over it in one of at most two minute windows) and 21 logins to one account with a
    wrong password (5 a minute on one account from one address)."""
    address = {"X-Forwarded-For": "192.0.2.1"}
    refused = {"verify": 0, "login": 0}
    for _ in range(121):
        refused["verify"] += request(port, "GET", "/verify/0", address)[0] == 429
    status, cookie, body = request(port, "GET", "/login", address)
    form = {"email": f"nobody@{setup.DOMAIN}", "password": "wrong", "csrf_token": TOKEN.search(body).group(1)}
    for _ in range(21):
        refused["login"] += request(port, "POST", "/login", address | {"Cookie": cookie}, form)[0] == 429
    return refused


def request(port: int, method: str, path: str, headers: dict, form: dict | None = None):
    """One request: status, the session cookie set (name=value), body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if form is not None:
        headers = headers | {"Content-Type": "application/x-www-form-urlencoded"}
    try:
        connection.request(method, path, body=urlencode(form) if form else None, headers=headers)
        response = connection.getresponse()
        cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
        return response.status, cookie, response.read().decode()
    finally:
        connection.close()


def stored_values(config: dict) -> dict[tuple, object]:
    """What the database holds, keyed as the saves are: answers, draft scores and exam answers."""
    with create_app(config).app_context():
        session = db.session
        values = {
            ("answer", a, q): v
            for a, q, v in session.execute(sa.select(Answer.application_id, Answer.question_id, Answer.value))
        }
        values |= {
            ("score", a, i): s
            for a, i, s in session.execute(
                sa.select(RubricScore.assignment_id, RubricScore.indicator_id, RubricScore.score)
            )
        }
        values |= {
            ("exam", a, i): sorted(c)
            for a, i, c in session.execute(
                sa.select(ExamAnswer.attempt_id, ExamAnswer.item_id, ExamAnswer.chosen)
            )
        }
        db.engine.dispose()
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--managers", type=int, default=50)
    parser.add_argument("--assessors", type=int, default=10)
    parser.add_argument("--verifiers", type=int, default=100)
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=10, help="people starting per second")
    parser.add_argument(
        "--settle", type=float, default=10, help="seconds of everyone at work before the measure"
    )
    parser.add_argument("--database", default="certify_load")
    parser.add_argument("--ratelimit-storage", default="redis://127.0.0.1:6379")
    args = parser.parse_args()
    if args.database == "test" or args.database.startswith("test_"):
        parser.error("the databases test and test_* are the test suite's")
    if args.ratelimit_storage.startswith("redis") and importlib.util.find_spec("redis") is None:
        parser.error("the rate limits' Redis storage needs the redis client: .venv/bin/pip install redis")
    folder = Path(tempfile.mkdtemp(prefix="certify-bench-"))
    # Through the environment, as in production, for this process and gunicorn's: the app takes them
    # as paths (given as strings in the settings, the outbox could not write the mail folder).
    os.environ |= {"MAIL_FOLDER": str(folder / "mail"), "CERTIFY_STORAGE": str(folder / "storage")}
    config = {
        "SQLALCHEMY_DATABASE_URI": SERVER + args.database,
        "SECRET_KEY": os.urandom(32).hex(),
        "SESSION_COOKIE_SECURE": False,  # plain http on loopback
        "PUBLIC_URL": "https://certify.example.org",
        "CERTIFY_ARGON2_TIME_COST": 1,
        "CERTIFY_ARGON2_MEMORY_COST": 8,
        "CERTIFY_ARGON2_PARALLELISM": 1,
        "RATELIMIT_STORAGE_URI": args.ratelimit_storage,
        # this run's counters apart from any other's in the same Redis
        "RATELIMIT_KEY_PREFIX": f"certify-load-{os.getpid()}-{time.time_ns()}",
        "PROXY_FIX_X_FOR": 1,
    }
    limits = {key: create_app(config).config[key] for key in LIMITS}
    drop_database(args.database)
    create_database(args.database)
    try:
        started = time.monotonic()
        plan = prepare(config, args)
        prepared = time.monotonic() - started
        load_before = os.getloadavg()[0]
        server, port = serve(folder, config)
        try:
            result = drive(server, port, plan, args)
            result["refused"] = refused_past_limits(port)
        finally:
            stop(server)
        result["missing"] = plan.saves.missing(stored_values(config))
    finally:
        drop_database(args.database)
        shutil.rmtree(folder, ignore_errors=True)
    result |= {
        "prepared_s": prepared,
        "load_before": load_before,
        "acknowledged": len(plan.saves.acknowledged),
    }
    report(args, limits, result)


def report(args, limits: dict, result: dict) -> None:
    measured, people = result["measured"], args.managers + args.assessors + args.verifiers + args.candidates
    total = sum(row[1] for row in measured.values())
    print(
        f"gunicorn (4 sync workers, {os.cpu_count()} CPUs, PostgreSQL), {people} people: {args.managers} "
        f"managers, {args.assessors} assessors, {args.verifiers} verifiers, {args.candidates} candidates; "
        f"data prepared in {result['prepared_s']:.0f} s; load average before: {result['load_before']:.2f}"
    )
    print("  rate limits: " + ", ".join(f"{key}={value}" for key, value in limits.items()))
    print(f"  set-up (logins, first pages, then {args.settle:g} s at work; not measured):")
    table(result["set_up"])
    print(f"  measured, {args.seconds:g} s: {total} requests, {total / args.seconds:.1f}/s")
    table(measured)
    cpu = result["cpu"]
    parts = ", ".join(f"{part} {ms / max(total, 1):.1f}" for part, ms in cpu.items())
    print(
        f"  CPU over the measure: this bench {sum(cpu.values()) / 1000 / args.seconds:.2f} cores, the "
        f"machine {result['machine']:.2f} of {os.cpu_count()}; per request "
        f"{sum(cpu.values()) / max(total, 1):.1f} ms ({parts})"
    )
    failures = sum(row[2] for part in ("set_up", "measured") for row in result[part].values())
    for error in result["errors"]:
        print(f"  error: {error.occurrences}× {error.method} {error.name}: {error.error}")
    for exception in result["exceptions"]:
        print(f"  exception in a simulated person: {exception}")
    worst_name, worst = max(((n, row[4]) for n, row in measured.items()), key=lambda pair: pair[1])
    missing, refused = result["missing"], result["refused"]
    print(
        f"  saves acknowledged: {result['acknowledged']}; not in the database: {len(missing)} {missing[:5]}"
    )
    print(
        f"  one more address past the limits, refused with 429: {refused['verify']} of 121 lookups, "
        f"{refused['login']} of 21 logins"
    )
    errors = failures + len(result["exceptions"])
    limited = refused["verify"] > 0 and refused["login"] > 0
    print(f"  errors {errors} = 0  {'met' if errors == 0 else 'MISSED'}")
    verdict = "met" if worst < TARGET_P95_MS else "MISSED"
    print(f"  worst p95 {worst} ms ({worst_name}) < {TARGET_P95_MS}  {verdict}")
    print(f"  acknowledged saves missing {len(missing)} = 0  {'met' if not missing else 'MISSED'}")
    print(f"  rate limits refuse past their limit: {'met' if limited else 'MISSED'}")
    p95s = " ".join(f"{slug(name)}_p95_ms={row[4]}" for name, row in sorted(measured.items()))
    print(
        f"BENCH load seconds={args.seconds:g} people={people} requests={total} "
        f"rps={total / args.seconds:.1f} "
        f"errors={errors} worst_p95_ms={worst} {p95s} acknowledged={result['acknowledged']} "
        f"missing={len(missing)} limits={'on' if limited else 'OFF'} "
        f"cpu_ms_per_request={sum(result['cpu'].values()) / max(total, 1):.1f} "
        f"machine_busy_cores={result['machine']:.2f}"
    )


def table(rows: dict[str, tuple]) -> None:
    print(f"    {'':<32} {'count':>7} {'failed':>6} {'p50':>6} {'p95':>6} {'max':>6}  ms")
    for name, (_, count, failed, p50, p95, most) in sorted(rows.items()):
        print(f"    {name:<32} {count:7d} {failed:6d} {p50:6.0f} {p95:6.0f} {most:6.0f}")


def slug(name: str) -> str:
    """'POST questionnaire autosave' -> 'questionnaire_autosave'."""
    return "_".join(name.split()[1:])


if __name__ == "__main__":
    main()
