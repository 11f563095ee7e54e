"""The seller's pages, one module per topic (dashboard, batches, listings) on one blueprint."""
from flask import Blueprint

bp = Blueprint("seller", __name__, url_prefix="/seller")

#: Session key of the cooperative the seller last chose to work on (a preference only).
CHOSEN_COOPERATIVE = "seller_cooperative_id"
