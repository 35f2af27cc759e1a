"""The holder's CPD record and the renewal of an attestation (issue 16, item 8)

cpd_entries: continuing professional development recorded on an attestation, each with its evidence file;
renewals: a person's application that renews an earlier attestation, and the route (CPD or the exam)
the coordinator confirmed at its admission.

Revision ID: c4e8a2f6d1b3
Revises: a5c3e7d9f214
Create Date: 2026-12-07 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a2f6d1b3'
down_revision = 'a5c3e7d9f214'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cpd_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('provider', sa.String(length=300), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=False),
        sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column('evidence_file_id', sa.Integer(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['certificate_id'], ['certificates.id'], name=op.f('fk_cpd_entries_certificate_id_certificates')
        ),
        sa.ForeignKeyConstraint(
            ['evidence_file_id'], ['evidence_files.id'], name=op.f('fk_cpd_entries_evidence_file_id_evidence_files')
        ),
        sa.ForeignKeyConstraint(
            ['recorded_by_id'], ['users.id'], name=op.f('fk_cpd_entries_recorded_by_id_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cpd_entries')),
    )
    with op.batch_alter_table('cpd_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpd_entries_certificate_id'), ['certificate_id'], unique=False)

    op.create_table(
        'renewals',
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('route', sa.String(length=10), nullable=True),
        sa.Column('counted_hours', sa.Numeric(precision=6, scale=1), nullable=True),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['application_id'], ['applications.id'], name=op.f('fk_renewals_application_id_applications')
        ),
        sa.ForeignKeyConstraint(
            ['certificate_id'], ['certificates.id'], name=op.f('fk_renewals_certificate_id_certificates')
        ),
        sa.ForeignKeyConstraint(
            ['confirmed_by_id'], ['users.id'], name=op.f('fk_renewals_confirmed_by_id_users')
        ),
        sa.PrimaryKeyConstraint('application_id', name=op.f('pk_renewals')),
    )
    with op.batch_alter_table('renewals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renewals_certificate_id'), ['certificate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('renewals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renewals_certificate_id'))
    op.drop_table('renewals')
    with op.batch_alter_table('cpd_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cpd_entries_certificate_id'))
    op.drop_table('cpd_entries')
