"""Stored versions: import as draft, publish, immutability, retire, the current version, the library."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from certify.standards import services
from certify.standards.format import LIBRARY, StandardInvalid
from certify.standards.models import PublishedVersionChanged, StandardVersion
from tests.standards.test_format import MINIMAL


def count_versions(db) -> int:
    return db.scalar(sa.select(sa.func.count(StandardVersion.id)))


def test_import_stores_a_draft_with_its_source_and_hash(db):
    row = services.import_standard(db, MINIMAL, source_name="demo.yaml")
    assert (row.code, row.version, row.status) == ("demo", "1.0", "draft")
    assert row.source == MINIMAL and len(row.source_sha256) == 64
    assert services.definition_of(row).areas[0].id == "one"
    assert services.current_version(db) is None


def test_a_version_s_source_is_read_from_the_database_only_when_it_is_first_parsed(db):
    """Every questionnaire request asks for its standard: the YAML (up to 300 KB) must not come with it."""
    row = services.import_standard(
        db, MINIMAL.replace('en: "Demo"', 'en: "Demo, read once"'), source_name="demo.yaml"
    )
    db.commit()
    parsed = services.definition_of(row)
    db.expire_all()
    statements: list[str] = []

    def record(connection, cursor, statement, *rest):
        statements.append(statement)

    engine = db.get_bind()
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert services.definition_of(db.get(StandardVersion, row.id)) is parsed
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 1 and "standard_versions.source_sha256" in statements[0]
    assert not re.search(r"standard_versions\.source\b(?!_)", statements[0])


def test_an_invalid_file_stores_nothing(db):
    with pytest.raises(StandardInvalid) as error:
        services.import_standard(db, MINIMAL.replace("weight: 60", "weight: 70"), source_name="demo.yaml")
    assert "add up to 110" in str(error.value)
    assert count_versions(db) == 0


def test_publish_makes_it_current_and_immutable(db):
    row = services.import_standard(db, MINIMAL, source_name="demo.yaml")
    services.publish_version(db, row)
    assert services.current_version(db, "demo").id == row.id
    changed = MINIMAL.replace('en: "Demo"', 'en: "Demo, revised"')
    with pytest.raises(services.StandardRefused) as error:
        services.import_standard(db, changed, source_name="demo.yaml")
    assert "не может меняться" in str(error.value)
    assert services.import_standard(db, MINIMAL, source_name="demo.yaml").id == row.id


def test_the_database_layer_refuses_to_rewrite_a_published_version(db):
    row = services.import_standard(db, MINIMAL, source_name="demo.yaml")
    services.publish_version(db, row)
    db.commit()
    row.source = MINIMAL + "\n# sneaky edit\n"
    with pytest.raises(PublishedVersionChanged):
        db.flush()
    db.rollback()


def test_a_draft_can_be_replaced_before_publication(db):
    services.import_standard(db, MINIMAL, source_name="demo.yaml")
    row = services.import_standard(db, MINIMAL.replace('en: "Demo"', 'en: "Demo 2"'), source_name="demo.yaml")
    assert row.title_en == "Demo 2" and count_versions(db) == 1


def test_retire_and_the_new_current_version(db):
    first = services.import_standard(db, MINIMAL, source_name="demo.yaml")
    services.publish_version(db, first)
    second = services.import_standard(
        db, MINIMAL.replace('version: "1.0"', 'version: "1.1"'), source_name="d.yaml"
    )
    services.publish_version(db, second)
    assert services.current_version(db, "demo").version == "1.1"
    # no application was open on 1.0: publishing its successor retired it
    assert first.status == "retired"
    services.retire_version(db, second)
    assert services.current_version(db, "demo") is None
    with pytest.raises(services.StandardRefused):
        services.publish_version(db, second)


def test_the_next_operation_is_the_one_the_services_allow(db):
    row = services.import_standard(db, MINIMAL, source_name="demo.yaml")
    steps = []
    while (step := services.next_operation(row)) is not None:
        steps.append(step)
        (services.publish_version if step == "publish" else services.retire_version)(db, row)
    assert steps == ["publish", "retire"] and row.status == "retired"
    for refused in (services.publish_version, services.retire_version):
        with pytest.raises(services.StandardRefused):
            refused(db, row)


def test_install_library_is_idempotent(db):
    installed = services.install_library(db)
    again = services.install_library(db)
    assert [r.id for r in installed] == [r.id for r in again]
    # every version but the newest of each code is superseded, and none has an open application;
    # organisations' standards come first, then the personal schemes
    assert [(r.code, r.version, r.kind, r.status) for r in again] == [
        ("cmq", "1.0", "organisation", "retired"),
        ("cmq", "1.1", "organisation", "retired"),
        ("cmq", "1.2", "organisation", "retired"),
        ("cmq", "1.3", "organisation", "published"),
        ("cma", "1.0", "person", "published"),
    ]
    assert len(installed) == len(list(LIBRARY.glob("*.yaml")))
    assert services.current_version(db).label == "cmq 1.3"
    assert services.current_version(db, kind="person").label == "cma 1.0"
