"""Certificate revisions (corrections re-issue under the same decision) and expiry reminders

Revision ID: 58bdc4b2b162
Revises: 51f36c848ded
Create Date: 2026-11-28 16:17:09.047529

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '58bdc4b2b162'
down_revision = '51f36c848ded'
branch_labels = None
depends_on = None


def upgrade():
    # Server defaults fill the rows issued before this migration: each was its decision's first revision.
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('correction_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reminded_days_before', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_certificates_decision_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_decision_id'), ['decision_id', 'revision'])


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificates_decision_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_decision_id'), ['decision_id'])
        batch_op.drop_column('reminded_days_before')
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('revision')
