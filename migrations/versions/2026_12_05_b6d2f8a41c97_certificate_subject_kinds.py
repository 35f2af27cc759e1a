"""Certificates gain a subject kind (organisation or person), the document's name, the competence areas
passed and whether the organisation is public; numbers are counted per series (issue 16, increment 3b)

Revision ID: b6d2f8a41c97
Revises: f3a9c61d2e84
Create Date: 2026-12-05 15:00:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6d2f8a41c97'
down_revision = 'f3a9c61d2e84'
branch_labels = None
depends_on = None

#: what every certificate issued so far is: an organisation's certificate of conformity
ORGANISATION_DOCUMENT = ("Сертификат соответствия", "Certificate of conformity")
NUMBER = re.compile(r"^([A-Z]{2,10})-(\d{4})-(\d{6})$")


def _foreign_keys(enforced: bool) -> None:
    """SQLite rebuilds `certificates` to make the new columns NOT NULL. With foreign keys enforced,
    dropping the old table would break the rebuilt one's `superseded_by_id` references; enforcement
    cannot change inside a transaction."""
    if op.get_bind().dialect.name == "sqlite":
        with op.get_context().autocommit_block():
            op.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('subject_kind', sa.String(length=12), server_default='organisation', nullable=False)
        )
        batch_op.add_column(sa.Column('document_name_ru', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('document_name_en', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('areas_passed', sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column('organisation_public', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    certificates = sa.table(
        'certificates',
        sa.column('document_name_ru', sa.String),
        sa.column('document_name_en', sa.String),
        sa.column('areas_passed', sa.JSON),
    )
    op.execute(
        certificates.update().values(
            document_name_ru=ORGANISATION_DOCUMENT[0],
            document_name_en=ORGANISATION_DOCUMENT[1],
            areas_passed=[],
        )
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('document_name_ru', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('document_name_en', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('areas_passed', existing_type=sa.JSON(), nullable=False)
    _foreign_keys(True)
    _count_per_series()


def _count_per_series():
    """One sequence per prefix and year instead of per year. Each series starts after the highest number
    it has issued, so no number is handed out twice (the shared counter's gaps stay gaps)."""
    bind = op.get_bind()
    last = {}
    for (number,) in bind.execute(sa.text("SELECT number FROM certificates")):
        parts = NUMBER.match(number)
        if parts:
            key = (parts[1], int(parts[2]))
            last[key] = max(last.get(key, 0), int(parts[3]))
    op.drop_table('certificate_sequences')
    sequences = op.create_table(
        'certificate_sequences',
        sa.Column('prefix', sa.String(length=10), nullable=False),
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last_number', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_certificate_sequences')),
    )
    if last:
        op.bulk_insert(
            sequences,
            [{'prefix': p, 'year': y, 'last_number': n} for (p, y), n in sorted(last.items())],
        )


def downgrade():
    # The earlier schema cannot tell a person's certificate from an organisation's: refused while one
    # exists, rather than publishing it as an organisation's.
    people = op.get_bind().scalar(sa.text("SELECT count(*) FROM certificates WHERE subject_kind = 'person'"))
    if people:
        raise RuntimeError(f"{people} certificates of persons exist; downgrading would lose what they are")
    bind = op.get_bind()
    # one counter per year again, past every series' highest number, so none is reused
    rows = bind.execute(sa.text("SELECT year, max(last_number) FROM certificate_sequences GROUP BY year"))
    per_year = [{'year': year, 'last_number': number} for year, number in rows]
    op.drop_table('certificate_sequences')
    sequences = op.create_table(
        'certificate_sequences',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last_number', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_certificate_sequences')),
    )
    if per_year:
        op.bulk_insert(sequences, per_year)
    _foreign_keys(False)
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('organisation_public')
        batch_op.drop_column('areas_passed')
        batch_op.drop_column('document_name_en')
        batch_op.drop_column('document_name_ru')
        batch_op.drop_column('subject_kind')
    _foreign_keys(True)
