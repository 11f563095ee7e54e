"""Shop basics: the cart count in the header, units sold, English titles on the English site."""
import re

import pytest

from marketplace.extensions import db
from marketplace.orders.models import OrderStatus


def cart_count(page: str) -> int:
    found = re.search(r'id="cart-count"[^>]*>(\d+)<', page)
    return int(found.group(1)) if found else 0


def test_the_header_counts_a_guests_units_on_every_page(client, make_listing_for_sale):
    listing = make_listing_for_sale(stock=10)
    assert cart_count(client.get("/").get_data(as_text=True)) == 0
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 3})
    for url in ("/", f"/listings/{listing.id}", "/search?q=tea", "/standards", "/cart"):
        assert cart_count(client.get(url).get_data(as_text=True)) == 3, url


def test_the_header_counts_a_signed_in_shoppers_cart(client, login, make_user, make_listing_for_sale, put_in_cart):
    shopper = make_user()
    put_in_cart(shopper, make_listing_for_sale(), 2)
    put_in_cart(shopper, make_listing_for_sale(), 5)
    login(shopper)
    assert cart_count(client.get("/").get_data(as_text=True)) == 7
    other = make_user()
    other_client = client.application.test_client()
    login(other, test_client=other_client)
    assert cart_count(other_client.get("/").get_data(as_text=True)) == 0


def test_units_sold_count_paid_orders_only(client, make_user, make_listing_for_sale, place_order):
    listing = make_listing_for_sale(stock=50)
    paid = place_order(make_user(), (listing, 4))
    unpaid = place_order(make_user(), (listing, 7))
    cancelled = place_order(make_user(), (listing, 9))
    for order, status in ((paid, OrderStatus.PAID), (cancelled, OrderStatus.CANCELLED)):
        for sub_order in order.sub_orders:
            sub_order.status = status
    db.session.commit()
    assert unpaid.sub_orders[0].status == OrderStatus.PENDING_PAYMENT
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert re.search(r'id="units-sold">4<', page)
    home = client.get(f"/cooperatives/{listing.cooperative_id}").get_data(as_text=True)
    assert f'id="sales-{listing.id}">4 sold<' in home


@pytest.fixture
def bilingual(make_listing_for_sale):
    listing = make_listing_for_sale(title="明前龙井 特级")
    listing.title_en = "Pre-Qingming Longjing, premium"
    listing.description_en = "Picked **before** Qingming."
    listing.description = "清明前采摘。"
    db.session.commit()
    return listing


def test_the_english_site_shows_the_english_title_and_description(client, bilingual):
    english = client.get(f"/listings/{bilingual.id}").get_data(as_text=True)
    assert "<h1>Pre-Qingming Longjing, premium</h1>" in english and "<strong>before</strong>" in english
    client.set_cookie("lang", "zh")
    chinese = client.get(f"/listings/{bilingual.id}").get_data(as_text=True)
    assert "<h1>明前龙井 特级</h1>" in chinese and "清明前采摘" in chinese


def test_without_an_english_title_the_english_site_shows_the_chinese_one(client, make_listing_for_sale):
    listing = make_listing_for_sale(title="五常大米 5kg")
    assert "<h1>五常大米 5kg</h1>" in client.get(f"/listings/{listing.id}").get_data(as_text=True)


def test_search_finds_a_listing_by_its_english_title_and_shows_it(client, bilingual):
    page = client.get("/search", query_string={"q": "pre-qingming"}).get_data(as_text=True)
    assert f'id="hit-{bilingual.id}"' in page
    assert "<mark>Pre</mark>-<mark>Qingming</mark> Longjing, premium" in page


def test_cart_checkout_and_order_lines_show_the_english_title_on_the_english_site(
        client, login, make_user, make_listing_for_sale, put_in_cart, place_order, bilingual):
    chinese_only = make_listing_for_sale(title="五常大米 5kg")
    shopper = make_user()
    put_in_cart(shopper, bilingual, 1)
    put_in_cart(shopper, chinese_only, 1)
    login(shopper)
    for url in ("/cart", "/checkout"):
        page = client.get(url).get_data(as_text=True)
        assert "Pre-Qingming Longjing, premium" in page and "明前龙井 特级" not in page, url
        assert "五常大米 5kg" in page, url  # no English title: the Chinese one, never an empty line
    order = place_order(shopper)
    # The line keeps the title it was bought under, in both languages.
    bilingual.title_en, bilingual.title = "Renamed later", "改名"
    db.session.commit()
    english = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Pre-Qingming Longjing, premium" in english and "Renamed later" not in english
    client.set_cookie("lang", "zh")
    chinese = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "明前龙井 特级" in chinese and "Pre-Qingming Longjing" not in chinese
