"""Exams (issue 15): registration with a drawn form before the start; the clock starts at the start

An attempt is drawn at registration (`registered_at`) and has no start or deadline until the candidate
starts it. Existing attempts were drawn when they started.

Revision ID: e93c0f7a1b25
Revises: c7a1e4d2b9f3
Create Date: 2026-12-05 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e93c0f7a1b25'
down_revision = 'c7a1e4d2b9f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE exam_attempts SET registered_at = started_at")
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.alter_column('registered_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('started_at', existing_type=sa.DateTime(timezone=True), nullable=True)
        batch_op.alter_column('deadline', existing_type=sa.DateTime(timezone=True), nullable=True)


def downgrade():
    # Registrations never started have no start to keep: they go, with their rows.
    op.execute(
        "DELETE FROM exam_answers WHERE attempt_id IN (SELECT id FROM exam_attempts WHERE started_at IS NULL)"
    )
    op.execute("DELETE FROM exam_attempts WHERE started_at IS NULL")
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.alter_column('deadline', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('started_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_column('registered_at')
