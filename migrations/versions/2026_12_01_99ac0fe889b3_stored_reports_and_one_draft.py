"""Stored assessment reports (issue 12, finding 12); one draft per organisation in the database (finding 13)

Revision ID: 99ac0fe889b3
Revises: 6f15acad1ca1
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '99ac0fe889b3'
down_revision = '6f15acad1ca1'
branch_labels = None
depends_on = None

DRAFT = sa.text("state = 'draft'")


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_decision_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('report_name', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('report_sha256', sa.String(length=64), nullable=True))
    # Two drafts of one organisation can exist only through the race this index closes (two "Start"
    # requests at once). Keep the first one started, the one the service pointed to ("Continue that
    # one"), and withdraw the later ones, so that the index can be built.
    op.execute(
        "UPDATE applications SET state = 'withdrawn' WHERE state = 'draft' AND EXISTS ("
        " SELECT 1 FROM applications AS earlier WHERE earlier.organisation_id = applications.organisation_id"
        " AND earlier.state = 'draft' AND earlier.id < applications.id)"
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(
            'uq_applications_one_draft',
            ['organisation_id'],
            unique=True,
            sqlite_where=DRAFT,
            postgresql_where=DRAFT,
        )
    # Reports of applications decided before this revision are rendered and stored on first download.


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('uq_applications_one_draft')
        batch_op.drop_column('report_sha256')
        batch_op.drop_column('report_name')
        batch_op.drop_column('report_decision_id')
