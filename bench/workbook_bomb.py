"""Importing a workbook bomb: a 2 MB XLSX whose shared strings expand to 190 MB, against real workbooks.

The bomb passes the checks evidence uploads get (under the 5 MB upload cap, each part under 100:1, the
whole under 200 MB expanded), so only the workbook's own limits stop it. For comparison, a real filled
workbook of cmq-1.0, and the same with the largest shared strings part the limits let through (short
strings, the costliest to parse). Each file is read by `read_workbook` in a fresh Python process, which
reports the time of the read and its peak resident memory (`resource.getrusage`), so neither the files'
construction nor an earlier read is counted. The last line is the bomb's.
Usage: .venv/bin/python bench/workbook_bomb.py [--megabytes 190]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from certify.demo.answers import plausible_answers  # noqa: E402
from certify.questionnaire.workbook import MAX_PART, build_workbook, read_workbook  # noqa: E402
from certify.standards.format import LIBRARY, load_standard_file  # noqa: E402
from tests.questionnaire.workbook_bombs import MB, SHARED_STRINGS, write_shared_strings_bomb  # noqa: E402

STANDARD = LIBRARY / "cmq-1.0.yaml"


def read_in_child(path: Path) -> dict:
    """Time and peak memory of reading `path`, measured in a fresh process."""
    command = [sys.executable, __file__, "--read", str(path)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.splitlines()[-1])


def child(path: Path) -> None:
    """Runs in the fresh process: read the workbook once and print what it cost, as JSON."""
    standard = load_standard_file(STANDARD)
    data = path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    read = read_workbook(standard, data)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    problems = [problem.template % problem.params for problem in read.problems]
    result = {"seconds": seconds, "rss_before_mb": before, "peak_rss_mb": peak, "cells": len(read.cells)}
    print(json.dumps({**result, "problems": problems}))


def describe(name: str, path: Path, result: dict) -> None:
    with zipfile.ZipFile(path) as archive:
        expanded = sum(member.file_size for member in archive.infolist())
    print(
        f"{name}: {path.stat().st_size / 1024 / 1024:.2f} MB, {expanded / 1024 / 1024:.1f} MB expanded; "
        f"read in {result['seconds']:.3f} s, peak RSS {result['peak_rss_mb']:.0f} MB "
        f"({result['rss_before_mb']:.0f} MB before reading), "
        f"{result['cells']} cells; problems: {result['problems'] or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=190, help="size of the bomb's shared strings")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        child(args.read)
        return
    standard = load_standard_file(STANDARD)
    real = build_workbook(standard, plausible_answers(standard, seed=1), title="Кластер «Север»")
    folder = Path(tempfile.mkdtemp(prefix="certify-bench-"))
    paths = {name: folder / f"{name}.xlsx" for name in ("real", "largest", "bomb")}
    paths["real"].write_bytes(real)
    for name, size in (("largest", MAX_PART - 64 * 1024), ("bomb", args.megabytes * MB)):
        with paths[name].open("wb") as target:
            write_shared_strings_bomb(real, target, size=size)
    with zipfile.ZipFile(paths["bomb"]) as archive:
        part = archive.getinfo(SHARED_STRINGS)
        print(f"bomb's {SHARED_STRINGS}: expands {part.file_size / part.compress_size:.0f}:1")
    describe("real workbook", paths["real"], read_in_child(paths["real"]))
    describe("largest shared strings allowed", paths["largest"], read_in_child(paths["largest"]))
    bomb = read_in_child(paths["bomb"])
    describe("bomb", paths["bomb"], bomb)
    print(f"BENCH workbook_bomb seconds={bomb['seconds']:.3f} peak_rss_mb={bomb['peak_rss_mb']:.0f}")


if __name__ == "__main__":
    main()
