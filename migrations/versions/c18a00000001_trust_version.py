"""Trust version: one counter bumped by every change a public page shows.

Revision ID: c18a00000001
Revises: c15b00000001
"""
import sqlalchemy as sa
from alembic import op

revision = "c18a00000001"
down_revision = "c15b00000001"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "trust_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade():
    op.drop_table("trust_version")
