"""The cart: guests in the session, shoppers in the database, merged at sign-in; bad input refused."""
import pytest
from sqlalchemy import select

from marketplace.catalog.models import ListingStatus
from marketplace.extensions import db
from marketplace.orders.models import CartItem
from tests.support.factories_orders import fresh


def cart_rows(user):
    db.session.rollback()
    return {item.listing_id: item.quantity
            for item in db.session.scalars(select(CartItem).where(CartItem.user_id == user.id))}


def test_a_guest_adds_to_the_cart_and_sees_the_current_price(client, make_listing_for_sale):
    listing = make_listing_for_sale(price_minor=3850, title="西湖龙井 明前")
    response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session["cart"] == {str(listing.variants[0].id): 2}  # keyed by the size
    listing.variants[0].price_minor = 4000
    db.session.commit()
    page = client.get("/cart").get_data(as_text=True)
    assert "西湖龙井 明前" in page
    assert "80.00" in page and "77.00" not in page


def test_a_signed_in_shopper_keeps_the_cart_in_the_database(client, login, make_user, make_listing_for_sale):
    shopper = make_user()
    listing = make_listing_for_sale()
    login(shopper)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2})
    assert cart_rows(shopper) == {listing.id: 3}


def test_the_guest_cart_is_merged_into_the_account_at_sign_in(client, login, make_user, make_listing_for_sale,
                                                              put_in_cart):
    shopper = make_user()
    kept, added = make_listing_for_sale(stock=5), make_listing_for_sale(stock=5)
    put_in_cart(shopper, kept, 2)
    client.post("/cart/add", data={"listing_id": kept.id, "quantity": 2})
    client.post("/cart/add", data={"listing_id": added.id, "quantity": 1})
    login(shopper)
    assert cart_rows(shopper) == {kept.id: 4, added.id: 1}
    with client.session_transaction() as session:
        assert "cart" not in session


def test_merging_never_holds_more_than_the_stock(client, login, make_user, make_listing_for_sale, put_in_cart):
    shopper = make_user()
    listing = make_listing_for_sale(stock=3)
    put_in_cart(shopper, listing, 2)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 3})
    login(shopper)
    assert cart_rows(shopper) == {listing.id: 3}


@pytest.mark.parametrize("quantity, message", [
    ("0", "Enter a quantity of at least 1."),
    ("-1", "Enter a quantity of at least 1."),
    (str(10 ** 9), "You can order at most 99 of one product."),
    ("x", "Enter a whole number, such as 1."),
    ("", "Enter a whole number, such as 1."),
    ("1.5", "Enter a whole number, such as 1."),
])
def test_a_bad_quantity_is_refused_with_a_message_naming_the_field(client, login, make_user,
                                                                   make_listing_for_sale, quantity, message):
    shopper = make_user()
    listing = make_listing_for_sale(stock=50)
    login(shopper)
    response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": quantity})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Quantity:" in page and message in page
    assert cart_rows(shopper) == {}


def test_more_than_the_stock_is_refused(client, make_listing_for_sale):
    listing = make_listing_for_sale(stock=2, title="五常大米")
    response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 3})
    assert response.status_code == 409
    assert "Only 2 of “五常大米” left in stock." in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "cart" not in session


@pytest.mark.parametrize("status", [ListingStatus.PAUSED, ListingStatus.DRAFT, ListingStatus.SOLD_OUT])
def test_a_listing_not_on_sale_cannot_be_added(client, make_listing_for_sale, status):
    listing = make_listing_for_sale(status=status)
    response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    assert response.status_code == 409
    assert "not for sale" in response.get_data(as_text=True) or "sold out" in response.get_data(as_text=True)


def test_an_unknown_listing_is_not_found(client):
    response = client.post("/cart/add", data={"listing_id": 999999, "quantity": 1})
    assert response.status_code == 404
    assert "This product does not exist." in response.get_data(as_text=True)


def test_a_line_paused_meanwhile_is_shown_with_its_problem_and_blocks_checkout(client, login, make_user,
                                                                               make_listing_for_sale, put_in_cart):
    shopper = make_user()
    listing = make_listing_for_sale(title="安溪铁观音")
    put_in_cart(shopper, listing, 1)
    listing.status = ListingStatus.PAUSED
    db.session.commit()
    login(shopper)
    page = client.get("/cart").get_data(as_text=True)
    assert "No longer for sale. Remove it from your cart." in page
    assert 'id="go-to-checkout"' not in page


def test_quantities_can_be_changed_and_lines_removed(client, login, make_user, make_listing_for_sale, put_in_cart):
    shopper = make_user()
    first, second = make_listing_for_sale(), make_listing_for_sale()
    put_in_cart(shopper, first, 1)
    put_in_cart(shopper, second, 1)
    login(shopper)
    assert client.post(f"/cart/items/{first.id}", data={"quantity": 4}).status_code == 302
    assert client.post(f"/cart/items/{second.id}/remove").status_code == 302
    assert cart_rows(shopper) == {first.id: 4}
    assert client.post(f"/cart/items/{first.id}", data={"quantity": 0}).status_code == 400
    assert cart_rows(shopper) == {first.id: 4}


def test_a_shopper_cannot_touch_a_line_of_someone_elses_cart(client, login, make_user, make_listing_for_sale,
                                                             put_in_cart):
    owner, other = make_user(), make_user()
    listing = make_listing_for_sale()
    put_in_cart(owner, listing, 2)
    login(other)
    assert client.post(f"/cart/items/{listing.id}", data={"quantity": 5}).status_code == 404
    assert client.post(f"/cart/items/{listing.id}/remove").status_code == 404
    assert listing.title not in client.get("/cart").get_data(as_text=True)
    assert cart_rows(owner) == {listing.id: 2}
    assert fresh(type(listing), listing.id).stock == 10
