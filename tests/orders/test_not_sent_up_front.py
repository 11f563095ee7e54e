"""A listing not sent to the shopper's province says so before checkout and offers no way to it."""
import pytest
from sqlalchemy import select

from marketplace.orders.models import Order
from tests.orders.test_delivery import peaches  # noqa: F401  (fixture)
from tests.support.factories_orders import checkout_form

XINJIANG, SHANGHAI, TAIWAN = "新疆维吾尔自治区", "上海市", "台湾省"


def _product(client, listing, **query) -> str:
    return client.get(f"/listings/{listing.id}", query_string=query).get_data(as_text=True)


def _cart(client, **query) -> str:
    response = client.get("/cart", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def tea(make_listing_for_sale, make_cooperative):
    """Another shop's listing that is sent everywhere."""
    return make_listing_for_sale(make_cooperative(county="330106"), title="龙井 明前")


@pytest.mark.parametrize("province, reason", [(XINJIANG, "cold chain"), (TAIWAN, "does not ship to")])
def test_the_product_page_says_up_front_and_offers_no_cart(client, peaches, province, reason):
    page = _product(client, peaches["listing"], province=province)
    notice = page.index('id="not-sent-notice"')
    assert notice < page.index('id="delivery"') and reason in page[notice:notice + 300]
    assert 'id="add-to-cart"' not in page
    page = _product(client, peaches["listing"], province=SHANGHAI)
    assert 'id="not-sent-notice"' not in page and 'id="add-to-cart"' in page


def test_a_province_chosen_on_one_product_page_is_known_on_the_next_and_in_the_cart(client, peaches, tea):
    client.post("/cart/add", data={"listing_id": peaches["listing"].id, "quantity": 1})
    assert 'id="go-to-checkout"' in _cart(client)
    assert 'id="add-to-cart"' in _product(client, tea, province=XINJIANG)  # the tea is sent there
    page = _product(client, peaches["listing"])
    assert 'id="not-sent-notice"' in page and 'id="add-to-cart"' not in page
    cart = _cart(client)
    assert "is not sent to" in cart and "cold chain" in cart
    assert 'id="go-to-checkout"' not in cart
    assert f'<option value="{XINJIANG}" selected>' in cart
    # Another province chosen in the cart: checkout is offered again, and remembered.
    cart = _cart(client, province=SHANGHAI)
    assert "is not sent to" not in cart and 'id="go-to-checkout"' in cart
    assert 'id="add-to-cart"' in _product(client, peaches["listing"])
    # A blank or unknown choice forgets the province.
    _cart(client, province=XINJIANG)
    assert 'id="go-to-checkout"' in _cart(client, province="<script>")
    assert 'id="delivery-ask"' in _product(client, peaches["listing"])


def test_the_cart_marks_a_cooperative_that_does_not_ship_there(client, peaches, tea):
    client.post("/cart/add", data={"listing_id": peaches["listing"].id, "quantity": 1})
    client.post("/cart/add", data={"listing_id": tea.id, "quantity": 1})
    cart = _cart(client, province=TAIWAN)
    assert "does not ship to" in cart and 'id="go-to-checkout"' not in cart
    line = cart[cart.index(f'data-listing="{peaches["listing"].id}"'):]
    assert "has-problem" in cart and 'role="alert"' in line[:1500]


def test_a_signed_in_shopper_is_told_from_the_last_address(client, peaches, tea, login, make_user, place_order,
                                                           put_in_cart):
    shopper = make_user()
    place_order(shopper, (tea, 1), province=XINJIANG)
    put_in_cart(shopper, peaches["listing"], 1)
    login(shopper)
    page = _product(client, peaches["listing"])
    assert 'id="not-sent-notice"' in page and 'id="add-to-cart"' not in page
    cart = _cart(client)
    assert "is not sent to" in cart and 'id="go-to-checkout"' not in cart
    checkout = client.get("/checkout").get_data(as_text=True)
    assert "is not sent to" in checkout and 'class="line-problem"' in checkout


def test_the_server_still_refuses_what_the_pages_did_not_offer(client, peaches, login, make_user):
    """A cheat posting straight to the cart and checkout gets the submit-time refusal."""
    shopper = make_user()
    login(shopper)
    _product(client, peaches["listing"], province=XINJIANG)
    assert client.post("/cart/add", data={"listing_id": peaches["listing"].id, "quantity": 1}).status_code == 302
    assert 'id="go-to-checkout"' not in _cart(client)
    response = client.post("/checkout", data=checkout_form(province=XINJIANG))
    assert response.status_code == 400 and "is not sent to" in response.get_data(as_text=True)
    assert client.post("/checkout", data=checkout_form(province=TAIWAN)).status_code == 400
    assert db_orders() == 0


def db_orders() -> int:
    from marketplace.extensions import db

    return len(db.session.scalars(select(Order)).all())


def test_checkout_starts_from_the_province_chosen_before_signing_in(client, peaches, login, make_user):
    _product(client, peaches["listing"], province=SHANGHAI)
    client.post("/cart/add", data={"listing_id": peaches["listing"].id, "quantity": 1})
    _product(client, peaches["listing"], province=XINJIANG)
    login(make_user())  # the guest cart and the chosen province go along
    checkout = client.get("/checkout").get_data(as_text=True)
    assert f'<option selected value="{XINJIANG}">' in checkout or f'value="{XINJIANG}" selected' in checkout
    assert "is not sent to" in checkout and 'class="line-problem"' in checkout
