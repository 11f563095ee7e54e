"""A batch's product type (清香型 …), where the standard gives grades by type.

Revision ID: c11c00000001
Revises: c14a00000001
Create Date: 2026-11-30 12:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c11c00000001'
down_revision = "c14a00000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('product_type', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.drop_column('product_type')
