"""Assessors' and consensus marks on the manager's case: files relevant or not, "not applicable" confirmed
(issue 14, items 2 and 4)

Revision ID: 5c1e7a9d3f20
Revises: 99ac0fe889b3
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e7a9d3f20'
down_revision = '99ac0fe889b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('finding_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_finding_marks_assignment_id_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_marks')),
    sa.UniqueConstraint('assignment_id', 'kind', 'subject', name=op.f('uq_finding_marks_assignment_id'))
    )
    with op.batch_alter_table('finding_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_marks_assignment_id'), ['assignment_id'], unique=False)

    op.create_table('consensus_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_consensus_marks_application_id_applications')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consensus_marks_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus_marks')),
    sa.UniqueConstraint('application_id', 'kind', 'subject', name=op.f('uq_consensus_marks_application_id'))
    )
    with op.batch_alter_table('consensus_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consensus_marks_application_id'), ['application_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consensus_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consensus_marks_application_id'))

    op.drop_table('consensus_marks')
    with op.batch_alter_table('finding_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_marks_assignment_id'))

    op.drop_table('finding_marks')
