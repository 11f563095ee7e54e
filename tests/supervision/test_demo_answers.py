"""`flask demo load` shows a lifted take-down and flagged payments open and handled, once."""
import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.supervision.models import PaymentReview, Sanction

pytestmark = pytest.mark.timeout(1800)


def test_the_demo_holds_a_lifted_take_down_and_flags_open_and_handled(app, make_user, make_cooperative,
                                                                      make_listing_for_sale, capsys):
    from marketplace.demo import orders as orders_demo
    from marketplace.demo import supervision_answers as demo

    for email in orders_demo.BUYERS:
        make_user(email)
    supervisor = make_user("supervisor@terroir.demo", supervisor=True)
    for county in ("330106", "230184"):
        cooperative = make_cooperative(make_user(), county=county)
        for _ in range(2):
            make_listing_for_sale(cooperative, stock=40)
    orders_demo.load()
    for _ in range(2):  # the second run adds nothing
        with app.test_request_context("/"):
            demo.load_answers(supervisor)
    [sanction] = db.session.scalars(select(Sanction)).all()
    assert sanction.lifted_at is not None and sanction.lift_reason == demo.LIFT_REASON
    assert db.session.scalar(select(func.count(Order.id)).where(Order.flagged.is_(True))) == 1
    [review] = db.session.scalars(select(PaymentReview)).all()
    assert review.note == demo.CLEARED_NOTE and review.outcome.value == "cleared"
