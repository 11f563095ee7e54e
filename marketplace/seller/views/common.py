"""What the seller views share: the cooperative a page works on."""
from __future__ import annotations

from flask import abort, request, session
from flask_login import current_user

from marketplace.core.numbers import parse_int
from marketplace.seller import services
from marketplace.seller.views import CHOSEN_COOPERATIVE


def parse_id(raw) -> int | None:
    return parse_int(raw, minimum=1)


def working_cooperative():
    """The cooperative a form was sent for (checked), else the one chosen in the session."""
    posted = request.form.get("cooperative_id") if request.method == "POST" else None
    if posted is not None:
        return services.choose_cooperative(current_user, parse_id(posted) or -1)
    cooperative = services.current_cooperative(current_user, session.get(CHOSEN_COOPERATIVE))
    if cooperative is None:
        abort(403)
    return cooperative
