"""Counties as reference data: retirement columns, and every county-level division loaded.

Loads marketplace/core/data/counties.csv (every county-level division of China, and the
retired codes the GI catalogue still names) through the same idempotent loader as
`flask counties load`, so that a fresh production database lets a cooperative register
in any county. Downgrade keeps the rows (cooperatives may point at them) and drops the
two columns.

Revision ID: c13a00000001
Revises: ba6e526fd506
Create Date: 2026-11-30 09:40:00
"""
import sqlalchemy as sa
from alembic import op

from marketplace.core.counties import load_reference_counties

# revision identifiers, used by Alembic.
revision = "c13a00000001"
down_revision = "ba6e526fd506"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("counties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("successor_codes", sa.String(length=60), server_default="", nullable=False))
        batch_op.add_column(sa.Column("retired_year", sa.Integer(), nullable=True))
    load_reference_counties(op.get_bind())


def downgrade():
    with op.batch_alter_table("counties", schema=None) as batch_op:
        batch_op.drop_column("retired_year")
        batch_op.drop_column("successor_codes")
