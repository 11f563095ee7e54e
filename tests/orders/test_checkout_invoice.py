"""An invoice (发票) asked for at checkout: checked before anything is saved, kept with the order,
shown to each cooperative with its part, and issued through the usual invoice flow once paid."""
import io

import pytest
from sqlalchemy import func, select

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import CartItem, InvoiceKind, InvoiceRequest, Order
from tests.orders.test_order_life import as_user
from tests.support.factories_orders import checkout_form, fresh

GOOD_CODE = "91110000600037341L"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
COMPANY = {"invoice_wanted": "y", "invoice_kind": "company", "invoice_title": "杭州茶叶有限公司",
           "invoice_taxpayer_id": GOOD_CODE}


@pytest.fixture
def shop(app, login, make_user, make_cooperative, make_listing_for_sale, put_in_cart):
    """A shopper with products of two cooperatives in the cart, and the sellers of both."""
    shopper, world = make_user(name="周静"), {}
    for name, county, price, quantity in (("tea", "330106", 3800, 2), ("rice", "230184", 6900, 1)):
        seller = make_user()
        world[name] = make_listing_for_sale(make_cooperative(seller, county=county), price_minor=price, stock=5)
        world[f"{name}_seller"] = as_user(app, login, seller)
        put_in_cart(shopper, world[name], quantity)
    return dict(world, shopper=as_user(app, login, shopper))


def _count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_checkout_page_offers_the_invoice(shop):
    page = shop["shopper"].get("/checkout").get_data(as_text=True)
    for name in ("invoice_wanted", "invoice_kind", "invoice_title", "invoice_taxpayer_id"):
        assert f'name="{name}"' in page
    assert 'id="invoice-choice"' in page


def test_a_company_invoice_asked_at_checkout_reaches_each_cooperative_and_is_issued_once_paid(shop, outbox):
    # Typed with spaces and a lower-case check character: kept in its compact form.
    response = shop["shopper"].post("/checkout", data=checkout_form(
        **dict(COMPANY, invoice_taxpayer_id="9111 0000 6000 3734 1l")))
    assert response.status_code == 302
    db.session.rollback()
    [order] = db.session.scalars(select(Order)).all()
    parts = {sub.cooperative_id: sub.id for sub in order.sub_orders}
    tea_part, rice_part = parts[shop["tea"].cooperative_id], parts[shop["rice"].cooperative_id]
    requests = db.session.scalars(select(InvoiceRequest).order_by(InvoiceRequest.sub_order_id)).all()
    assert sorted(r.sub_order_id for r in requests) == sorted(parts.values())
    assert {(r.kind, r.title, r.taxpayer_id) for r in requests} == {(InvoiceKind.COMPANY, "杭州茶叶有限公司", GOOD_CODE)}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "invoice.requested"))
    assert entry.subject_id == str(order.id) and entry.details["at_checkout"] is True

    # Each seller is told in the new-order mail, and sees the request in the list and on the part's page.
    notices = [m.get_body().get_content() for m in outbox() if "received" not in m["Subject"]]  # sellers' mail
    assert len(notices) == 2 and all("杭州茶叶有限公司" in body and "发票" in body for body in notices)
    tea_seller, rice_seller = shop["tea_seller"], shop["rice_seller"]
    assert "Invoice asked" in tea_seller.get("/seller/orders").get_data(as_text=True)
    part_page = tea_seller.get(f"/seller/orders/{tea_part}").get_data(as_text=True)
    assert "杭州茶叶有限公司" in part_page and GOOD_CODE in part_page
    assert "issue the invoice once this part is paid" in part_page and 'name="invoice_file"' not in part_page

    # Not before the part is paid, even by posting straight to the issue address.
    early = tea_seller.post(f"/seller/orders/{tea_part}/invoice", data={"invoice_file": (io.BytesIO(PDF), "f.pdf")},
                            follow_redirects=True)
    assert "not paid yet" in early.get_data(as_text=True)
    db.session.rollback()
    assert all(r.issued_at is None and r.filename is None for r in db.session.scalars(select(InvoiceRequest)))

    # Another cooperative cannot issue this part's invoice.
    assert rice_seller.post(f"/seller/orders/{tea_part}/invoice").status_code == 404

    assert tea_seller.post(f"/seller/orders/{tea_part}/confirm-payment").status_code == 302
    assert 'name="invoice_file"' in tea_seller.get(f"/seller/orders/{tea_part}").get_data(as_text=True)
    assert tea_seller.post(f"/seller/orders/{tea_part}/invoice",
                           data={"invoice_file": (io.BytesIO(PDF), "发票.pdf")}).status_code == 302
    db.session.rollback()
    issued = db.session.scalar(select(InvoiceRequest).where(InvoiceRequest.sub_order_id == tea_part))
    assert issued.issued_at is not None and issued.filename
    assert db.session.scalar(select(InvoiceRequest).where(InvoiceRequest.sub_order_id == rice_part)).issued_at is None

    # The buyer downloads it from the order; asking again afterwards has nothing left to ask.
    shopper = shop["shopper"]
    order_page = shopper.get(f"/orders/{order.id}").get_data(as_text=True)
    assert f'href="/invoices/{issued.id}/file"' in order_page and "issued once this part is paid" in order_page
    assert shopper.get(f"/invoices/{issued.id}/file").data == PDF
    again = shopper.post(f"/orders/{order.id}/invoice", data={"kind": "personal", "title": "周静"})
    assert again.status_code == 409 and "No paid part" in again.get_data(as_text=True)
    assert _count(InvoiceRequest) == 2


def test_a_personal_invoice_keeps_no_taxpayer_id(shop):
    form = checkout_form(invoice_wanted="y", invoice_kind="personal", invoice_title="  周   静 ",
                         invoice_taxpayer_id="not a code")
    assert shop["shopper"].post("/checkout", data=form).status_code == 302
    db.session.rollback()
    requests = db.session.scalars(select(InvoiceRequest)).all()
    assert len(requests) == 2
    assert {(r.kind, r.title, r.taxpayer_id) for r in requests} == {(InvoiceKind.PERSONAL, "周 静", None)}


def test_invoice_answers_without_the_box_ticked_ask_for_nothing(shop, outbox):
    form = checkout_form(**dict(COMPANY, invoice_wanted="", invoice_taxpayer_id="nonsense"))
    assert shop["shopper"].post("/checkout", data=form).status_code == 302
    assert _count(Order) == 1 and _count(InvoiceRequest) == 0
    notices = [m.get_body().get_content() for m in outbox() if "received" not in m["Subject"]]  # sellers' mail
    assert len(notices) == 2 and not any("发票" in body for body in notices)
    assert "Invoice asked" not in shop["tea_seller"].get("/seller/orders").get_data(as_text=True)


@pytest.mark.parametrize(("answers", "field", "message"), [
    ({"invoice_taxpayer_id": "91110000600037341X"}, "invoice_taxpayer_id", "unified social credit code"),
    ({"invoice_taxpayer_id": "9111000060003734"}, "invoice_taxpayer_id", "unified social credit code"),
    ({"invoice_taxpayer_id": ""}, "invoice_taxpayer_id", "unified social credit code"),
    ({"invoice_taxpayer_id": "９１１１００００６０００３７３４１Ｌ'; DROP TABLE orders;--"}, "invoice_taxpayer_id", ""),
    ({"invoice_title": "   "}, "invoice_title", "invoice title"),
    ({"invoice_title": "茶" * 101}, "invoice_title", ""),
    ({"invoice_kind": "government"}, "invoice_kind", "personal or a company"),
])
def test_a_bad_invoice_answer_is_named_and_nothing_is_saved(shop, answers, field, message):
    stock_before = (fresh(Listing, shop["tea"].id).stock, fresh(Listing, shop["rice"].id).stock)
    response = shop["shopper"].post("/checkout", data=checkout_form(**dict(COMPANY, **answers)))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-errors"' in page and message in page
    assert 'id="invoice-choice" open' in page  # the folded invoice box opens on its error
    assert _count(Order) == 0 and _count(InvoiceRequest) == 0
    assert _count(CartItem) == 2
    assert (fresh(Listing, shop["tea"].id).stock, fresh(Listing, shop["rice"].id).stock) == stock_before


def test_an_order_cancelled_before_payment_owes_no_invoice(shop):
    assert shop["shopper"].post("/checkout", data=checkout_form(**COMPANY)).status_code == 302
    db.session.rollback()
    order = db.session.scalars(select(Order)).one()
    tea_part = next(sub.id for sub in order.sub_orders if sub.cooperative_id == shop["tea"].cooperative_id)
    assert shop["shopper"].post(f"/orders/{order.id}/cancel").status_code == 302
    assert "issued once this part is paid" not in shop["shopper"].get(f"/orders/{order.id}").get_data(as_text=True)
    page = shop["tea_seller"].get(f"/seller/orders/{tea_part}").get_data(as_text=True)
    assert "no invoice is due" in page and 'name="invoice_file"' not in page
    refused = shop["tea_seller"].post(f"/seller/orders/{tea_part}/invoice", follow_redirects=True)
    assert "not paid yet" in refused.get_data(as_text=True)
    db.session.rollback()
    assert all(r.issued_at is None for r in db.session.scalars(select(InvoiceRequest)))
