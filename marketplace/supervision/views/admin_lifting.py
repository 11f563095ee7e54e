"""The market supervisor's pages for lifting a measure: a listing's take-down, a batch's freeze.

The routes hang on the supervisor's blueprint (`supervision_admin`) and answer on the
measures page of the cooperative, like the measures themselves.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.permissions import supervisor_required
from marketplace.catalog.models import Batch, Listing
from marketplace.extensions import db
from marketplace.supervision.services import lifting
from marketplace.supervision.views.admin import _measure, bp


@bp.post("/listings/<int:listing_id>/lift-take-down")
@supervisor_required
def lift_take_down(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    return _measure(listing.cooperative_id, f"lift-listing-{listing_id}",
                    lambda reason: lifting.lift_take_down(current_user, listing_id, reason),
                    _("The take-down is lifted; its cooperative is told."))


@bp.post("/batches/<int:batch_id>/unfreeze")
@supervisor_required
def unfreeze(batch_id: int):
    batch = db.get_or_404(Batch, batch_id)
    return _measure(batch.cooperative_id, f"lift-batch-{batch_id}",
                    lambda reason: lifting.unfreeze_batch(current_user, batch_id, reason),
                    _("The freeze is lifted; its cooperative and buyers are told."))
