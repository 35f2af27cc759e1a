"""The yearly report periods of certificates on a standard with monitoring, and their surveillance marks
(issue 18, increment 1)

Revision ID: c4e8a2f6b913
Revises: c4e8a2f6d1b3
Create Date: 2026-12-07 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a2f6b913'
down_revision = 'c4e8a2f6d1b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monitoring_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_days_before', sa.Integer(), nullable=True),
    sa.Column('alerted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('suspension_proposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_monitoring_periods_certificate_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_periods')),
    sa.UniqueConstraint('certificate_id', 'number', name=op.f('uq_monitoring_periods_certificate_id'))
    )
    with op.batch_alter_table('monitoring_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_periods_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_periods_due_on'), ['due_on'], unique=False)


def downgrade():
    with op.batch_alter_table('monitoring_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_periods_due_on'))
        batch_op.drop_index(batch_op.f('ix_monitoring_periods_certificate_id'))

    op.drop_table('monitoring_periods')
