"""`flask certify exam …`: item banks (validate, import, export, stats), exams (open, close, list), and
`close-overdue`, which a timer runs every minute so that attempts end on time even when nobody visits.

A bank FILE is a YAML bank file or an XLSX workbook (`certify.exams.workbook`): a workbook by its content
(a ZIP) or its extension (.xlsx, .xls, .ods), YAML otherwise. A workbook is converted to the bank's YAML,
which is what is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from certify.accounts.models import Role, User
from certify.errors import DomainError
from certify.exams import attempts, registrations, services
from certify.exams.bank import Bank, BankInvalid, load_bank, validate_bank_text
from certify.exams.models import Exam, PassMarkMethod
from certify.exams.supply import TARGET_MULTIPLE, blueprint_supply, status_counts
from certify.exams.workbook import bank_workbook
from certify.exams.workbook_reading import is_workbook, problem_text, read_bank_workbook
from certify.extensions import db
from certify.standards.problems import Problem

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


WORKBOOK, YAML_FILE = "an XLSX workbook", "a YAML bank file"
_language = click.option(
    "--language", type=click.Choice(["en", "ru"]), default="en", help="The language of the problems."
)


def _bank_source(file: str) -> tuple[bytes | str | None, list[Problem] | None, str]:
    """FILE's bank as YAML (a workbook converted, None if it has problems), the workbook's problems
    (None for a YAML file, which is checked where it is used), and what FILE was read as."""
    data, name = _read_file(file), Path(file).name
    if not is_workbook(data, name):
        return data, None, YAML_FILE
    read = read_bank_workbook(data, source_name=name)
    return read.text, read.problems, WORKBOOK


def _echo_problems(problems, language: str) -> None:
    """Every problem on stderr, located (line and path, or sheet, row and column), in `language`."""
    with force_locale(language):
        for problem in problems:
            click.echo(problem_text(problem, gettext), err=True)


@bank_cli.command("validate")
@click.argument("file")
@_language
def validate_command(file: str, language: str) -> None:
    """Check FILE (YAML or XLSX) and print every problem where it is; exit status 1 when there are any."""
    source, problems, kind = _bank_source(file)
    if problems is None:
        problems = validate_bank_text(source, source_name=Path(file).name)
    _echo_problems(problems, language)
    if problems:
        raise SystemExit(1)
    click.echo(f"{file} ({kind}): valid")


@bank_cli.command("import")
@click.argument("file")
@_language
def import_command(file: str, language: str) -> None:
    """Import FILE (YAML or XLSX) with its item versions (all or nothing; the same bank again changes
    nothing)."""
    source, problems, kind = _bank_source(file)
    if problems:
        _echo_problems(problems, language)
        raise SystemExit(1)
    if kind == WORKBOOK:
        click.echo(f"{file}: read as {kind} and converted to YAML")
        if _already_stored(source):
            return
    try:
        imported = services.import_bank(db.session, source, source_name=Path(file).name, user="cli")
    except BankInvalid as error:
        db.session.rollback()
        _echo_problems(error.problems, language)
        raise SystemExit(1) from error
    except services.ExamRefused as error:
        with force_locale(language):
            _refused(error)
    db.session.commit()
    if imported.created:
        click.echo(
            f"{imported.row.label}: imported, {imported.new_items} new item versions, "
            f"{imported.updated_drafts} drafts updated"
        )
    else:
        click.echo(f"{imported.row.label}: already imported, nothing changed")


def _already_stored(text: str) -> bool:
    """Whether the stored version of the workbook's code and version is the same bank (then say so).

    The workbook's YAML never equals the stored file byte for byte (comments, layout), so without this an
    unchanged workbook would be refused as a changed file; a changed one still is, by `import_bank`.
    """
    bank = load_bank(text, source_name="workbook.yaml")
    row = services.find_bank_version(db.session, bank.code, bank.version)
    if row is None or services.bank_of(row) != bank:
        return False
    click.echo(f"{row.label}: already imported, the workbook holds the stored bank; nothing changed")
    return True


def _file_text(reference: str) -> str | bytes:
    """The bank file's YAML (a workbook converted); a file with problems stops the command with them."""
    source, problems, _ = _bank_source(reference)
    if problems:
        raise click.ClickException("\n".join(str(problem) for problem in problems))
    return source


@bank_cli.command("export")
@click.argument("reference")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="Write the XLSX workbook here.")
@click.option("--yaml", "yaml_path", type=click.Path(dir_okay=False), help="Write the YAML file here.")
def export_command(reference: str, xlsx_path: str | None, yaml_path: str | None) -> None:
    """Print the YAML of REFERENCE, or write it as a YAML file and/or an XLSX workbook for authors.

    REFERENCE is a stored bank (code/version, e.g. cm/1.0) or a bank file (YAML or XLSX), so a workbook
    can be turned into YAML, and YAML into a workbook, without importing anything.
    """
    if Path(reference).is_file():
        source = _file_text(reference)
        bank, label = _file_bank(reference, source), Path(reference).name
        text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
    else:
        row = _stored(reference)
        text, bank, label = row.source, services.bank_of(row), row.label
    if xlsx_path is None and yaml_path is None:
        click.echo(text, nl=False)
    if yaml_path is not None:
        Path(yaml_path).write_text(text, encoding="utf-8")
        click.echo(f"{label}: the YAML file written to {yaml_path}")
    if xlsx_path is not None:
        Path(xlsx_path).write_bytes(bank_workbook(bank))
        click.echo(f"{label}: {len(bank.items)} items written to {xlsx_path}")


def _file_bank(reference: str, source: str | bytes) -> Bank:
    try:
        return load_bank(source, source_name=Path(reference).name)
    except BankInvalid as error:
        raise click.ClickException(str(error)) from error


@bank_cli.command("stats")
@click.argument("reference")
def stats_command(reference: str) -> None:
    """Item counts per area and status, and whether each blueprint can be filled (REFERENCE: code/version
    of a stored bank, whose held-back items are not counted as drawable, or a YAML or XLSX file)."""
    if Path(reference).is_file():
        bank = _file_bank(reference, _file_text(reference))
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
        closed = registrations.close_exam(db.session, exam, user="cli")
    except services.ExamRefused as error:
        _refused(error)
    db.session.commit()
    click.echo(f"exam {exam_id}: closed; {len(closed)} attempts in progress were closed and scored")


@exam_cli.command("register")
@click.argument("exam_id", type=int)
@click.argument("emails", nargs=-1, required=True)
def register_command(exam_id: int, emails: tuple[str, ...]) -> None:
    """Register the candidates with EMAILS for exam EXAM_ID ahead of its sitting, each with a drawn form:
    their start then only starts the clock. A candidate already registered keeps their form."""
    exam = db.session.get(Exam, exam_id)
    if exam is None:
        raise click.ClickException(f"no exam {exam_id}")
    people = {user.email: user for user in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}
    unknown = [email for email in emails if email not in people or not people[email].has_role(Role.CANDIDATE)]
    if unknown:
        raise click.ClickException("not candidates: " + ", ".join(unknown))
    try:
        for email in emails:
            registrations.register_candidate(db.session, exam, people[email])
    except attempts.AttemptRefused as error:
        _refused(error)
    db.session.commit()
    click.echo(f"exam {exam_id}: {len(emails)} candidates registered")


@exam_cli.command("list")
def list_command() -> None:
    """List the exams with their windows."""
    for exam in db.session.scalars(sa.select(Exam).order_by(Exam.id)):
        closes = exam.closes_at.isoformat() if exam.closes_at else "open-ended"
        click.echo(f"{exam.id:>4}  {exam.bank_version.label:<10} {exam.blueprint_id:<16} until {closes}")


@exam_cli.command("close-overdue")
def close_overdue_command() -> None:
    """Close and score every attempt past its deadline with what was saved, and void the registrations
    of windows that have closed (run it every minute)."""
    closed = 0
    while batch := attempts.close_overdue(db.session):
        db.session.commit()
        closed += len(batch)
    voided = registrations.void_lapsed_registrations(db.session)
    db.session.commit()
    click.echo(f"{closed} overdue attempts closed, {voided} lapsed registrations voided")
