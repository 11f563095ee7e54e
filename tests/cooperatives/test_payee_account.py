"""A cooperative's payee account: members record it on the settings page; every field checked."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.cooperatives.payee import PayeeAccount
from marketplace.extensions import db

GOOD = {"bank_name": "中国农业银行 五常支行", "account_name": "五常市稻花香种植专业合作社",
        "account_number": "6228 4800-1234 5678 901"}


def account_of(cooperative):
    db.session.rollback()
    return db.session.scalar(select(PayeeAccount).where(PayeeAccount.cooperative_id == cooperative.id))


def test_a_member_records_the_account_and_sees_it_on_the_settings_page(make_user, make_cooperative, client_of):
    owner, member = make_user(), make_user()
    cooperative = make_cooperative(owner, members=[member], payee=False)
    client = client_of(member)
    assert "no-payee-account" in client.get(f"/cooperatives/{cooperative.id}/settings").get_data(as_text=True)
    assert client.post(f"/cooperatives/{cooperative.id}/settings", data=GOOD).status_code == 302
    account = account_of(cooperative)
    assert (account.account_number, account.updated_by_id) == ("6228480012345678901", member.id)
    page = client_of(owner).get(f"/cooperatives/{cooperative.id}/settings").get_data(as_text=True)
    assert "6228 4800 1234 5678 901" in page and "五常市稻花香种植专业合作社" in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cooperative.payee_account_saved"))
    assert entry.details["account_number_last4"] == "8901" and "6228480012345678901" not in str(entry.details)


def test_bad_fields_are_named_and_change_nothing(make_user, make_cooperative, client_of):
    owner = make_user()
    cooperative = make_cooperative(owner)
    before = account_of(cooperative).account_number
    client = client_of(owner)
    for field, value, message in (("bank_name", "", "Enter the bank"),
                                  ("account_name", "x", "Enter the account name"),
                                  ("account_number", "6228-ABC", "8 to 30 digits"),
                                  ("account_number", "1234567", "8 to 30 digits"),
                                  ("account_number", "١٢٣٤٥٦٧٨٩٠", "8 to 30 digits"),
                                  ("account_number", "9" * 61, "Field cannot be longer")):
        response = client.post(f"/cooperatives/{cooperative.id}/settings", data=dict(GOOD, **{field: value}))
        assert response.status_code == 400, (field, value)
        page = response.get_data(as_text=True)
        assert message in page and f'id="{field}-errors"' in page, (field, value)
    assert account_of(cooperative).account_number == before


def test_only_members_see_or_change_it(make_user, make_cooperative, client_of):
    cooperative = make_cooperative()
    stranger = client_of(make_user())
    assert stranger.get(f"/cooperatives/{cooperative.id}/settings").status_code == 404
    assert stranger.post(f"/cooperatives/{cooperative.id}/settings", data=GOOD).status_code == 404
    assert account_of(cooperative).account_number == "6228480012345678901"
