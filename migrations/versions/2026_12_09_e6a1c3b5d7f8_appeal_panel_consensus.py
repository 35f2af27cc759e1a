"""An appeal heard by a panel of several records its own consensus, apart from the review's (issue 16)

Revision ID: e6a1c3b5d7f8
Revises: d7b2e5a91c46
Create Date: 2026-12-09 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e6a1c3b5d7f8"
down_revision = "d7b2e5a91c46"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consensus_scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("for_appeal", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_consensus_scores_application_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_consensus_scores_application_id"), ["application_id", "indicator_id", "for_appeal"]
        )
    with op.batch_alter_table("consensus_marks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("for_appeal", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_consensus_marks_application_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_consensus_marks_application_id"),
            ["application_id", "kind", "subject", "for_appeal"],
        )


def downgrade():
    op.execute("DELETE FROM consensus_marks WHERE for_appeal")
    op.execute("DELETE FROM consensus_scores WHERE for_appeal")
    with op.batch_alter_table("consensus_marks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_consensus_marks_application_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_consensus_marks_application_id"), ["application_id", "kind", "subject"]
        )
        batch_op.drop_column("for_appeal")
    with op.batch_alter_table("consensus_scores", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_consensus_scores_application_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_consensus_scores_application_id"), ["application_id", "indicator_id"]
        )
        batch_op.drop_column("for_appeal")
