"""The regulator's export: a supervisor's token, JSON and CSV pages, no buyer's personal data."""
from __future__ import annotations

import csv
import io

import pytest

from tests.api.conftest import bearer

DATASETS = ("cooperatives", "listings", "certificates", "authorizations", "sanctions", "orders")


@pytest.fixture
def export_world(make_user, coop_world, make_token, place_order):
    supervisor = make_user(supervisor=True)
    shopper = make_user(name="周静")
    place_order(shopper, (coop_world["listing"], 1))
    return dict(coop_world, supervisor=supervisor, export=make_token(supervisor, scope="export"), shopper=shopper)


@pytest.mark.parametrize("dataset", DATASETS)
def test_each_dataset_exports_as_json_and_csv(client, export_world, dataset):
    headers = bearer(export_world["export"])
    page = client.get(f"/api/v1/export/{dataset}?per_page=1", headers=headers)
    assert page.status_code == 200, page.get_data(as_text=True)
    body = page.get_json()
    assert body["dataset"] == dataset and body["per_page"] == 1 and len(body["items"]) <= 1
    sheet = client.get(f"/api/v1/export/{dataset}.csv", headers=headers)
    assert sheet.status_code == 200 and sheet.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    assert len(rows) == int(sheet.headers["X-Total-Count"]) == body["total"]
    assert "Access-Control-Allow-Origin" not in sheet.headers


def test_orders_carry_no_buyer_data_beyond_province(client, export_world):
    from tests.support.factories_orders import ADDRESS

    text = client.get("/api/v1/export/orders.csv", headers=bearer(export_world["export"])).get_data(as_text=True)
    json_text = client.get("/api/v1/export/orders", headers=bearer(export_world["export"])).get_data(as_text=True)
    for secret in (ADDRESS["recipient"], ADDRESS["mobile"], ADDRESS["street"], export_world["shopper"].email):
        assert secret not in text and secret not in json_text
    assert "浙江省" in text


def test_export_needs_a_supervisors_export_token(client, export_world):
    assert client.get("/api/v1/export/orders").status_code == 401
    cooperative = client.get("/api/v1/export/orders", headers=bearer(export_world["write"]))
    assert cooperative.status_code == 403 and cooperative.get_json()["type"].endswith("/insufficient-scope")
    supervisor = export_world["supervisor"]
    supervisor.is_supervisor = False
    from marketplace.extensions import db

    db.session.commit()
    assert client.get("/api/v1/export/orders", headers=bearer(export_world["export"])).status_code == 401


def test_export_token_cannot_reach_a_cooperatives_endpoints(client, export_world):
    response = client.get("/api/v1/cooperative/listings", headers=bearer(export_world["export"]))
    assert response.status_code == 403


def test_bad_page_is_refused(client, export_world):
    response = client.get("/api/v1/export/listings?page=0&per_page=100000", headers=bearer(export_world["export"]))
    assert response.status_code == 422 and set(response.get_json()["errors"]["query"]) == {"page", "per_page"}


def test_supervisor_makes_and_revokes_export_tokens_on_a_page(client, login, make_user, seller_world):
    supervisor = make_user(supervisor=True)
    login(supervisor)
    page = client.post("/admin/api-tokens", data={"name": "省平台"})
    secret = page.get_data(as_text=True).split('id="token-secret">', 1)[1].split("<", 1)[0]
    assert client.get("/api/v1/export/sanctions", headers=bearer(secret)).status_code == 200
    from marketplace.api.models import ApiToken
    from marketplace.extensions import db
    from sqlalchemy import select

    token = db.session.scalar(select(ApiToken))
    client.post(f"/admin/api-tokens/{token.id}/revoke")
    assert client.get("/api/v1/export/sanctions", headers=bearer(secret)).status_code == 401


def test_sellers_cannot_open_the_export_token_page(client, login, seller_world):
    login(seller_world()["member"])
    assert client.get("/admin/api-tokens").status_code == 403
