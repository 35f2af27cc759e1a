"""Exams: drawing and scoring a form, item statistics of 1,000 attempts, and 200 candidates starting at once.

1. Pure, in process, on the default bank (cm-1.0, blueprint cm_theory): `draw_form` and `score_attempt`
   over many runs, each with its own seed, the exposure counts of the runs before it and plausible answers
   (median and p95; target draw + score < 5 ms).
2. Pure: `item_statistics` and `reliability` of 1,000 simulated attempts (answers from the demo's item
   response model, `certify.demo.exams.simulated_answer`), timed once each.
3. gunicorn (4 sync workers, 127.0.0.1) on a fresh PostgreSQL database `bench_exams_<pid>` (127.0.0.1:5432,
   trust authentication), migrated with `flask db upgrade`'s code: 200 candidates are created,
   registered for the exam as the body registers a sitting's candidates (`flask certify exam register`:
   each form is drawn then) and logged in over HTTP (each with its session and CSRF token), then fire
   their start requests within one second, spread evenly, one thread each; then every candidate saves
   answers as the page's script does (one item per JSON request), the saves spread evenly over
   `--save-seconds`. The warm-up candidates are not registered: their start draws the form, as the start
   of a candidate who was not registered does (the "start, cold" line). p95 of start and of save,
   from the request sent to the response read (targets 300 ms and 100 ms). The load generator shares the
   2 cores with the workers and PostgreSQL, so the CPU each save costs (user + system, from /proc: the
   workers', the database backends' and the load generator's, over the saves) is printed beside them: it
   is what saturates the machine, and it varies much less than latency with what else runs. Passwords
   use Argon2's smallest cost: logging in is set-up here, not what is measured. The database is dropped
   at the end.
Usage: .venv/bin/python bench/exams.py [--runs 2000] [--candidates 200] [--saves 5] [--save-seconds 5]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from certificates import PASSWORD, fetch, free_port, keep_cookies, log_in, p95, stop  # noqa: E402

from certify import create_app  # noqa: E402
from certify.accounts.models import Role, User  # noqa: E402
from certify.accounts.passwords import hash_password  # noqa: E402
from certify.accounts.services import add_user  # noqa: E402
from certify.demo.exams import ABILITIES, simulated_answer  # noqa: E402
from certify.exams import registrations, services  # noqa: E402
from certify.exams.bank import LIBRARY, load_bank_file  # noqa: E402
from certify.exams.forms import draw_form  # noqa: E402
from certify.exams.models import ExamAttempt  # noqa: E402
from certify.exams.scoring import score_attempt  # noqa: E402
from certify.exams.statistics import Response, item_statistics, reliability  # noqa: E402
from certify.extensions import db  # noqa: E402

BANK = LIBRARY / "cm-1.0.yaml"
BLUEPRINT = "cm_theory"
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
WORKERS = 4
#: candidates who start before the timed burst, so that every worker has parsed the bank once (about a
#: second each, `services.bank_of`); the cold figure is printed beside the warm one
WARM_UP = 3 * WORKERS
TARGETS = {"draw_score_ms": 5.0, "start_p95_ms": 300.0, "save_p95_ms": 100.0}


def sittings(bank, count: int, seed: int):
    """`count` forms drawn as start_attempt draws them (exposure so far), each with simulated answers."""
    rng, exposure = random.Random(seed), {}
    for _ in range(count):
        form = draw_form(bank, bank.blueprint(BLUEPRINT), seed=rng.getrandbits(52), exposure=exposure)
        for slot in form.slots:
            exposure[slot.item_id] = exposure.get(slot.item_id, 0) + 1
        yield form, answers_to(bank, form, rng)


def answers_to(bank, form, rng: random.Random) -> dict[str, list[str]]:
    items, ability = {item.id: item for item in bank.items}, ABILITIES.inv_cdf(rng.random())
    return {
        s.item_id: simulated_answer(items[s.item_id], items[s.item_id].key, ability, rng) for s in form.slots
    }


def draw_and_score(bank, runs: int) -> dict[str, list[float]]:
    """Milliseconds of each draw, each score, and both, over `runs` attempts (answers made untimed)."""
    blueprint, exposure, rng = bank.blueprint(BLUEPRINT), {}, random.Random(7)
    timings: dict[str, list[float]] = {"draw": [], "score": [], "both": []}
    for n in range(runs):
        started = time.perf_counter()
        form = draw_form(bank, blueprint, seed=n, exposure=exposure)
        drawn = time.perf_counter()
        answers = answers_to(bank, form, rng)
        scoring = time.perf_counter()
        score_attempt(bank, form, answers)
        scored = time.perf_counter()
        for slot in form.slots:
            exposure[slot.item_id] = exposure.get(slot.item_id, 0) + 1
        timings["draw"].append((drawn - started) * 1000)
        timings["score"].append((scored - scoring) * 1000)
        timings["both"].append((drawn - started + scored - scoring) * 1000)
    return timings


def statistics_of(bank, count: int) -> tuple[float, float]:
    """Seconds for the item statistics, and for KR-20, of `count` simulated attempts."""
    responses = {}
    for n, (form, answers) in enumerate(sittings(bank, count, seed=11)):
        result = score_attempt(bank, form, answers)
        responses[n] = {
            item: Response(correct, tuple(answers[item])) for item, correct in result.items.items()
        }
    started = time.perf_counter()
    item_statistics(responses)
    middle = time.perf_counter()
    reliability(responses)
    return middle - started, time.perf_counter() - middle


def create_database(name: str) -> None:
    engine = sa.create_engine(SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def drop_database(name: str) -> None:
    engine = sa.create_engine(SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def prepare(config: dict, candidates: int, registered: int) -> int:
    """Migrate, import the default bank, open an exam, create the candidates and register the first
    `registered` of them; the exam's id."""
    from flask_migrate import upgrade

    app = create_app(config)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        bank_row = services.import_bank(db.session, BANK.read_bytes(), source_name=BANK.name).row
        exam = services.open_exam(db.session, bank_row, BLUEPRINT)
        password_hash = hash_password(PASSWORD)
        for n in range(candidates):
            candidate = add_user(
                db.session,
                email=f"candidate{n}@certify-bench.example.org",
                password_hash=password_hash,
                full_name_ru=f"Кандидат {n}",
                roles=[Role.CANDIDATE],
                confirmed=True,
            )
            if n < registered:
                registrations.register_candidate(db.session, exam, candidate)
        db.session.commit()
        return exam.id


def serve(folder: Path, config: dict) -> tuple[subprocess.Popen, int]:
    """gunicorn with WORKERS sync workers on the app of bench/_bench_wsgi.py, once it answers."""
    port, log = free_port(), folder / "gunicorn.log"
    environment = os.environ | {
        "BENCH_CONFIG": json.dumps(config),
        "BENCH_PDF": os.devnull,  # the bare endpoints are not used here
        "BENCH_TEXT_BYTES": "1",
        "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
    }
    command = [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(WORKERS)]
    command += ["--bind", f"127.0.0.1:{port}", "--error-logfile", str(log), "_bench_wsgi:app"]
    process = subprocess.Popen(command, cwd=folder, env=environment, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        try:
            fetch(port, "/bench/bare-text")
            return process, port
        except OSError:
            time.sleep(0.2)  # not listening yet
    stop(process)
    raise RuntimeError("gunicorn did not start:\n" + (log.read_text()[-2000:] if log.exists() else ""))


def post(port: int, path: str, cookies: dict, form: dict, accept: str | None = None) -> tuple[int, float]:
    """A POST as the page sends it: status, and milliseconds until the whole response is read."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": form["csrf_token"],
    }
    if accept:
        headers["Accept"] = accept
    started = time.perf_counter()
    try:
        connection.request("POST", path, body=urlencode(form, doseq=True), headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def sessions(port: int, count: int) -> list[tuple[dict, str]]:
    """Each candidate logged in over HTTP: the session cookie and the CSRF token of the exams page."""

    def one(n: int) -> tuple[dict, str]:
        cookies = log_in(port, f"candidate{n}@certify-bench.example.org")
        _, set_cookies, body = fetch(port, "/exams/", cookies)
        keep_cookies(cookies, set_cookies)  # the token is kept in the session
        return cookies, re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def spread(count: int, seconds: float, task) -> list:
    """task(n) for n in range(count), one thread each, task n sent at n/count of `seconds` from now."""
    begin, results = time.perf_counter() + 0.5, [None] * count

    def run(n: int) -> None:
        time.sleep(max(0.0, begin + n / count * seconds - time.perf_counter()))
        results[n] = task(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def start_and_save(config: dict, exam_id: int, server: subprocess.Popen, port: int, args) -> tuple:
    """Milliseconds of the warm-up starts (cold workers), of the starts sent within one second, and of
    the saves after them; and the CPU milliseconds per save of the workers, PostgreSQL and this process."""
    logged_in = sessions(port, args.candidates + WARM_UP)

    def start(n: int) -> tuple[int, float]:
        cookies, token = logged_in[n]
        return post(port, f"/exams/{exam_id}/start", cookies, {"csrf_token": token})

    cold = spread(WARM_UP, 0, lambda n: start(args.candidates + n))
    started = spread(args.candidates, 1.0, start)
    refuse_failures("start", cold + started, 302)
    forms = attempt_items(config)

    def save(k: int) -> tuple[int, float]:
        n, choice = divmod(k, args.saves)
        (attempt_id, items), (cookies, token) = forms[n], logged_in[n]
        item_id, option = items[choice]
        form = {"csrf_token": token, "item": item_id, f"answer-{item_id}": option}
        return post(port, f"/exams/attempts/{attempt_id}/answers", cookies, form, "application/json")

    workers, backends = server_processes(server, sa.make_url(config["SQLALCHEMY_DATABASE_URI"]).database)
    before, generator = cpu_ms(workers + backends), time.process_time()
    saved = spread(args.candidates * args.saves, args.save_seconds, save)
    generator, after = (time.process_time() - generator) * 1000, cpu_ms(workers + backends)
    refuse_failures("save", saved, 200)
    used = {pid: after[pid] - before[pid] for pid in after.keys() & before.keys()}
    cpu = {
        "workers": sum(used.get(pid, 0) for pid in workers),
        "PostgreSQL": sum(used.get(pid, 0) for pid in backends),
        "load generator": generator,
    }
    per_save = {part: ms / len(saved) for part, ms in cpu.items()}
    return [ms for _, ms in cold], [ms for _, ms in started], [ms for _, ms in saved], per_save


def server_processes(server: subprocess.Popen, database: str) -> tuple[list[int], list[int]]:
    """The gunicorn workers' process ids, and those of the database's PostgreSQL backends (on this host)."""
    workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    engine = sa.create_engine(SERVER + "postgres")
    with engine.connect() as connection:
        backends = connection.scalars(
            sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": database}
        ).all()
    engine.dispose()
    return [int(pid) for pid in workers], list(backends)


def cpu_ms(pids: list[int]) -> dict[int, float]:
    """CPU milliseconds (user + system) each process has used so far; processes gone are left out."""
    used, tick = {}, os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) * 1000 / tick
    return used


def refuse_failures(what: str, answered: list[tuple[int, float]], expected: int) -> None:
    statuses = Counter(status for status, _ in answered)
    if set(statuses) != {expected}:
        raise RuntimeError(f"{what}: answers other than {expected}: {dict(statuses)}")


def attempt_items(config: dict) -> dict[int, tuple[int, list[tuple[str, str]]]]:
    """Candidate number -> their attempt's id and, per slot, the item and its first option shown."""
    with create_app(config).app_context():
        rows = db.session.execute(
            sa.select(User.email, ExamAttempt.id, ExamAttempt.form).join(
                User, User.id == ExamAttempt.candidate_id
            )
        ).all()
        db.engine.dispose()
    return {
        int(re.match(r"candidate(\d+)@", email).group(1)): (
            attempt_id,
            [(s["item"], s["options"][0]) for s in form["slots"]],
        )
        for email, attempt_id, form in rows
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--saves", type=int, default=5, help="answers saved per candidate")
    parser.add_argument("--save-seconds", type=float, default=5)
    args = parser.parse_args()
    bank = load_bank_file(BANK)
    timings = draw_and_score(bank, args.runs)
    stats_seconds, kr20_seconds = statistics_of(bank, args.attempts)

    name, folder = f"bench_exams_{os.getpid()}", Path(tempfile.mkdtemp(prefix="certify-bench-"))
    config = {
        "SQLALCHEMY_DATABASE_URI": SERVER + name,
        "SECRET_KEY": os.urandom(32).hex(),
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,  # plain http on loopback
        "MAIL_FOLDER": str(folder / "mail"),
        "CERTIFY_STORAGE": str(folder / "storage"),
        "PUBLIC_URL": "https://certify.example.org",
        "CERTIFY_ARGON2_TIME_COST": 1,
        "CERTIFY_ARGON2_MEMORY_COST": 8,
        "CERTIFY_ARGON2_PARALLELISM": 1,
    }
    create_database(name)
    try:
        exam_id = prepare(config, args.candidates + WARM_UP, registered=args.candidates)
        server, port = serve(folder, config)
        try:
            cold, starts, saves, save_cpu = start_and_save(config, exam_id, server, port, args)
        finally:
            stop(server)
    finally:
        drop_database(name)
        shutil.rmtree(folder, ignore_errors=True)
    report(args, bank, timings, stats_seconds, kr20_seconds, cold, starts, saves, save_cpu)


def report(args, bank, timings, stats_seconds, kr20_seconds, cold, starts, saves, save_cpu) -> None:
    print(
        f"Pure, bank {bank.code} {bank.version} ({len(bank.items)} items), blueprint {BLUEPRINT}, "
        f"{args.runs} runs:"
    )
    print(f"  {'':<16} {'median':>8} {'p95':>8} {'max':>8}  ms")
    for key, values in timings.items():
        name = {"draw": "draw_form", "score": "score_attempt", "both": "draw + score"}[key]
        print(f"  {name:<16} {statistics.median(values):8.3f} {p95(values):8.3f} {max(values):8.3f}")
    print(
        f"  item statistics of {args.attempts} attempts: {stats_seconds:.3f} s; "
        f"KR-20 and SEM: {kr20_seconds:.3f} s"
    )
    rate = len(saves) / args.save_seconds
    print(
        f"gunicorn ({WORKERS} sync workers, {os.cpu_count()} CPUs, PostgreSQL): {args.candidates} starts "
        f"of registered candidates sent evenly within 1 s, after {WARM_UP} unregistered at once on cold "
        f"workers, then {len(saves)} saves at {rate:.0f}/s:"
    )
    print(f"  {'':<20} {'median':>8} {'p95':>8} {'max':>8}  ms")
    for name, values in (("start, cold, drawn", cold), ("start, registered", starts), ("save", saves)):
        print(f"  {name:<20} {statistics.median(values):8.1f} {p95(values):8.1f} {max(values):8.1f}")
    parts = ", ".join(f"{part} {ms:.2f}" for part, ms in save_cpu.items())
    print(f"  CPU per save: {sum(save_cpu.values()):.2f} ms ({parts})")
    figures = {
        "draw_score_ms": p95(timings["both"]),
        "stats_1000_s": stats_seconds,
        "start_p95_ms": p95(starts),
        "save_p95_ms": p95(saves),
        "save_cpu_ms": sum(save_cpu.values()),
    }
    for key, target in TARGETS.items():
        print(f"  {key:<16} {figures[key]:8.2f} < {target:g}  {'met' if figures[key] < target else 'MISSED'}")
    print(
        "BENCH exams draw_score_ms={draw_score_ms:.2f} stats_1000_s={stats_1000_s:.3f} "
        "start_p95_ms={start_p95_ms:.1f} save_p95_ms={save_p95_ms:.1f} "
        "save_cpu_ms={save_cpu_ms:.2f}".format(**figures)
    )


if __name__ == "__main__":
    main()
