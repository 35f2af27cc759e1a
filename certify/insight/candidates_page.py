"""The dashboard's candidates for attestation: a number per stage and per scheme deadline, each linking to
its list (`/insight/candidates`), which the same functions of `candidates` build."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import format_date
from flask_babel import gettext as _

from certify.attestation.services import published_schemes
from certify.extensions import db
from certify.insight import candidates as people
from certify.insight.candidates import PersonDeadline, Stage
from certify.insight.tallies import Tally, chart, choice, list_url
from certify.review.queue import waited
from certify.standards.services import definition_of
from certify.timeutil import utcnow


def _url(**filters) -> str:
    return list_url("candidates", **filters)


def _schemes() -> list:
    """The schemes taking applications, whose days a deadline names even when nobody waits."""
    return [definition_of(version).attestation for version in published_schemes(db.session)]


def deadline_label(deadline: PersonDeadline, rows: list[people.Candidate]) -> str:
    days = people.days_allowed(deadline, rows, _schemes())
    return _(people.DEADLINE_LABELS[deadline]) % {"days": ", ".join(str(n) for n in days) or "—"}


def dashboard_tallies() -> dict:
    """The candidates' numbers of the dashboard: one per stage and per deadline, and all of them."""
    now = utcnow()
    rows = people.candidates(db.session)
    stages = []
    for stage in Stage:
        listed = people.at_stage(rows, stage)
        note = ""
        if listed and stage in people.WAITING:
            note = _("longest: %(waited)s", waited=waited(listed[0].since, now))
        stages.append(Tally(_(people.STAGE_LABELS[stage]), len(listed), _url(stage=stage.value), note))
    late = [
        Tally(
            deadline_label(deadline, rows),
            len(people.past(rows, deadline, now.date())),
            _url(late=deadline.value),
        )
        for deadline in PersonDeadline
    ]
    every = Tally(_("Candidates for attestation"), len(rows), _url())
    return {
        "candidates": every,
        "candidates_chart": chart(_("Candidates by stage"), stages),
        "candidate_stages": stages,
        "candidate_deadlines": late,
    }


def render_candidates(stage_value: str, late_value: str):
    """The candidates at one stage (`stage`), or past one deadline (`late`); all of them else."""
    today = utcnow().date()
    rows = people.candidates(db.session)
    deadline = choice(late_value, PersonDeadline)
    stage = choice(stage_value, Stage)
    if deadline is not None:
        listed = people.past(rows, deadline, today)
        heading = deadline_label(deadline, rows)
    else:
        listed = people.at_stage(rows, stage)
        heading = _(people.STAGE_LABELS[stage]) if stage else _("Candidates for attestation")
    return render_template(
        "insight/candidates.html",
        heading=heading,
        rows=listed,
        stage_labels={s: _(label) for s, label in people.STAGE_LABELS.items()},
        waited={row.application.id: waited(row.since, utcnow()) for row in listed},
        due={row.application.id: _due(row, today) for row in listed if row.due is not None},
    )


def _due(row: people.Candidate, today: date) -> tuple[str, bool]:
    """The stage's last day as the reader writes it, and whether it has passed."""
    return format_date(row.due, "medium"), row.overdue(today)
