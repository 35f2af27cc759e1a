"""The migration of certificate subject kinds keeps what existing certificates state and reuses no number.

Existing certificates become organisations' certificates of conformity, with the head they named kept as
issued; the per-year counter becomes one per series, each past the highest number of its series. On
SQLite `certificates` is rebuilt, so a certificate superseded by another must keep its reference.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from certify.extensions import db

#: the migration of certificate subject kinds (its predecessor is where the test starts)
REVISION = "b6d2f8a41c97"
NOW = "2026-12-01 10:00:00"
ROWS = [
    "INSERT INTO organisations (id, name_ru, name_en, registration_number, country, region, cluster_name_ru,"
    " cluster_name_en, specialisation, priority_fields, created_at)"
    " VALUES (1, 'УК', 'MC', '1167800000011', 'RU', 'СПб', 'К', 'C', '', '[]', :now)",
    "INSERT INTO users (id, email, password_hash, full_name_ru, full_name_en, locale, active, session_token,"
    " organisation_id, created_at)"
    " VALUES (1, 'm@x.org', 'h', 'Орлова Ирина', 'Irina', 'ru', true, 't', 1, :now)",
    "INSERT INTO standard_versions (id, code, version, status, title_ru, title_en, source, source_sha256,"
    " imported_at) VALUES (1, 'cmq', '1.0', 'published', 'С', 'S', 'code: cmq', 'x', :now)",
    "INSERT INTO applications (id, organisation_id, standard_version_id, state, created_by_id, created_at,"
    " updated_at) VALUES (1, 1, 1, 'certified', 1, :now, :now)",
    "INSERT INTO decisions (id, application_id, on_appeal, chosen_level, reasons, justification, decided_at)"
    " VALUES (1, 1, false, 'basic', 'Р', '', :now)",
    "INSERT INTO certificate_sequences (year, last_number) VALUES (2025, 2), (2026, 5)",
]
CERTIFICATE = (
    "INSERT INTO certificates (id, number, application_id, decision_id, revision, correction_reason,"
    " holder_name_ru, holder_name_en, organisation_name_ru, organisation_name_en, cluster_name_ru,"
    " cluster_name_en, region, country, standard_code, standard_version, level_id, level_name_ru,"
    " level_name_en, assessed_score, issued_on, expires_on, status, status_reason, superseded_by_id,"
    " pdf_name, pdf_sha256, lookups, search_text, created_at)"
    " VALUES (:id, :number, 1, 1, :revision, '', 'Орлова Ирина', 'Irina', 'УК', 'MC', 'К', 'C', 'СПб', 'RU',"
    " :code, '1.0', 'basic', 'Базовый', 'Basic', '70', '2026-01-10', '2028-01-10', 'valid', '', :successor,"
    " 'f', 's', 0, '', :now)"
)
CERTIFICATES = [
    {"id": 2, "number": "CMQ-2026-000005", "revision": 1, "code": "cmq", "successor": None},
    {"id": 1, "number": "CMQ-2026-000003", "revision": 0, "code": "cmq", "successor": 2},
    {"id": 3, "number": "XYZ-2025-000002", "revision": 2, "code": "xyz", "successor": None},
]


def test_upgrading_keeps_the_certificates_and_counts_each_series_past_its_numbers(app):
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        config = app.extensions["migrate"].migrate.get_config()
        upgrade(revision=ScriptDirectory.from_config(config).get_revision(REVISION).down_revision)
        with db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(sa.text(statement), {"now": NOW})
            for row in CERTIFICATES:
                connection.execute(sa.text(CERTIFICATE), row | {"now": NOW})
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT number, subject_kind, document_name_ru, document_name_en, holder_name_ru,"
                    " organisation_public, superseded_by_id FROM certificates ORDER BY id"
                )
            ).all()
            stated = (
                "organisation",
                "Сертификат соответствия",
                "Certificate of conformity",
                "Орлова Ирина",
                True,
            )
            assert [tuple(row) for row in rows] == [
                ("CMQ-2026-000003", *stated, 2),
                ("CMQ-2026-000005", *stated, None),
                ("XYZ-2025-000002", *stated, None),
            ]
            areas = connection.execute(sa.text("SELECT areas_passed FROM certificates")).scalars().all()
            assert all(value in ([], "[]") for value in areas)  # JSON: text on SQLite, a list on PostgreSQL
            sequences = connection.execute(
                sa.text("SELECT prefix, year, last_number FROM certificate_sequences ORDER BY prefix")
            ).all()
            assert [tuple(row) for row in sequences] == [("CMQ", 2026, 5), ("XYZ", 2025, 2)]
            if connection.dialect.name == "sqlite":
                assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
                assert connection.execute(sa.text("PRAGMA foreign_key_check")).all() == []
