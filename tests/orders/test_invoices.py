"""Invoices (发票): asked by the buyer, issued by the cooperative, read by them and supervisors only."""
import io

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import InvoiceKind, InvoiceRequest
from tests.orders.test_order_life import as_user

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
GOOD_CODE = "91110000600037341L"


def test_a_company_invoice_is_asked_issued_and_downloaded_by_those_allowed(app, login, make_user,
                                                                          two_cooperative_order):
    world = two_cooperative_order
    order_id = world["order"].id
    shopper = as_user(app, login, world["shopper"])
    tea_seller, rice_seller = as_user(app, login, world["tea_seller"]), as_user(app, login, world["rice_seller"])
    form = {"kind": "company", "title": "杭州茶叶有限公司", "taxpayer_id": GOOD_CODE}

    # Nothing paid yet: nothing to invoice (a conflict with the order's state, not bad input).
    unpaid = shopper.post(f"/orders/{order_id}/invoice", data=form)
    assert unpaid.status_code == 409 and "waiting for an invoice" in unpaid.get_data(as_text=True)
    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment").status_code == 302

    bad = shopper.post(f"/orders/{order_id}/invoice", data=dict(form, taxpayer_id="91110000600037341X"))
    assert bad.status_code == 400 and "unified social credit code" in bad.get_data(as_text=True)
    assert 'id="taxpayer_id"' in bad.get_data(as_text=True)
    untitled = shopper.post(f"/orders/{order_id}/invoice", data=dict(form, title="  "))
    assert untitled.status_code == 400 and "invoice title" in untitled.get_data(as_text=True)
    assert db.session.scalar(select(InvoiceRequest)) is None

    # Someone else's order: not found, nothing stored.
    stranger = as_user(app, login, make_user())
    assert stranger.post(f"/orders/{order_id}/invoice", data=form).status_code == 404
    assert shopper.post(f"/orders/{order_id}/invoice", data=form).status_code == 302
    assert shopper.post(f"/orders/{order_id}/invoice", data=form).status_code == 409  # asked already
    db.session.rollback()
    [invoice] = db.session.scalars(select(InvoiceRequest)).all()  # only the paid (tea) part
    assert (invoice.sub_order_id, invoice.kind, invoice.taxpayer_id) == (world["tea_part"], InvoiceKind.COMPANY,
                                                                        GOOD_CODE)
    assert "杭州茶叶有限公司" in tea_seller.get(f"/seller/orders/{world['tea_part']}").get_data(as_text=True)

    # Only the part's own cooperative issues it; a text file is refused by its content.
    assert rice_seller.post(f"/seller/orders/{world['tea_part']}/invoice",
                            data={"invoice_file": (io.BytesIO(PDF), "f.pdf")}).status_code == 404
    refused = tea_seller.post(f"/seller/orders/{world['tea_part']}/invoice",
                              data={"invoice_file": (io.BytesIO(b"hello"), "f.pdf")}, follow_redirects=True)
    assert "Invoice issued" not in refused.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(InvoiceRequest, invoice.id).issued_at is None
    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/invoice",
                           data={"invoice_file": (io.BytesIO(PDF), "发票.pdf")}).status_code == 302

    url = f"/invoices/{invoice.id}/file"
    assert f'href="{url}"' in shopper.get(f"/orders/{order_id}").get_data(as_text=True)
    for allowed in (shopper, tea_seller, as_user(app, login, make_user(supervisor=True))):
        response = allowed.get(url)
        assert response.status_code == 200 and response.data == PDF
    for refused_client in (stranger, rice_seller, app.test_client()):
        assert refused_client.get(url).status_code in (302, 404)
        assert refused_client.get(url).data != PDF


def test_a_personal_invoice_can_be_marked_issued_without_a_file(app, login, two_cooperative_order):
    world = two_cooperative_order
    shopper = as_user(app, login, world["shopper"])
    tea_seller = as_user(app, login, world["tea_seller"])
    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment").status_code == 302
    assert shopper.post(f"/orders/{world['order'].id}/invoice",
                        data={"kind": "personal", "title": "周静"}).status_code == 302
    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/invoice").status_code == 302
    db.session.rollback()
    invoice = db.session.scalar(select(InvoiceRequest))
    assert invoice.issued_at is not None and invoice.filename is None and invoice.taxpayer_id is None
    assert "Issued by the cooperative" in shopper.get(f"/orders/{world['order'].id}").get_data(as_text=True)
