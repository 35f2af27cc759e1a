"""Rendering and signing certificate PDFs: latency per certificate and memory growth per process.

Renders and signs certificates with varying names (as a worker issuing them would), then renders 500
more after a warm-up and reports how much the resident set grew: a per-render leak shows up there.
Usage: .venv/bin/python bench/certificates_render.py [--certificates 200] [--renders 500]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certify.certificates.render import CertificateContext, render_certificate  # noqa: E402
from certify.certificates.signing import load_signing_key, sign_pdf  # noqa: E402

TARGET_MEDIAN_MS = 80.0
TARGET_P95_MS = 150.0
TARGET_RSS_GROWTH_MB = 20.0
WARM_UP_RENDERS = 20

FIRST_NAMES = [("Анна", "Anna"), ("Дмитрий", "Dmitry"), ("Елена", "Elena"), ("Рустам", "Rustam")]
LAST_NAMES = [
    ("Иванова", "Ivanova"),
    ("Гарипов", "Garipov"),
    ("Ким", "Kim"),
    ("Соколова-Бельская", "Sokolova"),
]

BASE_CONTEXT = CertificateContext(
    number="CMQ-2026-000000",
    holder_name_ru="",
    holder_name_en="",
    organisation_name_ru="АНО «Центр кластерного развития Республики Татарстан»",
    organisation_name_en="Tatarstan Cluster Development Centre",
    cluster_name_ru="Камский инновационный территориально-производственный кластер",
    cluster_name_en="Kama Innovative Territorial Production Cluster",
    region="Республика Татарстан",
    country="Россия",
    standard_title_ru="Единый стандарт качества управления кластерами",
    standard_title_en="Unified Standard of Cluster Management Quality",
    standard_code="CMQ",
    standard_version="2.1",
    level_name_ru="Золотой",
    level_name_en="Gold",
    assessed_score=Decimal("87.5"),
    issued_on=date(2026, 11, 28),
    expires_on=date(2029, 11, 27),
    verify_url="https://certify.example.org/verify/CMQ-2026-000000",
    issuer_name_ru="Орган по сертификации «Сертифай»",
    issuer_name_en="Certify certification body",
)


def context_for(index: int) -> CertificateContext:
    """A certificate differing from the others in number, holder, score and URL."""
    first_ru, first_en = FIRST_NAMES[index % len(FIRST_NAMES)]
    last_ru, last_en = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    number = f"CMQ-2026-{index:06d}"
    return dataclasses.replace(
        BASE_CONTEXT,
        number=number,
        holder_name_ru=f"{first_ru} {last_ru} ({index})",
        holder_name_en=f"{first_en} {last_en} ({index})",
        assessed_score=Decimal(60 + index % 40) + Decimal("0.5"),
        verify_url=f"https://certify.example.org/verify/{number}",
    )


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_latency(count: int, key) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"render": [], "sign": [], "render+sign": []}
    for index in range(count):
        started = time.perf_counter()
        pdf = render_certificate(context_for(index))
        rendered = time.perf_counter()
        sign_pdf(pdf, key, reason="Certificate issued", location="Kazan")
        signed = time.perf_counter()
        timings["render"].append((rendered - started) * 1000)
        timings["sign"].append((signed - rendered) * 1000)
        timings["render+sign"].append((signed - started) * 1000)
    return timings


def measure_rss_growth(renders: int) -> float:
    for index in range(WARM_UP_RENDERS):
        render_certificate(context_for(index))
    before = rss_mb()
    for index in range(renders):
        render_certificate(context_for(WARM_UP_RENDERS + index))
    return rss_mb() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=200)
    parser.add_argument("--renders", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as instance:
        key = load_signing_key(Path(instance))
        growth = measure_rss_growth(args.renders)
        timings = measure_latency(args.certificates, key)

    print(f"{args.certificates} certificates rendered and signed (EC P-256 development key)")
    for name, values in timings.items():
        median, p95 = statistics.median(values), percentile(values, 0.95)
        print(f"  {name:<12} median {median:6.1f} ms   p95 {p95:6.1f} ms")
    median = statistics.median(timings["render+sign"])
    p95 = percentile(timings["render+sign"], 0.95)
    print(f"RSS growth over {args.renders} renders after {WARM_UP_RENDERS} warm-up: {growth:.1f} MB")
    print(
        f"ratios to targets: median {median / TARGET_MEDIAN_MS:.2f} (≤ {TARGET_MEDIAN_MS:.0f} ms), "
        f"p95 {p95 / TARGET_P95_MS:.2f} (≤ {TARGET_P95_MS:.0f} ms), "
        f"RSS growth {growth / TARGET_RSS_GROWTH_MB:.2f} (< {TARGET_RSS_GROWTH_MB:.0f} MB)"
    )
    print(
        f"BENCH certificates_render render_sign_median_ms={median:.1f} "
        f"render_sign_p95_ms={p95:.1f} rss_growth_mb={growth:.1f}"
    )


if __name__ == "__main__":
    main()
