"""The seller's dashboard and the cooperative switcher; batch and listing pages live in
batches.py and listings.py, on the same blueprint."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from marketplace.core.permissions import seller_required
from marketplace.core.i18n import safe_next
from marketplace.seller import services
from marketplace.seller.views import CHOSEN_COOPERATIVE, bp
from marketplace.seller.views.common import parse_id
from marketplace.seller.forms import SwitchCooperativeForm


@bp.get("/")
@seller_required
def dashboard():
    board = services.dashboard(current_user, session.get(CHOSEN_COOPERATIVE))
    if board is None:
        abort(403)
    switcher = SwitchCooperativeForm(cooperative_id=board.cooperative.id)
    switcher.cooperative_id.choices = [(c.id, c.name) for c in board.cooperatives]
    return render_template("seller/dashboard.html", board=board, switcher=switcher,
                           orders_url=_orders_url())


@bp.post("/cooperative")
@seller_required
def switch_cooperative():
    """Remember which of the user's cooperatives the seller pages work on."""
    cooperative = services.choose_cooperative(current_user, parse_id(request.form.get("cooperative_id")) or -1)
    session[CHOSEN_COOPERATIVE] = cooperative.id
    return redirect(safe_next(request.form.get("next"), url_for("seller.dashboard")))


def _orders_url() -> str:
    """The cooperative's orders page."""
    return url_for("orders_seller.index")
