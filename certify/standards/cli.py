"""`flask certify standard …`: validate, import, publish, retire, diff, tabulate and list versions."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from certify.extensions import db
from certify.standards import services
from certify.standards.format import diff_standards, load_standard, validate_standard_text
from certify.standards.models import StandardVersion
from certify.standards.problems import StandardInvalid
from certify.standards.table import standard_tables

standard_cli = AppGroup("standard", help="Manage versions of the standard.")


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {error.strerror}") from error


def _version_or_file(reference: str):
    """A Standard from a YAML file path, or from a stored `code/version` (e.g. `cmq/1.0`)."""
    if Path(reference).is_file():
        try:
            return load_standard(_read_file(reference), source_name=Path(reference).name)
        except StandardInvalid as error:
            raise click.ClickException(str(error)) from error
    code, _, version = reference.partition("/")
    row = services.find_version(db.session, code, version)
    if row is None:
        raise click.ClickException(f"{reference} is neither a file nor a stored version (code/version)")
    return services.definition_of(row)


def _stored(code: str, version: str) -> StandardVersion:
    row = services.find_version(db.session, code, version)
    if row is None:
        raise click.ClickException(f"no version {version} of {code} is stored")
    return row


def _refused(error: Exception):
    db.session.rollback()
    message = getattr(error, "message", error)
    raise click.ClickException(str(message)) from error


@standard_cli.command("validate")
@click.argument("file")
def validate_command(file: str) -> None:
    """Check FILE and print every problem with its line and path; exit status 1 when there are any."""
    problems = validate_standard_text(_read_file(file), source_name=Path(file).name)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"{file}: valid")


@standard_cli.command("import")
@click.argument("file")
@click.option("--publish", is_flag=True, help="Publish it at once as the current version.")
def import_command(file: str, publish: bool) -> None:
    """Import FILE as a draft version (all or nothing)."""
    try:
        row = services.import_standard(db.session, _read_file(file), source_name=Path(file).name)
        if publish and row.status == "draft":
            services.publish_version(db.session, row)
    except StandardInvalid as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from error
    except services.StandardRefused as error:
        _refused(error)
    db.session.commit()
    click.echo(f"{row.label}: {row.status}")


@standard_cli.command("publish")
@click.argument("code")
@click.argument("version")
def publish_command(code: str, version: str) -> None:
    """Publish a draft: it becomes the current version and can no longer change."""
    try:
        services.publish_version(db.session, _stored(code, version))
    except services.StandardRefused as error:
        _refused(error)
    db.session.commit()
    click.echo(f"{code} {version}: published")


@standard_cli.command("retire")
@click.argument("code")
@click.argument("version")
def retire_command(code: str, version: str) -> None:
    """Retire a published version: no new applications start on it."""
    try:
        services.retire_version(db.session, _stored(code, version))
    except services.StandardRefused as error:
        _refused(error)
    db.session.commit()
    click.echo(f"{code} {version}: retired")


@standard_cli.command("retire-superseded")
def retire_superseded_command() -> None:
    """Retire the published versions a newer one replaced and no open application uses (safe to rerun)."""
    retired = services.retire_superseded(db.session, user="cli")
    db.session.commit()
    for row in retired:
        click.echo(f"{row.label}: retired")
    if not retired:
        click.echo("no superseded version to retire")


@standard_cli.command("install")
def install_command() -> None:
    """Import and publish the standards shipped with Certify that are not in the database yet."""
    for row in services.install_library(db.session):
        click.echo(f"{row.label}: {row.status}")
    db.session.commit()


@standard_cli.command("diff")
@click.argument("old")
@click.argument("new")
def diff_command(old: str, new: str) -> None:
    """Show what changed from OLD to NEW (each a YAML file or a stored code/version)."""
    lines = diff_standards(_version_or_file(old), _version_or_file(new))
    click.echo("\n".join(lines) if lines else "no differences")


@standard_cli.command("table")
@click.argument("reference")
def table_command(reference: str) -> None:
    """Print the Markdown table of every indicator of REFERENCE (a YAML file or a stored code/version),
    and of a personal scheme's own rules."""
    click.echo(standard_tables(_version_or_file(reference)), nl=False)


@standard_cli.command("list")
def list_command() -> None:
    """List the stored versions."""
    rows = db.session.scalars(sa.select(StandardVersion).order_by(StandardVersion.code, StandardVersion.id))
    for row in rows:
        click.echo(f"{row.code:<10} {row.version:<8} {row.status:<10} {row.title_en}")
