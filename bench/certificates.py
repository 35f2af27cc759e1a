"""Certificates: issuing 200 (render + sign timed), worker memory, and serving them under load.

1. In process, on a temporary SQLite database: issues 200 certificates through the real service
   (`issue_certificate`: number, render, sign, store, audit) and times render and sign inside it, then
   measures how much the resident memory grows over 500 more renders + signatures after a warm-up.
2. Serves the same database with gunicorn (2 sync workers on loopback) and drives it with 10 concurrent
   clients for 10 s per endpoint, in alternating slices: the public verification page and the stored-PDF
   download (as the holder, logged in over HTTP), each beside a bare endpoint of the same kind mounted on
   the same app by bench/_bench_wsgi.py (a plain text response of the page's size; a `send_file` of the
   same PDF), and the bare `send_file` once more with the holder's session, to tell the cost of being
   logged in from the cost of the download view; and the assessment report of an application taken
   through the full review (rendered once at the decision and stored), downloaded by its manager beside a
   bare `send_file` of the same file.

Rate limiting is switched off (the verification page allows 60 lookups a minute per address, and every
client here is 127.0.0.1). The load generator shares the 2 cores with the workers: the ratios, measured
side by side, are the figures that matter. Usage:
.venv/bin/python bench/certificates.py [--certificates 200] [--renders 500] [--seconds 10] [--clients 10]
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import _bench_setup as setup  # noqa: E402  (beside this script)

from certify import create_app  # noqa: E402
from certify.accounts import services as accounts  # noqa: E402
from certify.accounts.models import Organisation, Role  # noqa: E402
from certify.accounts.passwords import hash_password  # noqa: E402
from certify.certificates import issuance, reports  # noqa: E402
from certify.extensions import db  # noqa: E402
from certify.questionnaire.models import Application  # noqa: E402
from certify.questionnaire.services import standard_of  # noqa: E402
from certify.review.models import Decision  # noqa: E402
from certify.standards.services import install_library  # noqa: E402
from certify.storage import CERTIFICATES, REPORTS, storage  # noqa: E402

PASSWORD = "Bench-Harbour-Lantern-42"  # noqa: S105  (throw-away users in a temporary database)
WARM_UP_RENDERS = 20
SLICES = 5  # each endpoint's seconds are split into this many slices, taken in turn with the others'
TARGETS = {  # issue #19 (items 1 and 2; the memory figure is issue #7's), on these 2-core machines
    "render_sign_median_ms": ("≤", 55.0),
    "render_sign_p95_ms": ("≤", 90.0),
    "rss_growth_mb": ("<", 20.0),
    "verify_ratio": ("≥", 0.50),
    "download_ratio": ("≥", 0.50),
    "report_download_ratio": ("≥", 0.50),
}
REASON = "Сертификат соответствия / Certificate of conformity"  # as issue_certificate signs
#: the reviewed application's organisation is numbered after the issued ones (bench/_bench_setup.py)
REPORT_ORGANISATION = 9000
HOLDERS = [("Анна Сергеевна Иванова", "Anna Ivanova"), ("Рустам Ильдарович Гарипов", "Rustam Garipov")]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def decided_applications(count: int, coordinator) -> list[Decision]:
    """`count` organisations, each with a submitted application decided at level 'advanced'."""
    version = install_library(db.session)[0]
    decisions = []
    for index in range(count):
        name_ru, name_en = HOLDERS[index % len(HOLDERS)]
        organisation = Organisation(
            registration_number=f"BENCH{index:08d}",
            name_ru=f"АНО «Центр кластерного развития № {index}»",
            name_en=f"Cluster Development Centre No. {index}",
            country="RU",
            region="Республика Татарстан",
            cluster_name_ru=f"Инновационный кластер чистых технологий № {index}",
            cluster_name_en=f"Cleantech Innovation Cluster No. {index}",
            priority_fields=[],
        )
        manager = accounts.create_user(
            db.session,
            email=f"manager{index}@certify-bench.example.org",
            password=PASSWORD,
            full_name_ru=f"{name_ru} ({index})",
            full_name_en=f"{name_en} ({index})",
            roles=[Role.MANAGER],
            organisation=organisation,
            confirmed=True,
        )
        application = Application(
            organisation=organisation, standard_version=version, state="certified", created_by_id=manager.id
        )
        db.session.add(application)
        db.session.flush()
        decision = Decision(
            application_id=application.id,
            computed_level="advanced",
            chosen_level="advanced",
            assessed_total=f"{60 + index % 40}.5",
            reasons="Соответствует требованиям уровня.",
            decided_by_id=coordinator.id,
        )
        db.session.add(decision)
        decisions.append(decision)
    db.session.commit()
    return decisions


class Timed:
    """Replaces `module.name` by a wrapper that records each call's wall and CPU milliseconds."""

    def __init__(self, module, name: str):
        self.module, self.name, self.original = module, name, getattr(module, name)
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Timed:
        def wrapper(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.wall.append((time.perf_counter() - wall) * 1000)
                self.cpu.append((time.process_time() - cpu) * 1000)

        setattr(self.module, self.name, wrapper)
        return self

    def __exit__(self, *exc) -> None:
        setattr(self.module, self.name, self.original)


def issue_all(decisions, coordinator) -> tuple[list, dict[str, list[float]]]:
    """Issue each certificate through `issue_certificate`, timing render and sign inside it."""
    certificates, issue_ms = [], []
    with Timed(issuance, "render_certificate") as render, Timed(issuance, "sign_pdf") as sign:
        for decision in decisions:
            started = time.perf_counter()
            certificates.append(issuance.issue_certificate(db.session, decision, coordinator))
            db.session.commit()
            issue_ms.append((time.perf_counter() - started) * 1000)
    assert len(render.wall) == len(sign.wall) == len(certificates), "one render and one signature each"
    return certificates, {
        "issue_certificate + commit": issue_ms,
        "render": render.wall,
        "sign": sign.wall,
        "render + sign": [r + s for r, s in zip(render.wall, sign.wall, strict=True)],
        "render + sign (CPU time)": [r + s for r, s in zip(render.cpu, sign.cpu, strict=True)],
    }


def rss_growth(certificates, renders: int) -> tuple[float, float]:
    """Resident memory before and after `renders` renders + signatures (all contexts in turn)."""
    standard = standard_of(db.session.get(Application, certificates[0].application_id))
    contexts, key = [issuance.context_of(c, standard) for c in certificates], issuance.signing_key()

    def render_and_sign(index: int) -> None:
        pdf = issuance.render_certificate(contexts[index % len(contexts)])
        issuance.sign_pdf(pdf, key, reason=REASON, location="Certify")

    for index in range(WARM_UP_RENDERS):
        render_and_sign(index)
    gc.collect()
    before = rss_mb()
    for index in range(renders):
        render_and_sign(WARM_UP_RENDERS + index)
    gc.collect()
    return before, rss_mb()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str, cookies: dict | None = None, form: dict | None = None):
    """One request on a new connection (sync workers close it anyway): status, Set-Cookie values, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request("POST" if form is not None else "GET", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers.get_all("Set-Cookie") or [], response.read()
    finally:
        connection.close()


def keep_cookies(cookies: dict, set_cookies: list[str]) -> None:
    """Update a client's cookies from a response, as a browser would (an empty value deletes)."""
    for header in set_cookies:
        for name, morsel in SimpleCookie(header).items():
            if morsel.value:
                cookies[name] = morsel.value
            else:
                cookies.pop(name, None)


def log_in(port: int, email: str) -> dict:
    """Log in over HTTP through the real form (CSRF token included); the session cookie."""
    cookies: dict = {}
    status, set_cookies, body = fetch(port, "/login")
    keep_cookies(cookies, set_cookies)
    token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
    form = {"email": email, "password": PASSWORD, "csrf_token": token}
    status, set_cookies, _ = fetch(port, "/login", cookies, form)
    keep_cookies(cookies, set_cookies)
    if status != 302:
        raise RuntimeError(f"log-in refused: {status}")
    return cookies


def load(port: int, path: str, seconds: float, clients: int, cookies: dict) -> tuple[int, float]:
    """Answers 200 to `clients` concurrent clients over `seconds`, each waiting for its answer."""
    deadline = time.perf_counter() + seconds
    counts, failures = [0] * clients, []

    def client(slot: int) -> None:
        jar = dict(cookies)
        while time.perf_counter() < deadline:
            status, set_cookies, _ = fetch(port, path, jar)
            keep_cookies(jar, set_cookies)
            if status == 200:
                counts[slot] += 1
            else:
                failures.append(status)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(slot,)) for slot in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} answers other than 200, e.g. {failures[0]}")
    return sum(counts), time.perf_counter() - started


def serve(
    folder: Path, config: dict, pdf: Path, text_bytes: int, report_pdf: Path
) -> tuple[subprocess.Popen, int]:
    """gunicorn, 2 sync workers on a free loopback port, once it answers."""
    port = free_port()
    environment = os.environ | {
        "BENCH_CONFIG": json.dumps(config),
        "BENCH_PDF": str(pdf),
        "BENCH_REPORT_PDF": str(report_pdf),
        "BENCH_TEXT_BYTES": str(text_bytes),
        "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
    }
    gunicorn, log = Path(sys.executable).with_name("gunicorn"), folder / "gunicorn.log"
    command = [str(gunicorn), "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}"]
    command += ["--error-logfile", str(log), "_bench_wsgi:app"]
    process = subprocess.Popen(command, cwd=folder, env=environment, stdout=subprocess.DEVNULL)
    for _ in range(300):
        if process.poll() is not None:
            break
        try:
            if fetch(port, "/bench/bare-text")[0] == 200:
                return process, port
        except OSError:
            pass  # not listening yet
        time.sleep(0.1)
    stop(process)
    raise RuntimeError("gunicorn did not start:\n" + (log.read_text()[-2000:] if log.exists() else ""))


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure_serving(port: int, endpoints: dict, seconds: float, clients: int) -> dict[str, float]:
    """Requests per second of each endpoint, the endpoints taken in turn in slices after a warm-up."""
    totals = {key: [0, 0.0] for key in endpoints}
    for _, path, cookies in endpoints.values():
        load(port, path, 1, clients, cookies)  # both workers warm on every path
    for _ in range(SLICES):
        for key, (_, path, cookies) in endpoints.items():
            count, elapsed = load(port, path, seconds / SLICES, clients, cookies)
            totals[key][0] += count
            totals[key][1] += elapsed
    return {key: count / elapsed for key, (count, elapsed) in totals.items()}


def verdict(key: str, value: float) -> str:
    sign, target = TARGETS[key]
    met = value <= target if sign == "≤" else value < target if sign == "<" else value >= target
    return f"{sign} {target:g}  {'met' if met else 'MISSED'}"


def issue_and_render(app, args) -> dict:
    """Phase 1: the certificates issued and timed, and the memory figures."""
    with app.app_context():
        db.create_all()
        coordinator = accounts.create_user(
            db.session,
            email="coordinator@certify-bench.example.org",
            password=PASSWORD,
            full_name_ru="Координатор",
            roles=[Role.COORDINATOR],
            confirmed=True,
        )
        decisions = decided_applications(args.certificates, coordinator)
        certificates, timings = issue_all(decisions, coordinator)
        rss = rss_growth(certificates, args.renders)
        number, pdf = certificates[0].number, storage().path(CERTIFICATES, certificates[0].pdf_name)
        report = reviewed_report(coordinator)
    page_bytes = len(app.test_client().get(f"/verify/{number}").data)
    return {"timings": timings, "rss": rss, "number": number, "pdf": pdf, "page_bytes": page_bytes} | report


def reviewed_report(coordinator) -> dict:
    """An application taken through the full review to its decision, which stores its assessment report:
    the report's path, its application and its manager (who downloads it)."""
    password_hash = hash_password(PASSWORD)
    lead, second = (
        setup.person(db.session, f"reviewer{n}@{setup.DOMAIN}", Role.ASSESSOR, password_hash) for n in (1, 2)
    )
    (application,) = setup.applicants(db.session, 1, password_hash, first=REPORT_ORGANISATION)
    setup.certificates(db.session, [application], coordinator, lead, second)
    db.session.commit()
    stored = reports.stored_report(db.session, reports.download_of(db.session, application.id, coordinator))
    return {
        "report_pdf": storage().path(REPORTS, stored.name),
        "report_application": application.id,
        "report_manager": application.created_by.email,
    }


def serve_and_load(folder: Path, config: dict, issued: dict, args) -> tuple[dict, dict]:
    """Phase 2: requests per second of each endpoint under gunicorn, and the endpoints."""
    number, pdf, page_bytes = issued["number"], issued["pdf"], issued["page_bytes"]
    server, port = serve(folder, config, pdf, page_bytes, issued["report_pdf"])
    try:
        holder = log_in(port, "manager0@certify-bench.example.org")  # the first certificate's holder
        assert fetch(port, f"/certificates/{number}.pdf", holder)[2] == pdf.read_bytes(), "download differs"
        assert fetch(port, "/bench/bare-file")[2] == pdf.read_bytes(), "bare file differs"
        manager = log_in(port, issued["report_manager"])
        report_url, report_pdf = (
            f"/applications/{issued['report_application']}/report.pdf",
            issued["report_pdf"],
        )
        assert fetch(port, report_url, manager)[2] == report_pdf.read_bytes(), "report download differs"
        size = f"{pdf.stat().st_size:,} B"
        endpoints = {
            "text": (f"bare text, /bench/bare-text ({page_bytes:,} B)", "/bench/bare-text", {}),
            "verify": (f"verification page, /verify/{number}", f"/verify/{number}", {}),
            "file": (f"bare send_file, /bench/bare-file ({size})", "/bench/bare-file", {}),
            "download": ("stored PDF download (holder logged in)", f"/certificates/{number}.pdf", holder),
            "file_holder": ("bare send_file, with the holder's session", "/bench/bare-file", holder),
            "report": ("stored assessment report download (its manager)", report_url, manager),
            "report_file": (
                f"bare send_file of the report ({report_pdf.stat().st_size:,} B)",
                "/bench/bare-report",
                {},
            ),
        }
        return measure_serving(port, endpoints, args.seconds, args.clients), endpoints
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=200)
    parser.add_argument("--renders", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="certify-bench-"))
    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
        "SECRET_KEY": os.urandom(32).hex(),
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,  # plain http on loopback
        "MAIL_FOLDER": str(folder / "mail"),
        "CERTIFY_STORAGE": str(folder / "storage"),
        "PUBLIC_URL": "https://certify.example.org",
    }
    try:
        issued = issue_and_render(create_app(config), args)
        rates, endpoints = serve_and_load(folder, config, issued, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(args, issued, rates, endpoints)


def report(args, issued: dict, rates: dict, endpoints: dict) -> None:
    timings, (rss_before, rss_after) = issued["timings"], issued["rss"]
    figures = {
        "render_sign_median_ms": statistics.median(timings["render + sign"]),
        "render_sign_p95_ms": p95(timings["render + sign"]),
        "rss_growth_mb": rss_after - rss_before,
        "verify_ratio": rates["verify"] / rates["text"],
        "download_ratio": rates["download"] / rates["file"],
        "report_download_ratio": rates["report"] / rates["report_file"],
    }
    print(f"Phase 1, in process ({os.cpu_count()} CPUs, SQLite, RSA 3072 development key):")
    print(f"  {args.certificates} certificates issued by issue_certificate, render and sign timed inside it:")
    print(f"  {'':<28} {'median':>8} {'p95':>8} {'max':>8}  ms")
    for name, values in timings.items():
        print(f"  {name:<28} {statistics.median(values):8.1f} {p95(values):8.1f} {max(values):8.1f}")
    print(
        f"  resident memory over {args.renders} renders + signatures (after {WARM_UP_RENDERS} warm-up): "
        f"{rss_before:.1f} → {rss_after:.1f} MB"
    )
    print(
        f"Phase 2, gunicorn (2 sync workers, 127.0.0.1), {args.clients} client threads × {args.seconds:g} s "
        f"per endpoint in {SLICES} alternating slices;"
    )
    print("  rate limiting off (RATELIMIT_ENABLED=False); a new connection per request; the load generator")
    print("  shares the 2 cores with the workers, so req/s understate the server: compare the ratios.")
    for key, rate in rates.items():
        print(f"  {endpoints[key][0]:<58} {rate:8.1f} req/s")
    print(
        f"  (download against the bare send_file with the same session: "
        f"{rates['download'] / rates['file_holder']:.2f}; for information, not a target)"
    )
    print("Against the targets (issue 19; memory: issue 7):")
    for key, value in figures.items():
        print(f"  {key:<24} {value:8.2f}  {verdict(key, value)}")
    print(
        "BENCH certificates render_sign_median_ms={render_sign_median_ms:.1f} "
        "render_sign_p95_ms={render_sign_p95_ms:.1f} rss_growth_mb={rss_growth_mb:.1f} "
        "verify_ratio={verify_ratio:.2f} download_ratio={download_ratio:.2f} "
        "report_download_ratio={report_download_ratio:.2f}".format(**figures)
    )


if __name__ == "__main__":
    main()
