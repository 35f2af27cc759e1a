"""Standard versions say who they certify: an organisation or a person (issue 16, increment 1)

Revision ID: c7a1e4d2b9f3
Revises: b4e8c2d61f07
Create Date: 2026-12-04 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7a1e4d2b9f3'
down_revision = 'b4e8c2d61f07'
branch_labels = None
depends_on = None


def upgrade():
    # Every version stored so far is an organisation's standard: the server default says so for them.
    with op.batch_alter_table('standard_versions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('kind', sa.String(length=12), server_default='organisation', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('standard_versions', schema=None) as batch_op:
        batch_op.drop_column('kind')
