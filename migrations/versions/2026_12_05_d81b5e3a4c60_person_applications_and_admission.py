"""A person's application for attestation, its consent, and the coordinator's admission (issue 16, increment 2)

Revision ID: d81b5e3a4c60
Revises: e93c0f7a1b25
Create Date: 2026-12-05 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd81b5e3a4c60'
down_revision = 'e93c0f7a1b25'
branch_labels = None
depends_on = None

DRAFT = sa.text("state = 'draft'")
ORGANISATION_DRAFT = sa.text("state = 'draft' AND candidate_id IS NULL")
PERSON_DRAFT = sa.text("state = 'draft' AND candidate_id IS NOT NULL")


def _foreign_keys(enforced: bool) -> None:
    """SQLite rebuilds `applications` to loosen a column and add a check. With foreign keys enforced,
    dropping the old table would delete every answer and page version with it (ON DELETE CASCADE) and
    fail on the other tables' references; enforcement cannot change inside a transaction."""
    if op.get_bind().dialect.name == "sqlite":
        with op.get_context().autocommit_block():
            op.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    # The organisation's one-draft index now leaves out a person's drafts (which name the candidate's
    # organisation too); it is dropped before the rebuild and made again after it.
    op.drop_index('uq_applications_one_draft', table_name='applications')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('candidate_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('consent_accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_applications_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_applications_candidate_id_users'), 'users', ['candidate_id'], ['id']
        )
        batch_op.create_check_constraint(
            op.f('ck_applications_subject'), 'organisation_id IS NOT NULL OR candidate_id IS NOT NULL'
        )
    _foreign_keys(True)
    op.create_index(
        'uq_applications_one_draft',
        'applications',
        ['organisation_id'],
        unique=True,
        sqlite_where=ORGANISATION_DRAFT,
        postgresql_where=ORGANISATION_DRAFT,
    )
    op.create_index(
        'uq_applications_one_candidate_draft',
        'applications',
        ['candidate_id', 'standard_version_id'],
        unique=True,
        sqlite_where=PERSON_DRAFT,
        postgresql_where=PERSON_DRAFT,
    )
    op.create_table(
        'admission_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=10), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('checked_by_id', sa.Integer(), nullable=True),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['application_id'], ['applications.id'], name=op.f('fk_admission_checks_application_id_applications')
        ),
        sa.ForeignKeyConstraint(
            ['checked_by_id'], ['users.id'], name=op.f('fk_admission_checks_checked_by_id_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_admission_checks')),
    )
    with op.batch_alter_table('admission_checks', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_admission_checks_application_id'), ['application_id'], unique=False
        )


def downgrade():
    # The earlier schema has no way to say that a person applies: refused while such an application
    # exists, rather than turning it into its candidate's organisation's or deleting it.
    people = op.get_bind().scalar(sa.text("SELECT count(*) FROM applications WHERE candidate_id IS NOT NULL"))
    if people:
        raise RuntimeError(f"{people} applications of persons exist; downgrading would lose them")
    with op.batch_alter_table('admission_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admission_checks_application_id'))
    op.drop_table('admission_checks')
    op.drop_index('uq_applications_one_candidate_draft', table_name='applications')
    op.drop_index('uq_applications_one_draft', table_name='applications')
    _foreign_keys(False)
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_applications_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_applications_candidate_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_applications_candidate_id'))
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('consent_accepted_at')
        batch_op.drop_column('candidate_id')
    _foreign_keys(True)
    op.create_index(
        'uq_applications_one_draft',
        'applications',
        ['organisation_id'],
        unique=True,
        sqlite_where=DRAFT,
        postgresql_where=DRAFT,
    )
