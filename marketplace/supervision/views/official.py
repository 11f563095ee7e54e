"""County officials' pages: complaints about GI claims of cooperatives in their counties."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from marketplace.core.permissions import official_required
from marketplace.supervision.views import handling

bp = Blueprint("supervision_official", __name__, url_prefix="/official")


@bp.get("/complaints")
@official_required
def complaints_page():
    return handling.complaint_list(current_user)


@bp.get("/complaints/<int:complaint_id>")
@official_required
def complaint(complaint_id: int):
    return handling.complaint_page(complaint_id)


@bp.post("/complaints/<int:complaint_id>/step")
@official_required
def step(complaint_id: int):
    return handling.step(complaint_id)


@bp.post("/complaints/<int:complaint_id>/note")
@official_required
def note(complaint_id: int):
    return handling.note(complaint_id)
