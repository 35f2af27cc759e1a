"""`flask certify user …`: create users from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from certify.accounts import services
from certify.accounts.models import Role
from certify.extensions import db

user_cli = AppGroup("user", help="Manage user accounts.")


@user_cli.command("create")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="A role to give; repeat for several.",
)
@click.option("--name", default="", help="Full name in Russian (defaults to the e-mail).")
@click.option("--name-en", default="", help="Full name in Latin letters.")
@click.option("--locale", type=click.Choice(["ru", "en"]), default="ru")
@click.password_option(help="Prompted for when not given.")
def create_user_command(email, roles, name, name_en, locale, password):
    """Create a confirmed, active user EMAIL with the given roles."""
    try:
        user = services.create_account(
            db.session,
            actor="cli",
            email=email,
            password=password,
            full_name_ru=name or email,
            full_name_en=name_en,
            roles=[Role(r) for r in roles],
            locale=locale,
            confirmed=True,
        )
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"created {user.email} ({', '.join(sorted(roles))})")
