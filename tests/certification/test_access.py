"""Every official and seller certification URL refuses whoever it is not for."""
from __future__ import annotations

import pytest

from tests.certification.conftest import statuses

A, C, D, B = "{authorization}", "{certificate}", "{document}", "{batch}"

#: (method, url, what an official of another county / another cooperative's seller get)
#: "deny" = 403; "own" = 200 with only their own files (nothing of this cooperative shown).
OFFICIAL_URLS = [
    ("GET", "/official/", "own"),
    ("GET", "/official/authorizations", "own"),
    ("GET", f"/official/authorizations/{A}", "deny"),
    ("POST", f"/official/authorizations/{A}/approve", "deny"),
    ("POST", f"/official/authorizations/{A}/reject", "deny"),
    ("POST", f"/official/authorizations/{A}/request-information", "deny"),
    ("POST", f"/official/authorizations/{A}/suspend", "deny"),
    ("POST", f"/official/authorizations/{A}/reinstate", "deny"),
    ("POST", f"/official/authorizations/{A}/revoke", "deny"),
    ("GET", f"/official/documents/{D}", "deny"),
    ("GET", "/official/certificates", "own"),
    ("GET", f"/official/certificates/{C}", "deny"),
    ("POST", f"/official/certificates/{C}/certify", "deny"),
    ("POST", f"/official/certificates/{C}/reject", "deny"),
    ("POST", f"/official/certificates/{C}/suspend", "deny"),
    ("POST", f"/official/certificates/{C}/reinstate", "deny"),
    ("POST", f"/official/certificates/{C}/revoke", "deny"),
    ("GET", "/official/audit", "own"),
]
SELLER_URLS = [
    ("GET", "/seller/certification/", "own"),
    ("GET", "/seller/certification/apply", "own"),
    ("POST", "/seller/certification/apply", "own"),
    ("GET", f"/seller/certification/authorizations/{A}", "deny"),
    ("POST", f"/seller/certification/authorizations/{A}/resubmit", "deny"),
    ("GET", f"/seller/certification/documents/{D}", "deny"),
    ("POST", f"/seller/certification/batches/{B}/submit", "deny"),
    ("GET", f"/seller/certification/batches/{B}/labels", "deny"),
    ("GET", f"/seller/certification/batches/{B}/labels?format=pdf", "deny"),
    ("POST", f"/seller/certification/batches/{B}/serials", "deny"),
]
ROLES = ["anonymous", "consumer", "seller_of_another_cooperative", "official_of_another_county"]


def _fill(url, world):
    return url.format(authorization=world.authorization.id, certificate=world.certificate.id,
                      document=world.document.id, batch=world.batch.id)


def _person(role, make_user, make_cooperative):
    if role == "anonymous":
        return None
    if role == "consumer":
        return make_user(name="Consumer")
    if role == "seller_of_another_cooperative":
        other = make_user(name="Other seller")
        make_cooperative(other, county="330106", name="Another cooperative")
        return other
    return make_user(name="Official of Wuchang", official_of=("230184",))


def _expected(role, area, scope):
    if role == "anonymous":
        return "login"
    if role == "consumer":
        return 403
    if area == "official":
        return 403 if role == "seller_of_another_cooperative" else (200 if scope == "own" else 403)
    return 403 if role == "official_of_another_county" else (200 if scope == "own" else 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "scope", "area"),
                         [(*u, "official") for u in OFFICIAL_URLS] + [(*u, "seller") for u in SELLER_URLS])
def test_certification_urls_refuse_whoever_they_are_not_for(
        certified_world, as_user, make_user, make_cooperative, role, method, url, scope, area):
    world = certified_world
    client = as_user(_person(role, make_user, make_cooperative))
    before = statuses(world)
    response = client.open(_fill(url, world), method=method, data={"reject-reason": "x", "revoke-reason": "x",
                                                                    "suspend-reason": "x", "count": "3",
                                                                    "answer": "x", "approve-years": "3"})
    expected = _expected(role, area, scope)
    if expected == "login":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif expected == 200:
        assert response.status_code in (200, 400)
        page = response.get_data(as_text=True)
        assert world.cooperative.name not in page
        assert world.certificate.number not in page
    else:
        assert response.status_code == expected
    assert statuses(world) == before
