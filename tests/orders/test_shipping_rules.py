"""Sellers set their cooperative's shipping fee and the provinces they do not ship to."""
import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import ShippingFeeKind, ShippingRule


@pytest.fixture
def seller(app, make_user, make_cooperative, login):
    user = make_user()
    cooperative = make_cooperative(user)
    client = app.test_client()
    login(user, test_client=client)
    return client, cooperative


def rule_of(cooperative):
    db.session.rollback()
    return db.session.scalar(select(ShippingRule).where(ShippingRule.cooperative_id == cooperative.id))


def test_a_seller_sets_a_per_kilogram_fee_free_shipping_and_excluded_provinces(seller):
    client, cooperative = seller
    page = client.get("/seller/shipping").get_data(as_text=True)
    assert "No rule set yet" in page and ("西藏自治区" in page or "Tibet" in page)
    response = client.post(f"/seller/shipping?cooperative_id={cooperative.id}", data={
        "kind": "per_kg", "fee": "6.50", "free_above": "199", "excluded_provinces": ["西藏自治区", "新疆维吾尔自治区"]})
    assert response.status_code == 302
    rule = rule_of(cooperative)
    assert (rule.kind, rule.fee_minor, rule.free_above_minor) == (ShippingFeeKind.PER_KG, 650, 19900)
    assert rule.excluded_provinces == ["新疆维吾尔自治区", "西藏自治区"]
    again = client.get("/seller/shipping").get_data(as_text=True)
    assert 'value="6.50"' in again and 'value="199.00"' in again


@pytest.mark.parametrize("form, field", [
    ({"kind": "flat", "fee": "abc"}, "fee"),
    ({"kind": "flat", "fee": "-1"}, "fee"),
    ({"kind": "flat", "fee": "1e9"}, "fee"),
    ({"kind": "flat", "fee": "1.234"}, "fee"),
    ({"kind": "flat", "fee": "99999999"}, "fee"),
    ({"kind": "flat", "fee": ""}, "fee"),
    ({"kind": "flat", "fee": "5", "free_above": "0"}, "free_above"),
    ({"kind": "flat", "fee": "5", "free_above": "x"}, "free_above"),
    ({"kind": "by_mood", "fee": "5"}, "kind"),
    ({"kind": "flat", "fee": "5", "excluded_provinces": ["Atlantis"]}, "excluded_provinces"),
])
def test_bad_rules_are_refused_on_their_field_and_nothing_is_saved(seller, form, field):
    client, cooperative = seller
    response = client.post(f"/seller/shipping?cooperative_id={cooperative.id}", data=form)
    assert response.status_code == 400
    assert f'id="{field}-errors"' in response.get_data(as_text=True)
    assert rule_of(cooperative) is None


def test_shipping_rules_are_for_sellers_only(client, login, make_user):
    login(make_user())
    assert client.get("/seller/shipping").status_code == 403
