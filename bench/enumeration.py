"""Issue 12, finding 10: do the account pages answer as fast for a known address as for an unknown one?

Runs the real app (test client, production Argon2 cost, a temporary SQLite file, e-mails to a folder)
and times each answer until the response is returned, before it is closed: what a client measures.
The e-mails go out when the response is closed, outside the timing, as under gunicorn. Known and
unknown addresses alternate, so drifts of the machine hit both alike. The BENCH line gives the
password reset's medians (known_ms, unknown_ms) and the other pages' beside them.
Usage: .venv/bin/python bench/enumeration.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certify import create_app  # noqa: E402
from certify.accounts import services as accounts  # noqa: E402
from certify.accounts.models import Role  # noqa: E402
from certify.extensions import db  # noqa: E402

PASSWORD = "Bench-Harbour-Lantern-42"  # noqa: S105  (throw-away users in a temporary database)
WRONG = "Wrong-Harbour-Lantern-42"  # noqa: S105
_numbers = count(1)


def registration(email: str) -> dict:
    n = next(_numbers)
    return {
        "email": email,
        "full_name_ru": "Анна Петрова",
        "full_name_en": "Anna Petrova",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "organisation_name_ru": f"Бенч {n}",
        "organisation_name_en": f"Bench {n}",
        "registration_number": f"BENCH{n:08d}",
        "country": "RU",
        "region": "Санкт-Петербург",
        "cluster_name_ru": f"Кластер {n}",
        "cluster_name_en": f"Cluster {n}",
    }


def timed(client, path: str, data: dict) -> float:
    """Milliseconds until the answer is back; the response is then closed (its e-mails go out)."""
    start = time.perf_counter()
    response = client.post(path, data=data)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code in (200, 400), (path, response.status_code)
    response.close()
    return elapsed


def compare(client, rounds: int, path: str, known, unknown) -> tuple[float, float]:
    """Median milliseconds for the known and the unknown address, alternating."""
    known_ms, unknown_ms = [], []
    for _ in range(rounds):
        known_ms.append(timed(client, path, known()))
        unknown_ms.append(timed(client, path, unknown()))
    return statistics.median(known_ms), statistics.median(unknown_ms)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="certify-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "MAIL_SERVER": "",
            "MAIL_FOLDER": folder / "mail",
            "CERTIFY_STORAGE": folder / "storage",
        }
    )
    with app.app_context():
        db.create_all()
        people = (("known@certify-bench.example.org", True), ("new@certify-bench.example.org", False))
        for email, confirmed in people:
            accounts.create_user(
                db.session,
                email=email,
                password=PASSWORD,
                full_name_ru="Бенч",
                roles=[Role.MANAGER],
                confirmed=confirmed,
            )
        db.session.commit()
    client = app.test_client()
    unknown = iter(f"nobody{n}@certify-bench.example.org" for n in count())
    results = {
        "": compare(
            client,
            args.rounds,
            "/password/forgot",
            lambda: {"email": "known@certify-bench.example.org"},
            lambda: {"email": next(unknown)},
        ),
        "resend_": compare(
            client,
            args.rounds,
            "/confirm/resend",
            lambda: {"email": "new@certify-bench.example.org"},
            lambda: {"email": next(unknown)},
        ),
        "register_": compare(
            client,
            args.rounds,
            "/register",
            lambda: registration("known@certify-bench.example.org"),
            lambda: registration(next(unknown)),
        ),
        "login_": compare(
            client,
            args.rounds,
            "/login",
            lambda: {"email": "known@certify-bench.example.org", "password": WRONG},
            lambda: {"email": next(unknown), "password": WRONG},
        ),
    }
    for prefix, (known_ms, unknown_ms) in results.items():
        print(f"{(prefix.rstrip('_') or 'forgot'):>8}: known {known_ms:.1f} ms, unknown {unknown_ms:.1f} ms")
    fields = " ".join(
        f"{prefix}known_ms={known_ms:.1f} {prefix}unknown_ms={unknown_ms:.1f}"
        for prefix, (known_ms, unknown_ms) in results.items()
    )
    print(f"BENCH enumeration {fields}")


if __name__ == "__main__":
    main()
