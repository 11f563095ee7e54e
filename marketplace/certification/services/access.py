"""Who may see and decide what in certification: the rules every page and service asks.

An official decides only in the counties they are appointed to, and never for a
cooperative they belong to. Market supervisors see everything but decide nothing here.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import NotAllowed


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_member(user, cooperative_id: int) -> bool:
    return _authenticated(user) and cooperative_id in user.cooperative_ids()


def may_review(user, county_code: str) -> bool:
    """Officials of the county and supervisors may look at a file of that county."""
    if not _authenticated(user):
        return False
    return bool(user.is_supervisor) or county_code in user.county_codes


def check_may_decide(user, county_code: str, cooperative_id: int) -> None:
    """Refuse a decision by anyone but an official of the county outside the cooperative."""
    if not _authenticated(user) or county_code not in user.county_codes:
        raise NotAllowed(_l("Only an official appointed to this county can decide on it."))
    if is_member(user, cooperative_id):
        raise NotAllowed(_l("You are a member of this cooperative: another official must decide."))


def may_decide(user, county_code: str, cooperative_id: int) -> bool:
    try:
        check_may_decide(user, county_code, cooperative_id)
    except NotAllowed:
        return False
    return True


def check_member(user, cooperative_id: int) -> None:
    if not is_member(user, cooperative_id):
        raise NotAllowed(_l("Only members of the cooperative can do this."))


def may_view_document(user, document) -> bool:
    """Members of the cooperative, officials of its county and supervisors may open it."""
    authorization = document.authorization
    return is_member(user, authorization.cooperative_id) or may_review(user, authorization.county_code)


def recall_role(user, cooperative_county_code: str, cooperative_id: int) -> str:
    """Say as whom `user` may recall a batch ("supervisor" or "county"), or refuse.

    A market supervisor may, anywhere; so may an official of the cooperative's own county
    (its county office answers for what it sells), unless a member of the cooperative.
    """
    if not _authenticated(user):
        raise NotAllowed(_l("Only a market supervisor or an official of the cooperative's county can recall."))
    if user.is_supervisor:
        return "supervisor"
    if cooperative_county_code not in user.county_codes:
        raise NotAllowed(_l("Only a market supervisor or an official of the cooperative's county can recall."))
    if is_member(user, cooperative_id):
        raise NotAllowed(_l("You are a member of this cooperative: another official must decide."))
    return "county"


def may_recall(user, cooperative_county_code: str, cooperative_id: int) -> bool:
    try:
        recall_role(user, cooperative_county_code, cooperative_id)
    except NotAllowed:
        return False
    return True
