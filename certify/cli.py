"""The `flask certify …` command group; each domain adds its own commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from certify.accounts.cli import user_cli
from certify.audit.cli import audit_cli
from certify.certificates.cli import certificates_cli
from certify.demo.cli import demo_command
from certify.exams.cli import exam_cli
from certify.monitoring.cli import monitoring_cli
from certify.outbox.cli import mail_cli
from certify.review.cli import review_cli
from certify.standards.cli import standard_cli

certify_cli = AppGroup("certify", help="Certify administration commands.")
certify_cli.add_command(user_cli)
certify_cli.add_command(audit_cli)
certify_cli.add_command(certificates_cli)
certify_cli.add_command(demo_command)
certify_cli.add_command(exam_cli)
certify_cli.add_command(mail_cli)
certify_cli.add_command(monitoring_cli)
certify_cli.add_command(review_cli)
certify_cli.add_command(standard_cli)


@certify_cli.command("init")
def init_command() -> None:
    """Apply the database migrations (same as `flask db upgrade`)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("database is up to date")


@certify_cli.command("check")
def check_command() -> None:
    """Name the file storage in use, and list the settings that are dangerous in production, with the fix
    for each.

    Exits with status 1 when there is any, unless the app runs in debug or testing mode.
    """
    from flask import current_app

    from certify import deployment
    from certify.storage import storage

    click.echo(f"storage: {storage().describe()}")
    found = deployment.findings(current_app)
    for finding in found:
        click.echo(f"dangerous: {finding.setting}: {finding.problem}")
        click.echo(f"  fix: {finding.fix}")
    if not found:
        click.echo("no dangerous settings found")
    elif deployment.is_development(current_app):
        click.echo("(debug or testing mode: not an error)")
    else:
        raise SystemExit(1)
