"""A person's practical part is submitted on its own, after the theory exam (issue 16)

Revision ID: d7b2e5a91c46
Revises: c4e8a2f6b913
Create Date: 2026-12-08 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7b2e5a91c46'
down_revision = 'c4e8a2f6b913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practical_submitted_at', sa.DateTime(timezone=True), nullable=True))
    # Before this revision examiners were assigned to an admitted candidate without a submission: their
    # practical part counts as submitted when the first examiner was assigned.
    op.execute(
        "UPDATE applications SET practical_submitted_at = "
        "(SELECT min(assigned_at) FROM assignments WHERE assignments.application_id = applications.id) "
        "WHERE candidate_id IS NOT NULL AND EXISTS "
        "(SELECT 1 FROM assignments WHERE assignments.application_id = applications.id)"
    )
    op.execute(
        "UPDATE applications SET state = 'practical_submitted' "
        "WHERE state = 'admitted' AND practical_submitted_at IS NOT NULL"
    )


def downgrade():
    op.execute("UPDATE applications SET state = 'admitted' WHERE state = 'practical_submitted'")
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('practical_submitted_at')
