"""Sign-ups wait for the owner of the address to open a mailed link.

Accounts that existed before have none pending: they are confirmed.

Revision ID: c12a00000001
Revises: ba6e526fd506
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'c12a00000001'
down_revision = 'ba6e526fd506'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_up_pending_since', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('sign_up_pending_since')
