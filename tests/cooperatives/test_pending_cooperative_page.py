"""A cooperative waiting for verification is not published: its page (phone, address) is
shown to its members and to market supervisors only; everyone else gets a 404."""
import pytest

from marketplace.cooperatives.models import CooperativeStatus


@pytest.fixture
def pending(make_user, make_cooperative):
    owner = make_user()
    cooperative = make_cooperative(owner, name="待审合作社", status=CooperativeStatus.PENDING)
    return owner, cooperative


def test_a_pending_cooperative_is_not_found_by_visitors(client, pending):
    _owner, cooperative = pending
    response = client.get(f"/cooperatives/{cooperative.id}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "待审合作社" not in page and "13800138000" not in page


@pytest.mark.parametrize("role", ["consumer", "official", "other seller"])
def test_a_pending_cooperative_is_not_found_by_other_users(app, login, make_user, make_cooperative, pending, role):
    _owner, cooperative = pending
    if role == "official":
        user = make_user(official_of=("330106",))
    elif role == "other seller":
        user = make_user()
        make_cooperative(user)
    else:
        user = make_user()
    client = app.test_client()
    login(user, test_client=client)
    assert client.get(f"/cooperatives/{cooperative.id}").status_code == 404


def test_members_and_supervisors_see_a_pending_cooperative(app, login, make_user, pending):
    owner, cooperative = pending
    for user in (owner, make_user(supervisor=True)):
        client = app.test_client()
        login(user, test_client=client)
        response = client.get(f"/cooperatives/{cooperative.id}")
        assert response.status_code == 200 and "待审合作社" in response.get_data(as_text=True)


def test_a_verified_cooperative_is_public(client, make_cooperative):
    cooperative = make_cooperative(name="已审合作社")
    assert "已审合作社" in client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True)
