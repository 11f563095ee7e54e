"""The product page: what a shopper sees, and who sees listings that are not live."""
import pytest

from tests.support.factories_catalog import image_bytes, upload


@pytest.fixture
def live_listing(seller_world, make_batch, make_listing, make_gi_authorization):
    world = seller_world()
    batch = make_batch(world["cooperative"], grade="premium")
    make_gi_authorization(world["cooperative"])
    listing = make_listing(world["cooperative"], title="明前西湖龙井 250g", batch=batch, price_minor=12800,
                           stock=7, description="## Picked in April\n\n*Hand-fired* in iron woks.")
    return {**world, "batch": batch, "listing": listing}


def test_a_live_listing_shows_price_stock_cooperative_and_gi_facts(client, live_listing):
    page = client.get(f"/listings/{live_listing['listing'].id}").get_data(as_text=True)
    assert "明前西湖龙井 250g" in page and "CN¥128.00" in page and "250 g box" in page
    assert '<dd id="stock">7</dd>' in page
    assert "西湖茶农合作社" in page and f'href="/cooperatives/{live_listing["cooperative"].id}"' in page
    assert "Xihu District" in page and "Zhejiang" in page
    assert "Longjing tea" in page and "GB/T 18650-2008" in page
    assert 'id="standard-link"' in page and 'href="/standards/longjing-tea"' in page
    assert "Apr 2, 2025" in page  # harvest date
    assert '<dd id="grade">Premium</dd>' in page
    assert "Meets the standard" in page and "GB/T 18650-2008 · v1" in page
    assert "<h2>Picked in April</h2>" in page and "<em>Hand-fired</em>" in page
    assert "Longjing tea · validated, awaiting certification" in page


def test_a_listing_without_a_batch_makes_no_gi_claim(client, seller_world, make_listing):
    world = seller_world()
    listing = make_listing(world["cooperative"], title="Plain green tea")
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "Plain green tea" in page
    assert 'id="gi-facts"' not in page and "data-badge" not in page


def test_a_failing_batch_shows_no_badge_and_says_why(client, seller_world, make_batch, make_listing):
    world = seller_world()
    batch = make_batch(world["cooperative"], measurements={"moisture": "8.1"})
    listing = make_listing(world["cooperative"], title="Tea", batch=batch)
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "Does not meet the standard" in page and "data-badge" not in page


@pytest.mark.parametrize("status", ["draft", "paused"])
def test_listings_that_are_not_live_are_hidden_from_the_public(client, login, seller_world, make_listing,
                                                               status):
    world = seller_world()
    listing = make_listing(world["cooperative"], title="Not yet", status=status)
    assert client.get(f"/listings/{listing.id}").status_code == 404
    login(world["consumer"])
    assert client.get(f"/listings/{listing.id}").status_code == 404
    login(world["other_member"])
    assert client.get(f"/listings/{listing.id}").status_code == 404
    login(world["member"])
    response = client.get(f"/listings/{listing.id}")
    assert response.status_code == 200 and 'id="not-live-notice"' in response.get_data(as_text=True)


def test_a_product_that_sells_out_keeps_its_page_and_says_sold_out(client, login, live_listing, make_user,
                                                                 place_order):
    from marketplace.catalog.models import Listing, ListingStatus
    from tests.support.factories_orders import fresh

    listing = live_listing["listing"]
    place_order(make_user(), (listing, 7))  # the last seven units, through the real checkout
    assert fresh(Listing, listing.id).status == ListingStatus.SOLD_OUT
    for who in (None, live_listing["consumer"]):
        if who is not None:
            login(who)
        response = client.get(f"/listings/{listing.id}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'id="sold-out"' in page and "Sold out" in page and "明前西湖龙井 250g" in page
        assert 'id="add-to-cart"' not in page and 'id="not-live-notice"' not in page


@pytest.mark.parametrize("cooperative_status", ["pending", "suspended"])
def test_a_sold_out_product_of_a_cooperative_that_is_not_verified_has_no_public_page(
        client, seller_world, make_listing, cooperative_status):
    from marketplace.cooperatives.models import CooperativeStatus
    from marketplace.extensions import db

    world = seller_world()
    listing = make_listing(world["cooperative"], status="sold_out", stock=0)
    world["cooperative"].status = CooperativeStatus(cooperative_status)
    db.session.commit()
    assert client.get(f"/listings/{listing.id}").status_code == 404


def test_listings_of_a_suspended_cooperative_are_not_live(client, seller_world, make_listing):
    from marketplace.cooperatives.models import CooperativeStatus
    from marketplace.extensions import db

    world = seller_world()
    listing = make_listing(world["cooperative"])
    world["cooperative"].status = CooperativeStatus.SUSPENDED
    db.session.commit()
    assert client.get(f"/listings/{listing.id}").status_code == 404
    assert client.get("/listings/999999").status_code == 404


def test_the_add_to_cart_form_appears_only_once_the_cart_exists(app, client, live_listing):
    url = f"/listings/{live_listing['listing'].id}"
    if "orders.add_to_cart" not in app.view_functions:
        assert 'id="add-to-cart"' not in client.get(url).get_data(as_text=True)
        app.add_url_rule("/test-cart/add", "orders.add_to_cart", lambda: "", methods=["POST"])
    page = client.get(url).get_data(as_text=True)
    form = page.split('id="add-to-cart"', 1)[1].split("</form>", 1)[0]
    assert 'name="listing_id" value="%d"' % live_listing["listing"].id in form
    assert 'name="quantity"' in form and 'name="csrf_token"' in form and 'max="7"' in form


def test_photos_are_shown_with_thumbnails(client, login, live_listing):
    from tests.seller.test_listings import listing_form

    listing = live_listing["listing"]
    login(live_listing["member"])
    data = listing_form(live_listing["cooperative"], title=listing.title, status="active",
                        batch_id=str(live_listing["batch"].id), stock_seen="7", stock="7")
    data["photos"] = [upload(image_bytes(color=(200, 30, 30)), "a.jpg"), upload(image_bytes(), "b.jpg")]
    assert client.post(f"/seller/listings/{listing.id}/edit", data=data,
                       content_type="multipart/form-data").status_code == 302
    client.post("/logout")
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    photos = listing.photos
    assert f"/media/photos/{photos[0].filename}" in page and f"/media/photos/{photos[1].thumbnail}" in page
