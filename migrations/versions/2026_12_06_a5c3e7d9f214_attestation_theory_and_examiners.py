"""The attestation's theory stage and examiners: attempts linked to applications, ties to candidates (issue 16)

exam_attempts.application_id links an attempt to the attestation application it is the theory stage of;
conflict_declarations.candidate_id and trained_on record a declared tie to a candidate for attestation
(a training record when trained_on is set); decisions.conclusion keeps a candidate's written conclusion.

Revision ID: a5c3e7d9f214
Revises: b6d2f8a41c97
Create Date: 2026-12-06 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a5c3e7d9f214'
down_revision = 'b6d2f8a41c97'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('application_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_exam_attempts_application_id'), ['application_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_exam_attempts_application_id_applications'), 'applications', ['application_id'], ['id']
        )

    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('candidate_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('trained_on', sa.Date(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_conflict_declarations_candidate_id'), ['candidate_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_conflict_declarations_candidate_id_users'), 'users', ['candidate_id'], ['id']
        )


    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conclusion', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('conclusion')

    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_conflict_declarations_candidate_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_conflict_declarations_candidate_id'))
        batch_op.drop_column('trained_on')
        batch_op.drop_column('candidate_id')

    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_exam_attempts_application_id_applications'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_exam_attempts_application_id'))
        batch_op.drop_column('application_id')
