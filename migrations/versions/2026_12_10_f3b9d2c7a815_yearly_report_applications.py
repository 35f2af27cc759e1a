"""A certified organisation's yearly report is an application of its own, tied to the report's period,
and the flags its accepted figures raise (issue 18)

Revision ID: f3b9d2c7a815
Revises: e6a1c3b5d7f8
Create Date: 2026-12-10 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f3b9d2c7a815"
down_revision = "e6a1c3b5d7f8"
branch_labels = None
depends_on = None

# Copied, not imported: a migration keeps the definitions of its day.
DRAFT_BEFORE = sa.text("state = 'draft' AND candidate_id IS NULL")
DRAFT_AFTER = sa.text("state = 'draft' AND candidate_id IS NULL AND period_id IS NULL")


def _foreign_keys(enforced: bool) -> None:
    """SQLite rebuilds the table to add a column with a constraint: with enforcement on, dropping the old
    table would delete every answer and page version with it (ON DELETE CASCADE)."""
    if op.get_bind().dialect.name == "sqlite":
        with op.get_context().autocommit_block():
            op.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def _one_draft_index(where) -> None:
    op.create_index(
        "uq_applications_one_draft",
        "applications",
        ["organisation_id"],
        unique=True,
        sqlite_where=where,
        postgresql_where=where,
    )


def upgrade():
    _foreign_keys(False)
    # A yearly report in preparation is no certification draft: the organisation may prepare both.
    op.drop_index("uq_applications_one_draft", table_name="applications")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_id", sa.Integer(), nullable=True))
        # no foreign key: applications, certificates and periods would refer to one another in a circle
        batch_op.create_unique_constraint(batch_op.f("uq_applications_period_id"), ["period_id"])
    _foreign_keys(True)
    _one_draft_index(DRAFT_AFTER)
    op.create_table(
        "monitoring_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("kpi", sa.String(length=80), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column("threshold", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column("allowed_percent", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_monitoring_flags_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_flags")),
    )
    with op.batch_alter_table("monitoring_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_flags_application_id"), ["application_id"], unique=False
        )


def downgrade():
    op.drop_table("monitoring_flags")
    _foreign_keys(False)
    op.drop_index("uq_applications_one_draft", table_name="applications")
    op.execute("DELETE FROM applications WHERE period_id IS NOT NULL")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_applications_period_id_monitoring_periods"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_applications_period_id"), type_="unique")
        batch_op.drop_column("period_id")
    _foreign_keys(True)
    _one_draft_index(DRAFT_BEFORE)
