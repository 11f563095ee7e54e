"""Public reads: the same facts as the pages, problem details, ETags, CORS, limits."""
from __future__ import annotations

from tests.support.factories_certification import package_codes, trace_code_of

PROBLEM = "application/problem+json"


def test_openapi_document_is_generated_and_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    for path in ("/api/v1/verify/{code}", "/api/v1/gi-products", "/api/v1/listings",
                 "/api/v1/cooperative/listings/{listing_id}", "/api/v1/export/orders.csv"):
        assert path in document["paths"]
    patch = document["paths"]["/api/v1/cooperative/listings/{listing_id}"]["patch"]
    assert patch["security"] == [{"bearerAuth": []}]


def test_the_document_written_at_its_first_read_lists_every_api_route_to_all_first_readers(app):
    """The document is written when first read: readers arriving together all get it whole."""
    import re
    from concurrent.futures import ThreadPoolExecutor

    from marketplace.api.spec import api

    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.endpoint.split(".")[0] in app.extensions["flask-smorest"]["blp_name_to_api"]}
    assert len(routes) > 20
    with ThreadPoolExecutor(4) as pool:
        documents = list(pool.map(lambda _: api.spec.to_dict(), range(4)))
    assert all(document == documents[0] for document in documents)
    assert routes == set(documents[0]["paths"])


def test_docs_page_is_served_by_the_app_and_linked_from_the_footer(client):
    home = client.get("/")
    assert 'href="/api/v1/docs"' in home.get_data(as_text=True)
    docs = client.get("/api/v1/docs")
    page = docs.get_data(as_text=True)
    assert docs.status_code == 200
    assert "/api/v1/cooperative/listings/{listing_id}" in page and "problem-invalid-token" in page
    assert "cdn" not in page.lower() and "<script src=\"http" not in page


def test_problem_type_leads_to_its_description(client):
    response = client.get("/api/v1/problems/not-found")
    assert response.status_code == 302 and response.headers["Location"].endswith("/api/v1/docs#problem-not-found")


def test_unknown_api_url_is_a_problem_in_the_asked_language(client):
    english = client.get("/api/v1/nothing-here")
    assert english.status_code == 404 and english.mimetype == PROBLEM
    body = english.get_json()
    assert body["type"] == "/api/v1/problems/not-found" and body["status"] == 404 and body["title"] == "Not found"
    chinese = client.get("/api/v1/nothing-here", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert chinese.get_json()["type"] == body["type"]
    assert chinese.get_json()["title"] != body["title"] and chinese.headers["Content-Language"] == "zh-CN"


def test_verify_answers_like_the_page_and_counts_only_scans(client, gi_world, make_batch_certificate):
    world = gi_world()
    certificate = make_batch_certificate(world.batch)
    code = package_codes(certificate, 1)[0]
    phone = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) ScannerApp/2.1"}
    looked_up = client.get(f"/api/v1/verify/{code}", headers=phone)
    assert looked_up.status_code == 200, looked_up.get_data(as_text=True)
    data = looked_up.get_json()
    assert data["badge"]["shown"] is True and data["certificate"]["status"] == "certified"
    assert data["checks"]["count"] == 0 and data["checks"]["counted_now"] is False
    scanned = client.get(f"/api/v1/verify/{code}?scan=true", headers=phone)
    assert scanned.get_json()["checks"]["count"] == 1 and scanned.get_json()["checks"]["counted_now"] is True
    again = client.get(f"/api/v1/verify/{code}?scan=true", headers=phone)
    assert again.get_json()["checks"]["count"] == 1  # once per client and day, as on the page
    page = client.get(f"/verify/{code}", headers=phone)
    assert page.status_code == 200


def test_verify_never_counts_the_batch_code_or_bots(client, gi_world, make_batch_certificate):
    world = gi_world()
    certificate = make_batch_certificate(world.batch)
    batch_code = trace_code_of(certificate)
    answer = client.get(f"/api/v1/verify/{batch_code}?scan=true", headers={"User-Agent": "ScannerApp/1"})
    assert answer.get_json()["is_batch_code"] is True and answer.get_json()["checks"]["count"] == 0
    code = package_codes(certificate, 1)[0]
    bot = client.get(f"/api/v1/verify/{code}?scan=true", headers={"User-Agent": "python-requests/2.32"})
    assert bot.get_json()["checks"]["counted_now"] is False


def test_verify_refusals_are_problems(client):
    junk = client.get("/api/v1/verify/not-a-code!")
    assert junk.status_code == 400 and junk.mimetype == PROBLEM
    assert junk.get_json()["type"].endswith("/invalid-trace-code")
    unknown = client.get("/api/v1/verify/K7QM2XHD9RTA")
    assert unknown.status_code in (400, 404) and unknown.mimetype == PROBLEM
    bad_flag = client.get("/api/v1/verify/K7QM2XHD9RTA?scan=maybe")
    assert bad_flag.status_code == 422 and "scan" in bad_flag.get_json()["errors"]["query"]


def test_revoked_certificate_withdraws_the_badge_in_the_api(client, gi_world, make_batch_certificate):
    world = gi_world()
    certificate = make_batch_certificate(world.batch, status="revoked")
    data = client.get(f"/api/v1/verify/{trace_code_of(certificate)}").get_json()
    assert data["badge"]["shown"] is False and "certificate_revoked" in data["warnings"]


def test_register_lists_products_areas_and_holders(client, gi_world, make_batch_certificate):
    world = gi_world()
    make_batch_certificate(world.batch)
    products = client.get("/api/v1/gi-products").get_json()["items"]
    assert any(item["slug"] == "longjing-tea" for item in products)
    detail = client.get("/api/v1/gi-products/longjing-tea").get_json()
    assert detail["area"] and detail["versions"] is not None
    holder = next(h for h in detail["cooperatives"] if h["cooperative"]["id"] == world.cooperative.id)
    assert holder["authorization"]["status"] == "approved"
    assert holder["certificates"][0]["status"] == "certified"
    missing = client.get("/api/v1/gi-products/no-such-thing")
    assert missing.status_code == 404 and missing.mimetype == PROBLEM


def test_search_uses_the_page_service_with_facets_and_pages(client, make_product):
    make_product("西湖龙井 明前特级", slug="longjing-tea")
    make_product("五常大米 稻花香", slug="wuchang-rice", county="230184", category="grain")
    found = client.get("/api/v1/listings?q=龙井").get_json()
    assert found["status"] == "results" and found["total"] == 1
    assert found["items"][0]["variants"][0]["key"] == "default"
    assert "gi" in found["facets"] and found["facets"]["gi"][0]["count"] == 1
    page = client.get("/search?q=龙井").get_data(as_text=True)
    assert found["items"][0]["title"] in page.replace("<mark>", "").replace("</mark>", "")
    bad = client.get("/api/v1/listings?page=abc&sort=cheapest")
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]["query"]) == {"page", "sort"}
    band = client.get("/api/v1/listings?q=tea&price=999-nothing")
    assert band.status_code == 422 and "price" in band.get_json()["errors"]["query"]


def test_listing_and_cooperative_detail_with_badges(client, seller_world, make_listing, make_cooperative):
    world = seller_world()
    listing = make_listing(world["cooperative"], title="明前绿茶", stock=3)
    draft = make_listing(world["cooperative"], title="草稿", status="draft")
    detail = client.get(f"/api/v1/listings/{listing.id}").get_json()
    assert detail["badge"]["state"] == "none" and detail["variants"][0]["stock"] == 3
    assert client.get(f"/api/v1/listings/{draft.id}").status_code == 404
    cooperative = client.get(f"/api/v1/cooperatives/{world['cooperative'].id}").get_json()
    assert [item["id"] for item in cooperative["listings"]] == [listing.id]
    pending = make_cooperative(status="pending")
    assert client.get(f"/api/v1/cooperatives/{pending.id}").status_code == 404
    assert client.get("/api/v1/cooperatives/1?page=0").status_code == 422


def test_public_reads_have_etags_and_cors(client):
    first = client.get("/api/v1/gi-products")
    assert first.headers["Access-Control-Allow-Origin"] == "*" and first.headers["ETag"]
    again = client.get("/api/v1/gi-products", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    stale = client.get("/api/v1/gi-products", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_public_reads_are_rate_limited(app, client):
    app.config["API_PUBLIC_RATE_LIMIT"] = "2 per minute"
    assert client.get("/api/v1/gi-products").status_code == 200
    assert client.get("/api/v1/gi-products").status_code == 200
    limited = client.get("/api/v1/gi-products")
    assert limited.status_code == 429 and limited.mimetype == PROBLEM
    assert limited.get_json()["type"].endswith("/too-many-requests")


def test_wrong_method_on_a_public_read_is_a_problem(client):
    response = client.post("/api/v1/gi-products")
    assert response.status_code == 405 and response.mimetype == PROBLEM
    assert response.get_json()["type"].endswith("/method-not-allowed")


def test_head_request_never_counts_a_check(client, gi_world, make_batch_certificate):
    world = gi_world()
    code = package_codes(make_batch_certificate(world.batch), 1)[0]
    client.head(f"/api/v1/verify/{code}?scan=true", headers={"User-Agent": "ScannerApp/1"})
    assert client.get(f"/api/v1/verify/{code}").get_json()["checks"]["count"] == 0


def test_listing_etag_changes_when_its_stock_does(client, seller_world, make_listing):
    from marketplace.extensions import db

    listing = make_listing(seller_world()["cooperative"], stock=3)
    first = client.get(f"/api/v1/listings/{listing.id}")
    listing.stock = 2
    db.session.commit()
    after = client.get(f"/api/v1/listings/{listing.id}", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.get_json()["stock"] == 2 and after.headers["ETag"] != first.headers["ETag"]


def test_register_refuses_a_bad_category_filter(client):
    response = client.get("/api/v1/gi-products?category=" + "x" * 41)
    assert response.status_code == 422 and "category" in response.get_json()["errors"]["query"]
    assert client.get("/api/v1/gi-products?category=tea").status_code == 200
