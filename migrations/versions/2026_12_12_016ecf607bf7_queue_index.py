"""An index for the review queue, paged by key in its order: the longest submitted first (issue 19,
item 4)

Revision ID: 016ecf607bf7
Revises: a9e4c2f7b318
Create Date: 2026-12-12 09:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "016ecf607bf7"
down_revision = "a9e4c2f7b318"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_applications_submitted_at_id", "applications", ["submitted_at", "id"])


def downgrade():
    op.drop_index("ix_applications_submitted_at_id", table_name="applications")
