"""A cooperative's contact phone: mainland, Hong Kong, Macao or Taiwan, mobile or landline, in E.164."""
import pytest
from sqlalchemy import select

from marketplace.cooperatives.models import Cooperative
from marketplace.extensions import db
from tests.cooperatives.test_cooperatives import cooperative_form


@pytest.mark.parametrize(("region", "typed", "stored"), [
    ("CN", "13800138000", "+8613800138000"),
    ("CN", "0571-87654321", "+8657187654321"),    # a landline with its area code
    ("HK", "9123 4567", "+85291234567"),
    ("CN", "+853 6612 3456", "+85366123456"),
    ("TW", "02 2345 6789", "+886223456789"),
])
def test_the_contact_phone_is_stored_in_e164(client, login, make_user, make_county, region, typed, stored):
    make_county("330106")
    login(make_user())
    response = client.post("/cooperatives/new", data=cooperative_form(phone=typed, phone_region=region))
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert db.session.scalar(select(Cooperative.phone)) == stored


@pytest.mark.parametrize(("region", "typed"), [("CN", "12345"), ("CN", "+44 20 7946 0000"), ("HK", "13800138000"),
                                               ("ZZ", "13800138000"), ("CN", "电话")])
def test_a_wrong_contact_phone_is_refused_on_its_field(client, login, make_user, make_county, region, typed):
    make_county("330106")
    login(make_user())
    response = client.post("/cooperatives/new", data=cooperative_form(phone=typed, phone_region=region))
    assert response.status_code == 400
    assert 'id="phone-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Cooperative.id)) is None
