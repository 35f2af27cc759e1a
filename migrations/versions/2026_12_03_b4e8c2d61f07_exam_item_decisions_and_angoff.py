"""Exams (issue 15, increment 3): decisions on items from their statistics, Angoff panels' estimates

Revision ID: b4e8c2d61f07
Revises: a7d3e915c0b4
Create Date: 2026-12-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4e8c2d61f07'
down_revision = 'a7d3e915c0b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exam_item_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('item_version', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('discrimination', sa.Float(), nullable=True),
    sa.Column('exposure', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_exam_item_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exam_item_decisions_exam_id_exams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_item_decisions'))
    )
    with op.batch_alter_table('exam_item_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_item_decisions_exam_id'), ['exam_id'], unique=False)
        batch_op.create_index('ix_exam_item_decisions_item', ['item_id', 'item_version'], unique=False)

    op.create_table('exam_angoff_estimates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('judge', sa.String(length=120), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('item_version', sa.Integer(), nullable=False),
    sa.Column('estimate', sa.Numeric(precision=3, scale=2), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exam_angoff_estimates_exam_id_exams')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_exam_angoff_estimates_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_angoff_estimates')),
    sa.UniqueConstraint('exam_id', 'judge', 'item_id', name=op.f('uq_exam_angoff_estimates_exam_id'))
    )
    with op.batch_alter_table('exam_angoff_estimates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_angoff_estimates_exam_id'), ['exam_id'], unique=False)


def downgrade():
    with op.batch_alter_table('exam_angoff_estimates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exam_angoff_estimates_exam_id'))
    op.drop_table('exam_angoff_estimates')
    with op.batch_alter_table('exam_item_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_exam_item_decisions_item')
        batch_op.drop_index(batch_op.f('ix_exam_item_decisions_exam_id'))
    op.drop_table('exam_item_decisions')
