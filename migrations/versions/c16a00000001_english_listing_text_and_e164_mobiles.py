"""English title and description of a listing; order mobiles in E.164.

- `listings.title_en`, `listings.description_en`: optional, shown on the English site;
  `order_lines.title_en`: the English title as it was when ordered.
- `orders.mobile` widens to 16 characters for "+" and up to 15 digits; mainland numbers
  already stored as 11 digits gain their country code ("+86"); so do users' profile
  mobiles (`users.phone`, wide enough already).

Revision ID: c16a00000001
Revises: c16b00000001
Create Date: 2026-11-30 12:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "c16a00000001"
down_revision = "c16b00000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_en", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("description_en", sa.Text(), nullable=True))
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_en", sa.String(length=120), nullable=True))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("mobile", existing_type=sa.String(length=11), type_=sa.String(length=16),
                              existing_nullable=False)
    op.execute("UPDATE orders SET mobile = '+86' || mobile WHERE mobile NOT LIKE '+%'")
    op.execute("UPDATE users SET phone = '+86' || phone WHERE phone IS NOT NULL AND phone NOT LIKE '+%'")


def downgrade():
    op.execute("UPDATE users SET phone = substr(phone, 4) WHERE phone LIKE '+86%'")
    op.execute("UPDATE orders SET mobile = substr(mobile, 4) WHERE mobile LIKE '+86%'")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("mobile", existing_type=sa.String(length=16), type_=sa.String(length=11),
                              existing_nullable=False)
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("title_en")
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_column("description_en")
        batch_op.drop_column("title_en")
