"""Package codes name the size (listing variant) they are printed for.

Revision ID: c16c00000001
Revises: c14c00000001
"""
import sqlalchemy as sa
from alembic import op

revision = "c16c00000001"
down_revision = "c14c00000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("trace_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variant_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("size_label", sa.String(length=40), server_default="", nullable=False))
        batch_op.create_index(batch_op.f("ix_trace_codes_variant_id"), ["variant_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_trace_codes_variant_id_listing_variants"), "listing_variants",
                                    ["variant_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("trace_codes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_trace_codes_variant_id_listing_variants"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_trace_codes_variant_id"))
        batch_op.drop_column("size_label")
        batch_op.drop_column("variant_id")
