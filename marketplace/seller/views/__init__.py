"""The seller blueprint object, shared by the view modules of this area."""
from flask import Blueprint

bp = Blueprint("seller", __name__, url_prefix="/seller")

#: Session key of the cooperative the seller last chose to work on (a preference only).
CHOSEN_COOPERATIVE = "seller_cooperative_id"
