"""The migration to sizes keeps every shop's data: each listing becomes one default size with its
price, unit, stock, units sold and weight; carts and order lines point at it (SQLite and PostgreSQL)."""
from datetime import datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.extensions import db

NOW = datetime(2026, 11, 1, 8, 0)

#: Rows as an earlier schema held them (the county reference data is loaded by its own migration).
ROWS = [
    ("users", {"id": 1, "email": "buyer@example.com", "display_name": "Buyer", "password_hash": "x",
               "is_supervisor": False, "is_active_account": True, "session_token": "t", "created_at": NOW}),
    ("cooperatives", {"id": 1, "name": "茶农合作社", "credit_code": "93330106MA2AAAAA1X", "county_code": "330106",
                      "address": "龙井村", "phone": "0571", "description": "", "status": "verified",
                      "created_at": NOW}),
    ("listings", {"id": 7, "cooperative_id": 1, "title": "西湖龙井", "description": "", "category": "tea",
                  "price_minor": 26800, "unit": "250 g 罐", "stock": 12, "units_sold": 3, "status": "active",
                  "weight_grams": 250, "created_at": NOW, "updated_at": NOW}),
    ("listings", {"id": 9, "cooperative_id": 1, "title": "茶则", "description": "", "category": "other",
                  "price_minor": 2500, "unit": "1 把", "stock": 0, "units_sold": 0, "status": "sold_out",
                  "weight_grams": None, "created_at": NOW, "updated_at": NOW}),
    ("cart_items", {"id": 1, "user_id": 1, "listing_id": 9, "quantity": 2, "added_at": NOW}),
    ("orders", {"id": 1, "buyer_id": 1, "status": "paid", "currency": "CNY", "items_minor": 80400,
                "shipping_minor": 0, "total_minor": 80400, "refunded_minor": 0, "payment_method": "bank_transfer",
                "reserved_until": NOW, "flagged": False, "flag_reason": "", "recipient": "周静",
                "mobile": "13812345678", "province": "浙江省", "city": "杭州市", "county": "西湖区",
                "street": "龙井路 1 号", "placed_at": NOW, "updated_at": NOW}),
    ("sub_orders", {"id": 1, "order_id": 1, "cooperative_id": 1, "status": "paid", "items_minor": 80400,
                    "shipping_minor": 0, "total_minor": 80400, "refunded_minor": 0, "stock_released": False}),
    ("order_lines", {"id": 1, "sub_order_id": 1, "listing_id": 7, "title": "西湖龙井", "unit": "250 g 罐",
                     "unit_price_minor": 26800, "quantity": 3, "line_total_minor": 80400, "weight_grams": 250}),
]


def test_existing_listings_become_their_default_size_with_their_data(database_factory, tmp_path):
    url = database_factory.new()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path),
                      "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="c12c00000001")
        with db.engine.begin() as connection:
            for table, row in ROWS:
                columns = ", ".join(row)
                connection.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES "
                                           f"({', '.join(':' + name for name in row)})"), row)
        upgrade(revision="c16b00000001")
        with db.engine.connect() as connection:
            sizes = connection.execute(sa.text(
                "SELECT id, listing_id, position, label, price_minor, stock, units_sold, weight_grams, retired_at "
                "FROM listing_variants ORDER BY id")).all()
            cart = connection.execute(sa.text("SELECT listing_id, variant_id, quantity FROM cart_items")).all()
            lines = connection.execute(sa.text("SELECT listing_id, variant_id, quantity FROM order_lines")).all()
            terms = connection.execute(sa.text(
                "SELECT presale_ships_from, ship_weekdays, cold_chain FROM listings ORDER BY id")).all()
            # A size added after the migration gets an id of its own (the sequence moved on).
            connection.execute(sa.text(
                "INSERT INTO listing_variants (listing_id, position, label, price_minor, stock, units_sold, "
                "created_at) VALUES (7, 1, '礼盒', 56000, 2, 0, :now)"), {"now": NOW})
            added = connection.execute(sa.text("SELECT MAX(id) FROM listing_variants")).scalar()
            connection.commit()
        db.engine.dispose()
    engine.dispose()
    assert [tuple(row) for row in sizes] == [(7, 7, 0, "250 g 罐", 26800, 12, 3, 250, None),
                                             (9, 9, 0, "1 把", 2500, 0, 0, None, None)]
    assert [tuple(row) for row in cart] == [(9, 9, 2)]
    assert [tuple(row) for row in lines] == [(7, 7, 3)]
    assert [(row[0], row[1], bool(row[2])) for row in terms] == [(None, "", False), (None, "", False)]
    assert added == 10
