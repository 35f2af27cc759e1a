"""Exams (issue 15, increment 2): bank versions, immutable item versions, exams, timed attempts, answers

Revision ID: a7d3e915c0b4
Revises: 5c1e7a9d3f20
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3e915c0b4'
down_revision = '5c1e7a9d3f20'
branch_labels = None
depends_on = None

# an attempt still running: one per candidate and exam, and the ones the overdue check looks at
OPEN = sa.text('closed_at IS NULL')


def upgrade():
    op.create_table('exam_bank_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('title_ru', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_exam_bank_versions_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_bank_versions')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_exam_bank_versions_code'))
    )
    op.create_table('exam_item_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('bank_version_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bank_version_id'], ['exam_bank_versions.id'], name=op.f('fk_exam_item_versions_bank_version_id_exam_bank_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_item_versions')),
    sa.UniqueConstraint('item_id', 'version', name=op.f('uq_exam_item_versions_item_id'))
    )
    op.create_table('exams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_version_id', sa.Integer(), nullable=False),
    sa.Column('blueprint_id', sa.String(length=80), nullable=False),
    sa.Column('title_ru', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pass_mark', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.Column('pass_mark_method', sa.String(length=10), nullable=False),
    sa.Column('pass_mark_set_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['bank_version_id'], ['exam_bank_versions.id'], name=op.f('fk_exams_bank_version_id_exam_bank_versions')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_exams_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exams'))
    )
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exams_bank_version_id'), ['bank_version_id'], unique=False)

    op.create_table('exam_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_how', sa.String(length=12), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_exam_attempts_candidate_id_users')),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exam_attempts_exam_id_exams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_attempts'))
    )
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_attempts_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exam_attempts_exam_id'), ['exam_id'], unique=False)
        batch_op.create_index('ix_exam_attempts_open_deadline', ['deadline'], unique=False, sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index('uq_exam_attempts_one_open', ['exam_id', 'candidate_id'], unique=True, sqlite_where=OPEN, postgresql_where=OPEN)

    op.create_table('exam_answers',
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('item_version', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('chosen', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['exam_attempts.id'], name=op.f('fk_exam_answers_attempt_id_exam_attempts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attempt_id', 'item_id', name=op.f('pk_exam_answers'))
    )
    with op.batch_alter_table('exam_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_answers_item_id'), ['item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('exam_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exam_answers_item_id'))

    op.drop_table('exam_answers')
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_exam_attempts_one_open', sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.drop_index('ix_exam_attempts_open_deadline', sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.drop_index(batch_op.f('ix_exam_attempts_exam_id'))
        batch_op.drop_index(batch_op.f('ix_exam_attempts_candidate_id'))

    op.drop_table('exam_attempts')
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exams_bank_version_id'))

    op.drop_table('exams')
    op.drop_table('exam_item_versions')
    op.drop_table('exam_bank_versions')
