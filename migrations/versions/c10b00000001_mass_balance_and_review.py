"""Mass balance of batches, package weights, production sites and the official's review.

Revision ID: c10b00000001
Revises: ba6e526fd506
Create Date: 2026-11-30

A batch's certified quantity in kg (from its quantity and unit), the units each listing
has sold (backfilled from order lines whose stock was not given back), the net weight of
every package code, the production sites of each authorization (for those granted before
sites were declared: the county it was granted in) and what an official checked when
certifying.
"""
from alembic import op
import sqlalchemy as sa

revision = "c10b00000001"
down_revision = "ba6e526fd506"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quantity_kg", sa.Numeric(precision=15, scale=3), nullable=True))
    op.execute("UPDATE batches SET quantity_kg = quantity WHERE unit = 'kg'")
    op.execute("UPDATE batches SET quantity_kg = quantity * 1000 WHERE unit = 't'")

    if op.get_bind().dialect.name == "sqlite":
        # A column with its CHECK in one ALTER: a batch "move and copy" would drop the listings
        # table, which order lines and carts reference, and fail on any database with orders.
        op.execute("ALTER TABLE listings ADD COLUMN units_sold INTEGER DEFAULT '0' NOT NULL "
                   "CONSTRAINT ck_listings_units_sold_not_negative CHECK (units_sold >= 0)")
    else:
        with op.batch_alter_table("listings", schema=None) as batch_op:
            batch_op.add_column(sa.Column("units_sold", sa.Integer(), nullable=False, server_default="0"))
            batch_op.create_check_constraint("units_sold_not_negative", "units_sold >= 0")
    op.execute(
        "UPDATE listings SET units_sold = COALESCE((SELECT SUM(order_lines.quantity) FROM order_lines "
        "JOIN sub_orders ON sub_orders.id = order_lines.sub_order_id "
        "WHERE order_lines.listing_id = listings.id AND NOT sub_orders.stock_released), 0)")

    with op.batch_alter_table("trace_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("net_weight_grams", sa.Integer(), nullable=True))

    with op.batch_alter_table("gi_authorizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("production_sites", sa.JSON(), nullable=False, server_default="[]"))
    # Before sites were declared the cooperative's own county was the site it applied with.
    sites = "'[\"' || county_code || '\"]'"
    if op.get_bind().dialect.name == "postgresql":
        sites = f"CAST({sites} AS JSON)"
    op.execute(f"UPDATE gi_authorizations SET production_sites = {sites}")

    with op.batch_alter_table("batch_certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review", sa.JSON(), nullable=False, server_default="{}"))


def _drop_column(table: str, column: str) -> None:
    """Drop a column in place (SQLite 3.35+ can): a batch copy would drop referenced tables."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    else:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)


def downgrade():
    _drop_column("batch_certificates", "review")
    _drop_column("gi_authorizations", "production_sites")
    _drop_column("trace_codes", "net_weight_grams")
    if op.get_bind().dialect.name != "sqlite":
        with op.batch_alter_table("listings", schema=None) as batch_op:
            batch_op.drop_constraint("units_sold_not_negative", type_="check")
    _drop_column("listings", "units_sold")
    _drop_column("batches", "quantity_kg")
