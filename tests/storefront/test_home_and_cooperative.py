"""The home page and a cooperative's page: everything from the database, only live listings."""

from tests.support.statements import counted_statements


def test_home_features_gi_products_with_their_listings(client, seller_world, make_batch, make_listing):
    world = seller_world()
    batch = make_batch(world["cooperative"])
    make_listing(world["cooperative"], title="明前龙井", batch=batch)
    page = client.get("/").get_data(as_text=True)
    featured = page.split('id="gi-products"', 1)[1].split("</section>", 1)[0]
    assert 'id="gi-longjing-tea"' in featured and "1 listing" in featured
    assert "Wuchang rice" in featured  # in the catalogue, no listing yet


def test_home_groups_live_listings_by_province_and_category(client, seller_world, make_listing):
    world = seller_world()
    make_listing(world["cooperative"], title="Xihu tea", category="tea")
    make_listing(world["other"], title="Wuchang new rice", category="rice")
    make_listing(world["other"], title="Hidden draft rice", category="rice", status="draft")
    page = client.get("/").get_data(as_text=True)
    provinces = page.split('id="by-province"', 1)[1].split("</section>", 1)[0]
    assert "Zhejiang" in provinces and "Heilongjiang" in provinces
    categories = page.split('id="by-category"', 1)[1].split("</section>", 1)[0]
    assert "Tea" in categories and "Rice" in categories
    newest = page.split('id="newest"', 1)[1].split("</section>", 1)[0]
    assert newest.index("Wuchang new rice") < newest.index("Xihu tea")
    assert "Hidden draft rice" not in page


def test_home_in_chinese_names_provinces_in_chinese(client, seller_world, make_listing):
    world = seller_world()
    make_listing(world["cooperative"], title="Xihu tea")
    client.set_cookie("lang", "zh")
    page = client.get("/").get_data(as_text=True)
    assert "浙江省" in page.split('id="by-province"', 1)[1]


def test_home_page_needs_few_queries_however_many_listings(app, client, seller_world, make_batch, make_listing):
    world = seller_world()
    batch = make_batch(world["cooperative"])
    for n in range(30):
        make_listing(world["cooperative"] if n % 2 else world["other"], title=f"Listing {n}",
                     batch=batch if n % 2 else None, category=("tea", "rice", "fruit")[n % 3])
    with counted_statements(app) as statements:
        assert client.get("/").status_code == 200
    assert len(statements) <= 16, statements  # the same with 3 listings or 300: no query per card


def test_the_cooperative_page_lists_its_live_listings_only(client, seller_world, make_listing):
    world = seller_world()
    make_listing(world["cooperative"], title="On sale now")
    make_listing(world["cooperative"], title="Paused one", status="paused")
    make_listing(world["other"], title="Other cooperative's rice")
    page = client.get(f"/cooperatives/{world['cooperative'].id}").get_data(as_text=True)
    listings = page.split('id="cooperative-listings"', 1)[1]
    assert "On sale now" in listings and "Paused one" not in page and "Other cooperative" not in page
    assert client.get("/cooperatives/999999").status_code == 404


def test_the_cooperative_page_pages_through_many_listings(app, client, seller_world, make_listing):
    app.config["COOPERATIVE_PAGE_SIZE"] = 3
    world = seller_world()
    for n in range(7):
        make_listing(world["cooperative"], title=f"Tea number {n}")
    first = client.get(f"/cooperatives/{world['cooperative'].id}").get_data(as_text=True)
    assert "Tea number 6" in first and "Tea number 3" not in first and "Page 1 of 3" in first
    last = client.get(f"/cooperatives/{world['cooperative'].id}?page=3").get_data(as_text=True)
    assert "Tea number 0" in last and 'id="next-page"' not in last
    assert client.get(f"/cooperatives/{world['cooperative'].id}?page=99").status_code == 200
