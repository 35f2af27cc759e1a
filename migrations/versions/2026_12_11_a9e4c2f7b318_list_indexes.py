"""Indexes for the lists at scale: certificates in issue order, their levels, the registry's search by any
part of a name (a trigram index on PostgreSQL) (issue 19, item 4)

Revision ID: a9e4c2f7b318
Revises: f3b9d2c7a815
Create Date: 2026-12-11 09:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "a9e4c2f7b318"
down_revision = "f3b9d2c7a815"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_certificates_issued_on_id", "certificates", ["issued_on", "id"])
    op.create_index("ix_certificates_level", "certificates", ["level_id", "level_name_ru", "level_name_en"])
    if op.get_bind().dialect.name == "postgresql":
        # pg_trgm is a trusted extension: the database's owner may create it
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_certificates_search_text",
            "certificates",
            ["search_text"],
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        )
    else:
        op.create_index("ix_certificates_search_text", "certificates", ["search_text"])


def downgrade():
    op.drop_index("ix_certificates_search_text", table_name="certificates")
    op.drop_index("ix_certificates_level", table_name="certificates")
    op.drop_index("ix_certificates_issued_on_id", table_name="certificates")
