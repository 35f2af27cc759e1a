"""A superseded version stays published for the applications pinned to it, then retires itself."""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.standards import services
from certify.standards.format import LIBRARY
from certify.standards.models import StandardVersion
from tests import factories


def publish(db, version: str) -> StandardVersion:
    """cmq 1.0's text as `version`, imported and published (the newest published is the current one)."""
    source = (LIBRARY / "cmq-1.0.yaml").read_text(encoding="utf-8")
    source = source.replace('version: "1.0"', f'version: "{version}"', 1)
    row = services.import_standard(db, source, source_name=f"cmq-{version}.yaml")
    services.publish_version(db, row)
    return row


def retirements(db) -> list[tuple[str, dict]]:
    entries = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "standard.retired"))
    return [(entry.subject_id, entry.after) for entry in entries]


def close(db, case: factories.Case) -> None:
    """Review the case's application to a decision not to certify."""
    coordinator = factories.make_user(db, Role.COORDINATOR)
    assessors = [factories.make_user(db, Role.ASSESSOR), factories.make_user(db, Role.ASSESSOR)]
    factories.start_review(db, case.application, coordinator, assessors)
    factories.agree(db, case.application, value=1)
    factories.decide(db, case.application, coordinator, certify=False)


def test_publishing_a_newer_version_retires_an_older_one_no_application_uses(db):
    old = publish(db, "1.0")
    new = publish(db, "2.0")
    assert (old.status, new.status) == ("retired", "published")
    assert retirements(db) == [("cmq 1.0", {"status": "retired", "superseded_by": "cmq 2.0"})]


def test_an_older_version_stays_published_while_an_application_on_it_is_open(db):
    old = publish(db, "1.0")
    pinned = factories.submitted(db)
    publish(db, "2.0")
    assert old.status == "published" and retirements(db) == []
    assert services.current_version(db, "cmq").version == "2.0"
    newcomer = factories.make_application(db, factories.make_user(db, Role.MANAGER))
    assert newcomer.standard_version.version == "2.0"
    assert pinned.application.standard_version.version == "1.0"


def test_the_older_version_retires_when_its_last_open_application_is_decided(db):
    old = publish(db, "1.0")
    first, second = factories.submitted(db), factories.submitted(db)
    publish(db, "2.0")

    close(db, first)
    assert first.application.state == "not_certified" and old.status == "published"

    close(db, second)
    assert second.application.state == "not_certified" and old.status == "retired"
    assert retirements(db) == [("cmq 1.0", {"status": "retired", "superseded_by": "cmq 2.0"})]


def test_an_application_closing_on_the_current_version_leaves_it_published(db):
    current = publish(db, "1.0")
    close(db, factories.submitted(db))
    assert current.status == "published" and retirements(db) == []


def test_the_command_retires_what_an_existing_database_left_published_and_can_run_again(db, runner):
    old = publish(db, "1.0")
    pinned = factories.submitted(db)
    publish(db, "2.0")
    # closed before versions retired themselves: nothing checked the old version then
    pinned.application.state = "withdrawn"
    db.commit()

    first = runner.invoke(args=["certify", "standard", "retire-superseded"])
    assert first.exit_code == 0 and first.output == "cmq 1.0: retired\n"
    again = runner.invoke(args=["certify", "standard", "retire-superseded"])
    assert again.exit_code == 0 and again.output == "no superseded version to retire\n"
    db.refresh(old)
    assert old.status == "retired"
    actors = db.scalars(sa.select(AuditEntry.actor_label).where(AuditEntry.action == "standard.retired"))
    assert list(actors) == ["cli"]
