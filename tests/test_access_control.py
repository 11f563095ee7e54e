"""Each role sees and can do only its own things: every protected URL, every role."""
import pytest

# (method, url template, who may use it)
PROTECTED = [
    ("GET", "/account", {"consumer", "member", "official", "supervisor"}),
    ("GET", "/account/password", {"consumer", "member", "official", "supervisor"}),
    ("GET", "/cooperatives/new", {"consumer", "member", "official", "supervisor"}),
    ("GET", "/cooperatives/{coop}/members", {"member"}),
    ("POST", "/cooperatives/{coop}/members", {"member"}),
    ("GET", "/admin/", {"supervisor"}),
    ("GET", "/admin/cooperatives", {"supervisor"}),
    ("POST", "/admin/cooperatives/{coop}/status", {"supervisor"}),
    ("GET", "/admin/officials", {"supervisor"}),
    ("POST", "/admin/officials", {"supervisor"}),
    ("GET", "/admin/counterfeit-reports/", {"supervisor"}),
    ("GET", "/seller/api-tokens", {"member"}),
    ("POST", "/seller/api-tokens", {"member"}),
    ("GET", "/admin/api-tokens", {"supervisor"}),
    ("POST", "/admin/api-tokens", {"supervisor"}),
    ("GET", "/admin/supervision", {"supervisor"}),
    ("GET", "/admin/complaints", {"supervisor"}),
    ("GET", "/admin/reviews", {"supervisor"}),
    ("GET", "/admin/flagged-payments", {"supervisor"}),
    ("POST", "/admin/flagged-payments/1/clear", {"supervisor"}),
    ("POST", "/admin/flagged-payments/1/refund", {"supervisor"}),
    ("GET", "/admin/appointments", {"supervisor"}),
    ("GET", "/admin/audit-log", {"supervisor"}),
    ("GET", "/admin/cooperatives/{coop}/measures", {"supervisor"}),
    ("POST", "/admin/cooperatives/{coop}/suspend", {"supervisor"}),
    ("GET", "/complaints", {"consumer", "member", "official", "supervisor"}),
    ("GET", "/complaints/new?about=cooperative&id={coop}", {"consumer", "member", "official", "supervisor"}),
    ("GET", "/seller/complaints", {"member"}),
    ("GET", "/seller/reviews", {"member"}),
    ("GET", "/official/complaints", {"official"}),
]
ROLES = ["anonymous", "consumer", "member", "official", "supervisor"]


@pytest.fixture
def world(make_user, make_cooperative):
    owner = make_user(name="Owner")
    cooperative = make_cooperative(owner)
    return {
        "coop": cooperative.id,
        "consumer": make_user(),
        "member": owner,
        "official": make_user(official_of=("230184",)),
        "supervisor": make_user(supervisor=True),
    }


@pytest.mark.parametrize("method,template,allowed", PROTECTED)
@pytest.mark.parametrize("role", ROLES)
def test_protected_url_admits_only_its_roles(client, login, world, method, template, allowed, role):
    if role != "anonymous":
        login(world[role])
    url = template.format(coop=world["coop"])
    response = client.open(url, method=method, data={})
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in allowed:
        assert response.status_code in (200, 302, 400)
    else:
        assert response.status_code == 403


def test_supervisor_pages_are_not_linked_for_others(client, login, world):
    login(world["consumer"])
    assert "/admin/" not in client.get("/").get_data(as_text=True)


def test_supervisor_sees_the_supervision_link(client, login, world):
    login(world["supervisor"])
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)
