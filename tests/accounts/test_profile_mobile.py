"""The profile's mobile: of mainland China, Hong Kong, Macao or Taiwan, checked by core/phones.py, kept in E.164."""
import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db


@pytest.mark.parametrize(("region", "typed", "stored"), [
    ("CN", "139 1234 5678", "+8613912345678"),
    ("HK", "9123 4567", "+85291234567"),
    ("MO", "6612 3456", "+85366123456"),
    ("TW", "0912 345 678", "+886912345678"),
    ("CN", "+852 9123 4567", "+85291234567"),   # typed with its country code: read as such
    ("HK", "", None),                           # the mobile is optional
])
def test_a_mobile_of_each_region_is_saved_in_e164(client, make_user, login, region, typed, stored):
    user = make_user()
    login(user)
    response = client.post("/account", data={"display_name": "陈", "phone": typed, "phone_region": region})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert db.session.get(User, user.id).phone == stored


@pytest.mark.parametrize(("region", "typed"), [
    ("CN", "12345"), ("HK", "13912345678"), ("CN", "0571-87654321"),   # too short, wrong region, a landline
    ("CN", "+44 7911 123456"), ("ZZ", "13912345678"), ("CN", "手机" * 20),
])
def test_a_wrong_mobile_is_refused_on_its_field_and_nothing_changes(client, make_user, login, region, typed):
    user = make_user()
    login(user)
    client.post("/account", data={"display_name": "陈", "phone": "13912345678", "phone_region": "CN"})
    response = client.post("/account", data={"display_name": "李", "phone": typed, "phone_region": region})
    assert response.status_code == 400
    assert 'id="phone-errors"' in response.get_data(as_text=True)
    saved = db.session.get(User, user.id)
    assert (saved.display_name, saved.phone) == ("陈", "+8613912345678")


def test_the_profile_page_preselects_the_region_of_the_saved_mobile(client, make_user, login):
    user = make_user()
    login(user)
    client.post("/account", data={"display_name": "陈", "phone": "9123 4567", "phone_region": "HK"})
    page = client.get("/account").get_data(as_text=True)
    assert '<option selected value="HK">' in page or 'value="HK" selected' in page
