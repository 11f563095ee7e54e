"""Registering cooperatives, their public page, and invitations by email."""
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from marketplace.cooperatives.models import Cooperative, CooperativeStatus, Membership, MemberRole
from marketplace.extensions import db
from tests.support.factories import valid_credit_code


def cooperative_form(**overrides):
    data = {"name": "西湖龙井茶农专业合作社", "credit_code": valid_credit_code("330106"),
            "county_code": "330106", "address": "龙井村 88 号", "phone": "13800138000",
            "description": "Tea growers."}
    data.update(overrides)
    return data


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_signed_in_user_registers_a_cooperative_and_owns_it(client, login, make_user, make_county):
    make_county("330106")
    login(make_user())
    response = client.post("/cooperatives/new", data=cooperative_form())
    assert response.status_code == 302
    cooperative = db.session.scalar(select(Cooperative))
    assert cooperative.status == CooperativeStatus.PENDING
    membership = db.session.scalar(select(Membership))
    assert membership.role == MemberRole.OWNER and membership.cooperative_id == cooperative.id
    page = client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True)
    assert "西湖龙井茶农专业合作社" in page and cooperative.credit_code in page


@pytest.mark.parametrize("field,value", [
    ("credit_code", "93330106MA2A1B3C0Q"),   # wrong check character
    ("credit_code", "not-a-code-at-all!"),
    ("county_code", "999999"),
    ("phone", "12345"),
])
def test_bad_cooperative_input_is_refused_on_the_field(client, login, make_user, make_county, field, value):
    make_county("330106")
    login(make_user())
    response = client.post("/cooperatives/new", data=cooperative_form(**{field: value}))
    assert response.status_code == 400
    assert f'id="{field}-errors"' in response.get_data(as_text=True)
    assert count(Cooperative) == 0


def test_a_credit_code_is_registered_once(client, login, make_user, make_cooperative):
    existing = make_cooperative()
    login(make_user())
    response = client.post("/cooperatives/new", data=cooperative_form(credit_code=existing.credit_code.lower()))
    assert response.status_code == 400
    assert "already registered" in response.get_data(as_text=True)


def test_owner_invites_a_member_who_joins_by_the_mailed_link(app, make_user, make_cooperative, login, outbox):
    owner = make_user()
    cooperative = make_cooperative(owner)
    invitee = make_user("new.member@example.com")
    owner_client, invitee_client = app.test_client(), app.test_client()
    login(owner, test_client=owner_client)
    response = owner_client.post(f"/cooperatives/{cooperative.id}/members", data={"email": "New.Member@example.com"})
    assert response.status_code == 302
    link = re.search(r"http://\S+/invitations/\S+", outbox()[-1].get_content()).group(0)
    path = urlsplit(link).path

    login(invitee, test_client=invitee_client)
    assert invitee_client.post(path).status_code == 302
    assert invitee.is_seller
    assert {m.user_id for m in cooperative.memberships} == {owner.id, invitee.id}
    # Used once.
    invitee_client.post(path)
    assert count(Membership) == 2


def test_invitation_link_works_only_for_its_address(app, make_user, make_cooperative, login, outbox):
    owner = make_user()
    cooperative = make_cooperative(owner)
    intruder = make_user()
    client = app.test_client()
    login(owner, test_client=client)
    client.post(f"/cooperatives/{cooperative.id}/members", data={"email": "someone@example.com"})
    path = re.search(r"/invitations/\S+", outbox()[-1].get_content()).group(0)
    other = app.test_client()
    login(intruder, test_client=other)
    other.post(path)
    assert intruder.id not in cooperative.member_ids()


def test_a_plain_member_cannot_invite(client, login, make_user, make_cooperative, outbox):
    member = make_user()
    cooperative = make_cooperative(members=[member])
    login(member)
    response = client.post(f"/cooperatives/{cooperative.id}/members", data={"email": "x@example.com"})
    assert response.status_code == 403
    assert outbox() == []


def test_supervisor_suspends_with_a_reason(client, login, make_user, make_cooperative):
    cooperative = make_cooperative()
    login(make_user(supervisor=True))
    client.post(f"/admin/cooperatives/{cooperative.id}/status", data={"status": "suspended", "reason": ""})
    db.session.refresh(cooperative)
    assert cooperative.status == CooperativeStatus.VERIFIED
    client.post(f"/admin/cooperatives/{cooperative.id}/status", data={"status": "suspended", "reason": "fake labels"})
    db.session.refresh(cooperative)
    assert cooperative.status == CooperativeStatus.SUSPENDED


def test_supervisor_appoints_an_official(client, login, make_user, make_county):
    make_county("230184")
    official = make_user("official@example.com")
    login(make_user(supervisor=True))
    response = client.post("/admin/officials", data={"email": "official@example.com", "county_code": "230184"})
    assert response.status_code == 302
    db.session.refresh(official)
    assert official.county_codes == {"230184"}


def test_cli_creates_officials_and_supervisors(runner, make_user, make_county):
    make_county("230184")
    user = make_user("cli@example.com")
    assert runner.invoke(args=["users", "create-official", "cli@example.com", "--county", "230184"]).exit_code == 0
    assert runner.invoke(args=["users", "create-supervisor", "cli@example.com"]).exit_code == 0
    bad = runner.invoke(args=["users", "create-official", "cli@example.com", "--county", "000000"])
    assert bad.exit_code != 0 and "county_code" in bad.output
    db.session.refresh(user)
    assert user.is_supervisor and user.county_codes == {"230184"}
