"""Demo data of what happens after the sale: cooperatives' payee accounts (so bank transfer
is offered), and delivered orders with after-sales requests waiting for the seller and for
a supervisor. Each case is known by its order's street ("… · demo:after-sale-…"), so the
step adds only what is missing.
"""
from __future__ import annotations

import io

import click
from flask import current_app
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.cooperatives.models import Cooperative, CooperativeStatus
from marketplace.cooperatives.payee import PayeeAccount
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import Order

#: bank, account number, by the cooperative's county (any other county: the first line).
BANKS = {
    "330106": ("中国农业银行杭州西湖支行", "6228480318765432101"),
    "230184": ("中国邮政储蓄银行五常市支行", "6221881234567890123"),
    "350524": ("福建安溪农村商业银行城厢支行", "9070112233445566778"),
}
DEFAULT_BANK = ("中国农业银行", "6228480399990000111")

#: (case, buyer email, how far the after-sales request goes)
CASES = [
    ("after-sale-open", "consumer@terroir.demo", "requested"),
    ("after-sale-escalated", "consumer2@terroir.demo", "escalated"),
]
REASON = "到货时部分桃子已经腐烂，有明显霉斑，见照片。Some peaches arrived rotten, with mould (see photo)."


def load_payee_accounts() -> None:
    """Give every verified demo cooperative a payee account (bank transfer is offered only then)."""
    added = 0
    with write_transaction():
        for cooperative in db.session.scalars(select(Cooperative).where(
                Cooperative.status == CooperativeStatus.VERIFIED)):
            if db.session.scalar(select(PayeeAccount.id).where(PayeeAccount.cooperative_id == cooperative.id)):
                continue
            bank, number = BANKS.get(cooperative.county_code, DEFAULT_BANK)
            db.session.add(PayeeAccount(cooperative_id=cooperative.id, bank_name=bank,
                                        account_name=cooperative.name, account_number=number))
            added += 1
    click.echo(f"  {added} new payee accounts")


def load() -> None:
    """Add the delivered demo orders with an after-sales request, if missing."""
    from marketplace.demo.orders import (
        ADDRESSES,
        _listings_by_cooperative,
        _move_to,
        _pick,
        _place,
    )

    by_cooperative = _listings_by_cooperative()
    created = 0
    with current_app.test_request_context("/"):
        for index, (case, email, reach) in enumerate(CASES):
            buyer = db.session.scalar(select(User).where(User.email == email))
            street = f"演示路 {100 + index} 号 · demo:{case}"
            if buyer is None or not by_cooperative or db.session.scalar(
                    select(Order.id).where(Order.buyer_id == buyer.id, Order.street == street)):
                continue
            order_id = _place(buyer, _pick(by_cooperative, 1, case), "bank_transfer",
                              dict(ADDRESSES[index % len(ADDRESSES)], street=street))
            if order_id is None:
                continue
            _move_to("delivered", order_id, buyer)
            _request(buyer, order_id, reach)
            created += 1
    click.echo(f"  {created} new demo after-sales cases")


def _request(buyer: User, order_id: int, reach: str) -> None:
    from marketplace.core.uploads import Upload
    from marketplace.demo.orders import _owner_of
    from marketplace.orders.services import after_sale, after_sale_answers

    order = db.session.get(Order, order_id)
    sub = order.sub_orders[0]
    amount = f"{min(sub.total_minor, 3000) / 100:.2f}"
    request_id = after_sale.request_after_sale(buyer, order_id, sub.id, kind="refund", reason=REASON, amount=amount,
                                               uploads=[Upload("rotten-peach.jpg", _photo())])
    if reach == "escalated":
        seller = _owner_of(sub.cooperative_id)
        after_sale_answers.refuse(seller, request_id, "照片中的桃子是签收后存放不当造成的。Stored badly after delivery.")
        after_sale.escalate(buyer, request_id)


def _photo() -> bytes:
    """A small picture standing for the buyer's photo of the rotten fruit."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (236, 170, 120))
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 50, 230, 190), fill=(232, 140, 90))
    draw.ellipse((150, 90, 200, 140), fill=(90, 70, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()
