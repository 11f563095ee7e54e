"""Listing variants (sizes, gift boxes), harvest pre-sale, ship days and pickup points.

- `listing_variants`: every existing listing becomes one default variant with its own price,
  unit, stock, units sold and weight, under the listing's own id (so a guest's cart kept in a
  session, keyed by that id, still names the same product).
- Carts and order lines point at the variant; existing rows at their listing's default one.
- Listings: pre-sale ships-from date and expected yield, ship weekdays, excluded provinces,
  cold chain. Sub-orders: the day pre-sale goods may ship from. Orders: their pickup point.

Revision ID: c16b00000001
Revises: c15a00000001
Create Date: 2026-11-30 12:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "c16b00000001"
down_revision = "c15a00000001"
branch_labels = None
depends_on = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    op.create_table(
        "listing_variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("units_sold", sa.Integer(), nullable=False),
        sa.Column("weight_grams", sa.Integer(), nullable=True),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("price_minor > 0", name=op.f("ck_listing_variants_price_positive")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_listing_variants_stock_not_negative")),
        sa.CheckConstraint("units_sold >= 0", name=op.f("ck_listing_variants_units_sold_not_negative")),
        sa.ForeignKeyConstraint(["listing_id"], ["listings.id"], name=op.f("fk_listing_variants_listing_id_listings"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_variants")),
    )
    with op.batch_alter_table("listing_variants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listing_variants_listing_id"), ["listing_id"], unique=False)
    op.execute("INSERT INTO listing_variants (id, listing_id, position, label, price_minor, stock, units_sold, "
               "weight_grams, created_at) SELECT id, id, 0, unit, price_minor, stock, units_sold, weight_grams, "
               "created_at FROM listings")
    if not _sqlite():
        op.execute("SELECT setval(pg_get_serial_sequence('listing_variants', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM listing_variants), 0) + 1, false)")

    op.create_table(
        "pickup_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("province", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("county", sa.String(length=60), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cooperative_id"], ["cooperatives.id"],
                                name=op.f("fk_pickup_points_cooperative_id_cooperatives"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pickup_points")),
    )
    with op.batch_alter_table("pickup_points", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pickup_points_cooperative_id"), ["cooperative_id"], unique=False)

    # Plain ADD COLUMN on tables others reference (listings, orders, sub_orders): a batch
    # "move and copy" on SQLite would drop a referenced table and fail on any shop with orders.
    op.add_column("listings", sa.Column("presale_ships_from", sa.Date(), nullable=True))
    op.add_column("listings", sa.Column("presale_yield_kg", sa.Numeric(precision=12, scale=3), nullable=True))
    op.add_column("listings", sa.Column("ship_weekdays", sa.String(length=7), nullable=False, server_default=""))
    op.add_column("listings", sa.Column("excluded_provinces", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("listings", sa.Column("cold_chain", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("sub_orders", sa.Column("ships_from", sa.Date(), nullable=True))
    if _sqlite():
        op.execute("ALTER TABLE orders ADD COLUMN pickup_point_id INTEGER "
                   "CONSTRAINT fk_orders_pickup_point_id_pickup_points REFERENCES pickup_points (id)")
    else:
        op.add_column("orders", sa.Column("pickup_point_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_orders_pickup_point_id_pickup_points"), "orders", "pickup_points",
                              ["pickup_point_id"], ["id"])

    # Carts and order lines are referenced by no table: a batch copy is safe on SQLite.
    with op.batch_alter_table("cart_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variant_id", sa.Integer(), nullable=True))
    op.execute("UPDATE cart_items SET variant_id = listing_id")
    with op.batch_alter_table("cart_items", schema=None) as batch_op:
        batch_op.alter_column("variant_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_cart_items_user_id_listing_id", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_cart_items_user_id_variant_id"), ["user_id", "variant_id"])
        batch_op.create_foreign_key(batch_op.f("fk_cart_items_variant_id_listing_variants"), "listing_variants",
                                    ["variant_id"], ["id"], ondelete="CASCADE")

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variant_id", sa.Integer(), nullable=True))
    op.execute("UPDATE order_lines SET variant_id = listing_id")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.alter_column("variant_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_order_lines_variant_id"), ["variant_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_order_lines_variant_id_listing_variants"), "listing_variants",
                                    ["variant_id"], ["id"])


def _drop_column(table: str, column: str) -> None:
    if _sqlite():
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    else:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)


def downgrade():
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_order_lines_variant_id_listing_variants"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_order_lines_variant_id"))
        batch_op.drop_column("variant_id")
    with op.batch_alter_table("cart_items", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cart_items_variant_id_listing_variants"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_cart_items_user_id_variant_id"), type_="unique")
        batch_op.create_unique_constraint("uq_cart_items_user_id_listing_id", ["user_id", "listing_id"])
        batch_op.drop_column("variant_id")
    if not _sqlite():
        op.drop_constraint(op.f("fk_orders_pickup_point_id_pickup_points"), "orders", type_="foreignkey")
    _drop_column("orders", "pickup_point_id")
    _drop_column("sub_orders", "ships_from")
    for column in ("cold_chain", "excluded_provinces", "ship_weekdays", "presale_yield_kg", "presale_ships_from"):
        _drop_column("listings", column)
    op.drop_table("pickup_points")
    op.drop_table("listing_variants")
