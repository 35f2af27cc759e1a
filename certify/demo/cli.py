"""`flask certify demo`: load the demo data and print the demo logins."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from certify.demo.data import DEFAULT_PASSWORD, load_demo
from certify.extensions import db
from certify.outbox.services import discard_queued


@click.command("demo")
@with_appcontext
@click.option("--password", default=None, help="Password for every demo user (also resets existing ones).")
def demo_command(password: str | None) -> None:
    """Load demo organisations and users of every role (idempotent) and print their logins."""

    logins = load_demo(db.session, password)
    discard_queued(db.session)  # the demo's history is invented: nobody is to be e-mailed about it
    db.session.commit()
    click.echo("Demo logins (password: %s)" % (password or DEFAULT_PASSWORD))
    for email, roles in logins:
        click.echo(f"  {', '.join(r.value for r in roles):<12} {email}")
