"""Monthly statements: read by the cooperative and supervisors only, downloaded, paid out once."""
import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.extensions import db
from marketplace.orders.models import EntryKind, LedgerEntry, Payout
from tests.orders.test_order_life import as_user


def old_entry(cooperative_id, amount, when=datetime(2020, 1, 15, 4, 0), kind=EntryKind.SALE):
    """History from a month long over (the ledger only appends, so tests add, never rewrite)."""
    db.session.add(LedgerEntry(cooperative_id=cooperative_id, kind=kind, amount_minor=amount, currency="CNY",
                               reason="paid", created_at=when))
    db.session.commit()


def test_members_and_supervisors_read_and_download_a_statement_and_nobody_else(
        app, login, make_user, two_cooperative_order):
    world = two_cooperative_order
    tea_coop = world["tea"].cooperative_id
    tea_seller = as_user(app, login, world["tea_seller"])
    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment").status_code == 302
    old_entry(tea_coop, 1234)

    page = tea_seller.get(f"/statements/{tea_coop}").get_data(as_text=True)
    assert f"T{world['order'].id:08d}" in page and "Opening balance" in page and "¥12.34" in page

    rows = list(csv.reader(io.StringIO(
        tea_seller.get(f"/statements/{tea_coop}/2020-01/csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[2][-1] == "0.00" and rows[3][4] == "12.34" and rows[-1][-1] == "12.34"
    pdf = tea_seller.get(f"/statements/{tea_coop}/2020-01/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"

    supervisor = as_user(app, login, make_user(supervisor=True))
    assert supervisor.get(f"/statements/{tea_coop}/2020-01").status_code == 200
    assert "龙井合作社" in supervisor.get("/statements").get_data(as_text=True)

    other_seller = as_user(app, login, world["rice_seller"])  # another cooperative's seller
    shopper = as_user(app, login, world["shopper"])
    for client in (other_seller, shopper):
        for suffix in ("", "/csv", "/pdf"):
            assert client.get(f"/statements/{tea_coop}/2020-01{suffix}").status_code == 404
    assert app.test_client().get(f"/statements/{tea_coop}/2020-01").status_code == 302  # to sign in
    assert tea_seller.get(f"/statements/{tea_coop}/2020-13").status_code == 404
    assert tea_seller.get(f"/statements/{tea_coop}/junk").status_code == 404


def test_a_supervisor_pays_a_statement_out_once(app, login, make_user, make_cooperative):
    seller = make_user()
    cooperative = make_cooperative(seller)
    old_entry(cooperative.id, 5000)
    old_entry(cooperative.id, -250, kind=EntryKind.COMMISSION)
    supervisor_user = make_user(supervisor=True)
    supervisor = as_user(app, login, supervisor_user)

    # A seller cannot pay its own statement out; the current month is not over.
    assert as_user(app, login, seller).post(f"/statements/{cooperative.id}/2020-01/payout").status_code == 403
    # The month as the shop counts it (its time zone), not the machine's: at the end of a
    # month they differ for some hours.
    this_month = datetime.now(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])).strftime("%Y-%m")
    supervisor.post(f"/statements/{cooperative.id}/{this_month}/payout")
    assert db.session.scalar(select(Payout)) is None

    response = supervisor.post(f"/statements/{cooperative.id}/2020-01/payout", data={"reference": "BANK-42"},
                               follow_redirects=True)
    assert "marked paid out" in response.get_data(as_text=True)
    again = supervisor.post(f"/statements/{cooperative.id}/2020-01/payout", follow_redirects=True)
    assert "already paid out" in again.get_data(as_text=True)
    # The next month owes nothing more: paying it would pay January twice.
    nothing = supervisor.post(f"/statements/{cooperative.id}/2020-02/payout", follow_redirects=True)
    assert "Nothing is owed" in nothing.get_data(as_text=True)

    db.session.rollback()
    payouts = db.session.scalars(select(Payout)).all()
    assert [(p.month, p.amount_minor, p.reference) for p in payouts] == [("2020-01", 4750, "BANK-42")]
    payout_entries = db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == EntryKind.PAYOUT)).all()
    assert [e.amount_minor for e in payout_entries] == [-4750]
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "statement.paid_out")).all()
    assert len(audit) == 1 and audit[0].actor_id == supervisor_user.id
