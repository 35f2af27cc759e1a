"""The migration of person applications keeps what existing applications hold.

On SQLite it rebuilds `applications` (a column loosened, a check added). With foreign keys enforced, as
the app's connections have them, dropping the old table would delete every answer and page version with
it (ON DELETE CASCADE): the migration switches enforcement off around the rebuild. An empty database, as
tests/test_migrations.py uses, cannot show that.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from certify.extensions import db

#: the migration of person applications (its predecessor is where the test starts)
REVISION = "d81b5e3a4c60"
NOW = "2026-12-01 10:00:00"
ROWS = [
    "INSERT INTO organisations (id, name_ru, name_en, registration_number, country, region, cluster_name_ru,"
    " cluster_name_en, specialisation, priority_fields, created_at)"
    " VALUES (1, 'УК', 'MC', '1167800000011', 'RU', 'СПб', 'К', 'C', '', '[]', :now)",
    "INSERT INTO users (id, email, password_hash, full_name_ru, full_name_en, locale, active, session_token,"
    " organisation_id, created_at) VALUES (1, 'm@x.org', 'h', 'М', 'M', 'ru', true, 't', 1, :now)",
    "INSERT INTO standard_versions (id, code, version, status, title_ru, title_en, source, source_sha256,"
    " imported_at) VALUES (1, 'cmq', '1.0', 'published', 'С', 'S', 'code: cmq', 'x', :now)",
    "INSERT INTO applications (id, organisation_id, standard_version_id, state, created_by_id, created_at,"
    " updated_at) VALUES (1, 1, 1, 'draft', 1, :now, :now)",
    "INSERT INTO answers (application_id, question_id, value, updated_at) VALUES (1, 'q1', '\"40\"', :now)",
    "INSERT INTO application_pages (application_id, page, version) VALUES (1, 'eligibility', 3)",
]


def test_upgrading_keeps_the_answers_and_pages_of_existing_applications(app):
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        config = app.extensions["migrate"].migrate.get_config()
        upgrade(revision=ScriptDirectory.from_config(config).get_revision(REVISION).down_revision)
        with db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(sa.text(statement), {"now": NOW})
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT question_id FROM answers")).scalars().all() == ["q1"]
            assert connection.execute(sa.text("SELECT version FROM application_pages")).scalar() == 3
            row = connection.execute(sa.text("SELECT organisation_id, candidate_id FROM applications")).one()
            assert tuple(row) == (1, None)
            if connection.dialect.name == "sqlite":
                assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
                assert connection.execute(sa.text("PRAGMA foreign_key_check")).all() == []
