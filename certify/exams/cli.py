"""`flask certify exam …`: item banks (validate, import, export, stats), exams (open, close, list), and
`close-overdue`, which a timer runs every minute so that attempts end on time even when nobody visits."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from certify.errors import DomainError
from certify.exams import attempts, services
from certify.exams.bank import Bank, BankInvalid, load_bank, validate_bank_text
from certify.exams.models import Exam, PassMarkMethod
from certify.exams.supply import TARGET_MULTIPLE, blueprint_supply, status_counts
from certify.exams.workbook import bank_workbook
from certify.extensions import db

exam_cli = AppGroup("exam", help="Item banks, exams and attempts.")
bank_cli = AppGroup("bank", help="Validate, import, export and count item banks.")
exam_cli.add_command(bank_cli)


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {error.strerror}") from error


def _stored(reference: str):
    code, _, version = reference.partition("/")
    row = services.find_bank_version(db.session, code, version)
    if row is None:
        raise click.ClickException(f"no bank version {reference} is stored (give code/version, e.g. cm/1.0)")
    return row


def _refused(error: DomainError):
    db.session.rollback()
    raise click.ClickException(str(error.message)) from error


def _moment(text: str | None) -> datetime | None:
    """An ISO date and time from the command line; without a zone it is UTC."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise click.BadParameter(f"{text!r} is not an ISO date and time (2026-12-02T09:00)") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bank_cli.command("validate")
@click.argument("file")
def validate_command(file: str) -> None:
    """Check FILE and print every problem with its line and path; exit status 1 when there are any."""
    problems = validate_bank_text(_read_file(file), source_name=Path(file).name)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"{file}: valid")


@bank_cli.command("import")
@click.argument("file")
def import_command(file: str) -> None:
    """Import FILE with its item versions (all or nothing; the same file again changes nothing)."""
    try:
        imported = services.import_bank(db.session, _read_file(file), source_name=Path(file).name, user="cli")
    except BankInvalid as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from error
    except services.ExamRefused as error:
        _refused(error)
    db.session.commit()
    if imported.created:
        click.echo(
            f"{imported.row.label}: imported, {imported.new_items} new item versions, "
            f"{imported.updated_drafts} drafts updated"
        )
    else:
        click.echo(f"{imported.row.label}: already imported, nothing changed")


@bank_cli.command("export")
@click.argument("reference")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="Write an XLSX workbook here.")
def export_command(reference: str, xlsx_path: str | None) -> None:
    """Print the stored YAML of REFERENCE (code/version), or write it as an XLSX workbook for authors."""
    row = _stored(reference)
    if xlsx_path is None:
        click.echo(row.source, nl=False)
        return
    Path(xlsx_path).write_bytes(bank_workbook(services.bank_of(row)))
    click.echo(f"{row.label}: {len(services.bank_of(row).items)} items written to {xlsx_path}")


@bank_cli.command("stats")
@click.argument("reference")
def stats_command(reference: str) -> None:
    """Item counts per area and status, and whether each blueprint can be filled (REFERENCE: code/version
    of a stored bank, whose held-back items are not counted as drawable, or a YAML file)."""
    if Path(reference).is_file():
        try:
            bank = load_bank(_read_file(reference), source_name=Path(reference).name)
        except BankInvalid as error:
            raise click.ClickException(str(error)) from error
        held_back: frozenset[str] = frozenset()
    else:
        bank = services.bank_of(_stored(reference))
        held_back = services.held_back(db.session, bank)
    click.echo("\n".join(_stats_lines(bank, held_back)))


def _stats_lines(bank: Bank, held_back: frozenset[str]) -> list[str]:
    statuses = ("draft", "active", "suspended", "retired")
    lines = [f"{bank.code} {bank.version}: {len(bank.items)} items", ""]
    lines.append(f"{'area':<16}" + "".join(f"{status:>11}" for status in statuses) + f"{'total':>8}")
    for area, counts in status_counts(bank).items():
        row = "".join(f"{counts[status]:>11}" for status in statuses)
        lines.append(f"{area:<16}{row}{sum(counts.values()):>8}")
    for blueprint in bank.blueprints:
        minutes = blueprint.time_limit_minutes
        lines += ["", f"blueprint {blueprint.id}: {blueprint.item_count} items, {minutes} min"]
        lines.append(f"{'area':<16}{'draws':>7}{'drawable':>10}{'times':>7}  verdict")
        for supply in blueprint_supply(bank, blueprint, held_back):
            verdict = "ok" if supply.meets_target else "below target" if supply.feasible else "CANNOT FILL"
            times = supply.drawable / supply.draws
            lines.append(f"{supply.area:<16}{supply.draws:>7}{supply.drawable:>10}{times:>7.1f}  {verdict}")
        lines.append(f"(target: {TARGET_MULTIPLE}x the draw per area; held back: {len(held_back)} items)")
    return lines


@exam_cli.command("open")
@click.argument("reference")
@click.argument("blueprint")
@click.option("--opens", help="When the window opens (ISO, UTC without a zone); default now.")
@click.option("--closes", help="When it closes; default never (close it with `exam close`).")
@click.option("--pass-mark", help="The overall pass mark in percent; default the blueprint's.")
@click.option("--method", type=click.Choice([m.value for m in PassMarkMethod]), default="fixed")
@click.option("--set-on", type=click.DateTime(formats=["%Y-%m-%d"]), help="When the pass mark was set.")
def open_command(reference, blueprint, opens, closes, pass_mark, method, set_on) -> None:
    """Offer BLUEPRINT of the stored bank REFERENCE (code/version) to candidates."""
    try:
        mark = Decimal(pass_mark) if pass_mark is not None else None
    except InvalidOperation as error:
        raise click.BadParameter(f"{pass_mark!r} is not a number", param_hint="--pass-mark") from error
    try:
        exam = services.open_exam(
            db.session,
            _stored(reference),
            blueprint,
            opens_at=_moment(opens),
            closes_at=_moment(closes),
            pass_mark=mark,
            method=PassMarkMethod(method),
            set_on=set_on.date() if set_on else None,
            user="cli",
        )
    except services.ExamRefused as error:
        _refused(error)
    db.session.commit()
    click.echo(f"exam {exam.id}: {exam.title_en}, pass mark {exam.pass_mark} % ({exam.pass_mark_method})")


@exam_cli.command("close")
@click.argument("exam_id", type=int)
def close_command(exam_id: int) -> None:
    """Close the window of exam EXAM_ID now; its attempts in progress close with what they saved."""
    exam = db.session.get(Exam, exam_id)
    if exam is None:
        raise click.ClickException(f"no exam {exam_id}")
    try:
        closed = attempts.close_exam(db.session, exam, user="cli")
    except services.ExamRefused as error:
        _refused(error)
    db.session.commit()
    click.echo(f"exam {exam_id}: closed; {len(closed)} attempts in progress were closed and scored")


@exam_cli.command("list")
def list_command() -> None:
    """List the exams with their windows."""
    for exam in db.session.scalars(sa.select(Exam).order_by(Exam.id)):
        closes = exam.closes_at.isoformat() if exam.closes_at else "open-ended"
        click.echo(f"{exam.id:>4}  {exam.bank_version.label:<10} {exam.blueprint_id:<16} until {closes}")


@exam_cli.command("close-overdue")
def close_overdue_command() -> None:
    """Close and score every attempt past its deadline with what was saved (run it every minute)."""
    closed = 0
    while batch := attempts.close_overdue(db.session):
        db.session.commit()
        closed += len(batch)
    db.session.commit()
    click.echo(f"{closed} overdue attempts closed")
