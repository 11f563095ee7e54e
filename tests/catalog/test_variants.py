"""Sizes and gift boxes: a listing's variants through seller pages, cart, checkout, payment and stock."""
import pytest
from sqlalchemy import func, select

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Listing, ListingStatus, ListingVariant
from marketplace.extensions import db
from marketplace.orders.models import CartItem, Order, OrderLine, OrderStatus
from tests.catalog.test_mass_balance import field_errors
from tests.support.factories_orders import checkout_form, fresh


def size_form(label="5 kg 袋", price="180.00", stock="10", weight_grams="5000", prefix="new"):
    return {f"{prefix}-label": label, f"{prefix}-price": price, f"{prefix}-stock": stock,
            f"{prefix}-weight_grams": weight_grams}


def sizes_of(listing_id: int) -> list[ListingVariant]:
    db.session.rollback()
    return list(db.session.scalars(select(ListingVariant).where(ListingVariant.listing_id == listing_id)
                                   .order_by(ListingVariant.position)))


@pytest.fixture
def rice(seller_world, make_listing, login, client):
    """The Xihu cooperative's member signed in, with a live listing of one size: 500 g box at 25.00."""
    world = seller_world()
    world["listing"] = make_listing(world["cooperative"], title="大米 500g", category="rice", price_minor=2500,
                                    stock=20, unit="500 g 盒", weight_grams=500)
    login(world["member"])
    return world


def add_size(client, listing, **fields):
    return client.post(f"/seller/listings/{listing.id}/sizes", data=size_form(**fields))


def test_a_listing_starts_with_one_size_that_carries_its_figures(rice):
    [size] = sizes_of(rice["listing"].id)
    assert (size.label, size.price_minor, size.stock, size.weight_grams) == ("500 g 盒", 2500, 20, 500)


def test_a_seller_adds_sizes_and_the_listing_shows_the_lowest_price(client, rice):
    listing = rice["listing"]
    assert add_size(client, listing, label="5 kg 袋", price="180.00", stock="10", weight_grams="5000").status_code == 302
    assert add_size(client, listing, label="礼盒 2 × 500 g", price="19.90", stock="5",
                    weight_grams="1000").status_code == 302
    sizes = sizes_of(listing.id)
    assert [(s.label, s.price_minor, s.stock) for s in sizes] == [
        ("500 g 盒", 2500, 20), ("5 kg 袋", 18000, 10), ("礼盒 2 × 500 g", 1990, 5)]
    listing = fresh(Listing, listing.id)
    assert (listing.price_minor, listing.stock, listing.unit) == (1990, 35, "500 g 盒")
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "listing.variant_added")) == 2
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'id="variant-choice"' in page and "5 kg 袋" in page
    assert "18.00 per 500 g" in page  # 180.00 for 5 kg


@pytest.mark.parametrize("fields, field, message", [
    ({"label": ""}, "new-label", "This field is required"),
    ({"price": "-3"}, "new-price", "more than zero"),
    ({"price": "1e9"}, "new-price", "plain number"),
    ({"stock": "-1"}, "new-stock", "below zero"),
    ({"weight_grams": "0"}, "new-weight_grams", "more than zero"),
])
def test_a_bad_size_is_refused_naming_its_field_and_changes_nothing(client, rice, fields, field, message):
    response = add_size(client, rice["listing"], **fields)
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert len(sizes_of(rice["listing"].id)) == 1


def test_a_member_of_another_cooperative_cannot_touch_the_sizes(client, rice, login, make_listing):
    login(rice["other_member"])
    listing = rice["listing"]
    [size] = sizes_of(listing.id)
    assert add_size(client, listing).status_code == 404
    assert client.post(f"/seller/listings/{listing.id}/sizes/{size.id}",
                       data=size_form(prefix=f"v{size.id}", price="1.00")).status_code == 404
    assert client.post(f"/seller/listings/{listing.id}/sizes/{size.id}/remove").status_code == 404
    assert [(s.price_minor, s.stock) for s in sizes_of(listing.id)] == [(2500, 20)]


def test_a_size_of_one_listing_cannot_be_edited_through_another(client, rice, make_listing):
    mine = make_listing(rice["cooperative"], title="另一个商品")
    [other_size] = sizes_of(mine.id)
    response = client.post(f"/seller/listings/{rice['listing'].id}/sizes/{other_size.id}",
                           data=size_form(prefix=f"v{other_size.id}", price="1.00"))
    assert response.status_code == 404
    assert sizes_of(mine.id)[0].price_minor == 5800


def test_editing_a_size_moves_stock_by_what_the_seller_changed(client, rice, make_user, put_in_cart, place_order):
    listing = rice["listing"]
    [size] = sizes_of(listing.id)
    place_order(make_user(), (listing, 3))  # 17 left while the seller looked at 20
    response = client.post(f"/seller/listings/{listing.id}/sizes/{size.id}", data={
        **size_form(prefix=f"v{size.id}", label="500 g 盒", price="26.00", stock="25", weight_grams="500"),
        f"v{size.id}-stock_seen": "20"})
    assert response.status_code == 302
    size = sizes_of(listing.id)[0]
    assert (size.stock, size.units_sold, size.price_minor) == (22, 3, 2600)
    assert fresh(Listing, listing.id).stock == 22


def test_shoppers_buy_each_size_at_its_own_price_through_checkout_and_payment(client, rice, login, make_user):
    listing = rice["listing"]
    add_size(client, listing, label="5 kg 袋", price="180.00", stock="4", weight_grams="5000")
    small, sack = sizes_of(listing.id)
    shopper = make_user()
    login(shopper)
    assert client.post("/cart/add", data={"listing_id": listing.id, "variant_id": sack.id,
                                          "quantity": 2}).status_code == 302
    assert client.post("/cart/add", data={"listing_id": listing.id, "variant_id": small.id,
                                          "quantity": 3}).status_code == 302
    cart = client.get("/cart").get_data(as_text=True)
    assert "5 kg 袋" in cart and "500 g 盒" in cart and "435.00" in cart  # 2 × 180 + 3 × 25
    assert client.post("/checkout", data=checkout_form()).status_code == 302
    [order] = db.session.scalars(select(Order)).all()
    lines = sorted((line.unit, line.unit_price_minor, line.quantity, line.weight_grams, line.variant_id)
                   for line in order.sub_orders[0].lines)
    assert lines == [("5 kg 袋", 18000, 2, 5000, sack.id), ("500 g 盒", 2500, 3, 500, small.id)]
    assert order.items_minor == 43500
    small, sack = sizes_of(listing.id)
    assert (small.stock, small.units_sold, sack.stock, sack.units_sold) == (17, 3, 2, 2)
    assert fresh(Listing, listing.id).stock == 19
    # The seller confirms the bank transfer: the order is paid, the stock stays taken.
    login(rice["member"])
    sub = order.sub_orders[0]
    assert client.post(f"/seller/orders/{sub.id}/confirm-payment").status_code == 302
    assert fresh(Order, order.id).status == OrderStatus.PAID
    packing = client.get(f"/seller/orders/{sub.id}/packing-list").get_data(as_text=True)
    assert "5 kg 袋" in packing and "5000 g" in packing
    # Cancelled by the seller: each size gets its own units back.
    assert client.post(f"/seller/orders/{sub.id}/cancel", data={"reason": "缺货"}).status_code == 302
    small, sack = sizes_of(listing.id)
    assert (small.stock, small.units_sold, sack.stock, sack.units_sold) == (20, 0, 4, 0)
    assert fresh(Listing, listing.id).stock == 24


def test_the_last_units_of_one_size_do_not_sell_out_the_listing(client, rice, login, make_user, put_in_cart,
                                                                 place_order):
    listing = rice["listing"]
    add_size(client, listing, label="5 kg 袋", price="180.00", stock="1", weight_grams="5000")
    small, sack = sizes_of(listing.id)
    place_order(make_user(), (sack, 1))
    listing = fresh(Listing, listing.id)
    assert listing.status == ListingStatus.ACTIVE and listing.stock == 20
    response = client.post("/cart/add", data={"listing_id": listing.id, "variant_id": sack.id, "quantity": 1})
    assert response.status_code == 409 and "sold out" in response.get_data(as_text=True)


def test_a_listing_with_several_sizes_needs_one_chosen(client, rice):
    add_size(client, rice["listing"])
    response = client.post("/cart/add", data={"listing_id": rice["listing"].id, "quantity": 1})
    assert response.status_code == 400 and "Choose a size." in response.get_data(as_text=True)


def test_a_size_of_another_listing_cannot_be_smuggled_into_the_cart(client, rice, make_listing, login, make_user):
    dear = make_listing(rice["cooperative"], title="贵的", price_minor=99900, stock=5)
    [dear_size] = sizes_of(dear.id)
    login(make_user())
    response = client.post("/cart/add", data={"listing_id": rice["listing"].id, "variant_id": dear_size.id,
                                              "quantity": 1})
    assert response.status_code == 400 and "Choose one of this product" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CartItem)) == 0


def test_a_size_without_orders_is_deleted_and_one_with_orders_is_retired(client, rice, make_user, place_order):
    listing = rice["listing"]
    add_size(client, listing, label="5 kg 袋")
    add_size(client, listing, label="礼盒")
    first, sack, box = sizes_of(listing.id)
    place_order(make_user(), (sack, 1))
    assert client.post(f"/seller/listings/{listing.id}/sizes/{box.id}/remove").status_code == 302
    assert client.post(f"/seller/listings/{listing.id}/sizes/{sack.id}/remove").status_code == 302
    [first, sack] = sizes_of(listing.id)
    assert sack.retired_at is not None and sack.stock == 0 and sack.units_sold == 1
    assert db.session.scalar(select(OrderLine.unit).where(OrderLine.variant_id == sack.id)) == "5 kg 袋"
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "5 kg 袋" not in page and "礼盒" not in page
    response = client.post("/cart/add", data={"listing_id": listing.id, "variant_id": sack.id, "quantity": 1})
    assert response.status_code == 400
    # The last size on sale stays: pause the listing instead.
    client.post(f"/seller/listings/{listing.id}/sizes/{first.id}/remove")
    assert sizes_of(listing.id)[0].retired_at is None


def test_a_retired_size_in_a_cart_cannot_be_ordered(client, rice, login, make_user, put_in_cart, place_order):
    listing = rice["listing"]
    add_size(client, listing, label="5 kg 袋")
    first, sack = sizes_of(listing.id)
    shopper = make_user()
    put_in_cart(shopper, sack, 1)
    place_order(make_user(), (sack, 1))
    client.post(f"/seller/listings/{listing.id}/sizes/{sack.id}/remove")
    login(shopper)
    assert "No longer for sale" in client.get("/cart").get_data(as_text=True)
    response = client.post("/checkout", data=checkout_form())
    assert response.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1
