"""An exam's item statistics as an XLSX workbook, for the body's reviews offline: `statistics_workbook`.

One row per item (exposure, p, r_pb, omitted, each option's share, flags, the body's status and the latest
decision), a sheet of the reliability (KR-20, SEM) overall and per month. Numbers stay numbers, so that a
reader can sort and chart them.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from certify.exams.item_review import ExamStatistics
from certify.exams.workbook import MAX_OPTIONS

ITEM_HEADERS = (
    "item",
    "version",
    "area",
    "exposure",
    "p",
    "r_pb",
    "omitted",
    *(f"option {n} {part}" for n in range(1, MAX_OPTIONS + 1) for part in ("id", "share")),
    "flags",
    "status",
    "decision",
)
RELIABILITY_HEADERS = ("period", "attempts", "items per attempt", "mean", "sd", "KR-20", "SEM")


def statistics_workbook(report: ExamStatistics) -> bytes:
    workbook = Workbook()
    items = workbook.active
    items.title = "items"
    items.append(ITEM_HEADERS)
    for row in report.items:
        stats = row.statistics
        shares: list[object] = []
        for option, share in stats.option_shares.items():
            shares += [option, round(share, 3)]
        shares += [None] * (2 * MAX_OPTIONS - len(shares))
        items.append(
            [
                row.item_id,
                row.version,
                row.area,
                stats.exposure,
                round(stats.facility, 3),
                None if stats.discrimination is None else round(stats.discrimination, 3),
                round(stats.omitted, 3),
                *shares,
                ", ".join(stats.flags),
                row.status,
                row.decision,
            ]
        )
    reliability = workbook.create_sheet("reliability")
    reliability.append(RELIABILITY_HEADERS)
    for month, value in report.periods:
        reliability.append(
            [
                month or "all",
                value.attempts,
                value.items_per_attempt,
                *map(_rounded, (value.mean, value.sd, value.kr20, value.sem)),
            ]
        )
    for sheet in (items, reliability):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
    workbook.properties.title = f"exam {report.exam.id}: {report.exam.title_en}"
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
