"""Who may sell under a protected GI name, and pausing the listings that lose the right.

A live listing linked to a batch sells under that batch's protected name (the catalog's
name rule makes its title say it). It may do so only while the cooperative holds a valid
authorization for the product, the batch passed validation, and the batch's certificate
was not revoked; the badge needs a valid certificate on top.

When the right goes, the listings go with it, in the same transaction as the decision:
an official's suspension or revocation of the authorization, the revocation of the
batch's certificate. An authorization that simply runs out changes no row, so
`pause_lapsed_name_use` finds the ones that ran out since the last look and pauses their
listings before pages that show listings are read (and `flask certification expire`
does a full sweep from cron). Each paused listing gets an audit row, and the members are
told why by mail; the seller's list shows the reason beside the listing.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, exists, or_, select

from marketplace.catalog.go_live import add_go_live_rule
from marketplace.catalog.models import Batch, Listing, ListingStatus
from marketplace.catalog.standards import current_catalogue
from marketplace.certification.services import catalogue, notifications
from marketplace.certification.services.batch_verdict import batch_passes
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    CertificateStatus,
    GIAuthorization,
)
from marketplace.cooperatives.models import Cooperative
from marketplace.core.audit import AuditEntry, record
from marketplace.core.database import end_read, write_transaction
from marketplace.core.errors import DomainError
from marketplace.core.i18n import current_language
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

#: The audit action of a listing paused because its GI name may no longer be used.
PAUSED_ACTION = "listing.name_use_paused"
#: Statuses in which a listing is (or returns by itself to being) offered to shoppers.
OFFERED = (ListingStatus.ACTIVE, ListingStatus.SOLD_OUT)

#: Why the right to the name went, as told to the seller.
BECAUSE = {
    "authorization_suspended": _l("your cooperative's authorization to use the GI mark of "
                                  "%(product)s was suspended"),
    "authorization_revoked": _l("your cooperative's authorization to use the GI mark of "
                                "%(product)s was revoked"),
    "authorization_expired": _l("your cooperative's authorization to use the GI mark of "
                                "%(product)s has expired"),
    "authorization_missing": _l("your cooperative holds no valid authorization to use the GI "
                                "mark of %(product)s"),
    "certificate_revoked": _l("the certificate of the batch of %(product)s was revoked"),
}

_EXTENSION = "terroir_name_use"


def because_text(because: str, standard_slug: str) -> str:
    """The reason code of a pause, as a sentence fragment in the reader's language."""
    template = BECAUSE.get(because, BECAUSE["authorization_missing"])
    return str(template) % {"product": catalogue.product_name(standard_slug, current_language())}


# --- the rule for going live -----------------------------------------------------------


def _valid_authorization_condition(at: datetime):
    return and_(GIAuthorization.status == AuthorizationStatus.APPROVED,
                GIAuthorization.valid_until > at,
                or_(GIAuthorization.valid_from.is_(None), GIAuthorization.valid_from <= at))


def holds_valid_authorization(cooperative_id: int, standard_slug: str, at: datetime) -> bool:
    return db.session.scalar(select(exists().where(
        GIAuthorization.cooperative_id == cooperative_id,
        GIAuthorization.standard_slug == standard_slug,
        _valid_authorization_condition(at)))) or False


def _locked(query, lock: bool):
    return query.with_for_update().execution_options(populate_existing=True) if lock else query


def check_name_use(title: str, description: str, batch, cooperative, *, lock: bool = True) -> None:
    """Refuse to put a listing live under a batch's GI name without the right to the name."""
    if batch is None:
        return
    product = catalogue.product_name(batch.standard_slug, current_language())
    # Lock the rows an official's decision locks too, so a publish and a revocation at the
    # same moment run one after the other: either the decision pauses the listing this
    # save makes live, or this save sees the decision and refuses.
    now = utcnow()
    authorizations = db.session.scalars(_locked(
        select(GIAuthorization).where(GIAuthorization.cooperative_id == cooperative.id,
                                      GIAuthorization.standard_slug == batch.standard_slug), lock)).all()
    if not any(a.is_valid_at(now) for a in authorizations):
        raise DomainError(_(
            "Your cooperative holds no valid authorization to use the GI name of %(product)s "
            "(none yet, or it was suspended, revoked or has expired), so a listing sold under "
            "that name cannot go live. Apply for the mark, or save the listing as a draft.",
            product=product), "status")
    if not batch_passes(batch):
        raise DomainError(_(
            "The linked batch did not pass validation against the standard of %(product)s, so "
            "it cannot be sold under the product's name. Correct the batch or link another one.",
            product=product), "batch_id")
    certificate = db.session.scalar(_locked(select(BatchCertificate).where(BatchCertificate.batch_id == batch.id),
                                            lock))
    if certificate is not None and certificate.status == CertificateStatus.REVOKED:
        raise DomainError(_(
            "The certificate of the linked batch was revoked, so it can no longer be sold under "
            "the name of %(product)s. Link another batch.", product=product), "batch_id")


# --- pausing the listings that lose the right --------------------------------------------


def _uses_name(listing: Listing, standard_slug: str, batch_id: int | None) -> bool:
    if batch_id is not None:
        return listing.batch_id == batch_id
    if listing.batch is not None and listing.batch.standard_slug == standard_slug:
        return True
    text = f"{listing.title}\n{listing.description}"
    return any(match.slug == standard_slug for match in current_catalogue().find_protected_names(text))


def pause_listings_using_name(*, cooperative_id: int, standard_slug: str, because: str,
                              batch_id: int | None = None, reason: str = "", actor=None) -> list[int]:
    """Pause the cooperative's offered listings that use the product's name (or the batch).

    Call inside the decision's write transaction: the pause, its audit rows and the mail
    commit with the decision or not at all. Returns the ids paused.
    """
    listings = db.session.scalars(
        select(Listing).where(Listing.cooperative_id == cooperative_id, Listing.status.in_(OFFERED))
        .order_by(Listing.id).with_for_update().execution_options(populate_existing=True)).all()
    paused = [listing for listing in listings if _uses_name(listing, standard_slug, batch_id)]
    if not paused:
        return []
    cooperative = db.session.get(Cooperative, cooperative_id)
    for listing in paused:
        previous = listing.status
        listing.status = ListingStatus.PAUSED
        record(PAUSED_ACTION, "listing", listing.id, actor=actor, reason=reason,
               county_code=cooperative.county_code, previous=previous.value, because=because,
               standard_slug=standard_slug, batch_id=listing.batch_id)
    _tell_members(cooperative, standard_slug, because, reason, [listing.title for listing in paused])
    return [listing.id for listing in paused]


def _tell_members(cooperative: Cooperative, standard_slug: str, because: str, reason: str,
                  titles: list[str]) -> None:

    product = catalogue.product_name(standard_slug, current_language())
    notifications.tell_members(
        cooperative.id, _("Listings paused: %(product)s", product=product), "listings_paused",
        cooperative=cooperative.name, product=product, because=because_text(because, standard_slug),
        reason=reason, titles=titles, url=notifications.absolute_url("seller.listings"))


def pause_for_authorization(authorization: GIAuthorization, because: str, *, reason: str = "",
                            actor=None, at: datetime | None = None) -> list[int]:
    """Pause what used an authorization's name, unless another valid one still covers it."""
    if holds_valid_authorization(authorization.cooperative_id, authorization.standard_slug, at or utcnow()):
        return []
    return pause_listings_using_name(cooperative_id=authorization.cooperative_id,
                                     standard_slug=authorization.standard_slug, because=because,
                                     reason=reason, actor=actor)


def listings_without_name_right(at: datetime) -> list[tuple[int, str]]:
    """(cooperative, product) pairs with offered listings on a batch and no valid authorization."""
    valid = exists().where(GIAuthorization.cooperative_id == Batch.cooperative_id,
                           GIAuthorization.standard_slug == Batch.standard_slug,
                           _valid_authorization_condition(at))
    rows = db.session.execute(
        select(Batch.cooperative_id, Batch.standard_slug).join(Listing, Listing.batch_id == Batch.id)
        .where(Listing.status.in_(OFFERED), ~valid).distinct()).all()
    return sorted((cooperative_id, slug) for cooperative_id, slug in rows)


def _because_missing(cooperative_id: int, standard_slug: str, at: datetime) -> str:
    expired = db.session.scalar(select(exists().where(
        GIAuthorization.cooperative_id == cooperative_id, GIAuthorization.standard_slug == standard_slug,
        GIAuthorization.status == AuthorizationStatus.APPROVED, GIAuthorization.valid_until <= at)))
    return "authorization_expired" if expired else "authorization_missing"


def pause_without_name_right(at: datetime | None = None,
                             pairs: list[tuple[int, str]] | None = None) -> int:
    """Pause every offered listing whose cooperative lost the right to its batch's name.

    `pairs` narrows the sweep to some (cooperative, product) pairs; each pair is its own
    transaction, re-checked under the write lock.
    """
    at = at or utcnow()
    pairs = listings_without_name_right(at) if pairs is None else pairs
    end_read()  # before each pair takes the write lock
    count = 0
    for cooperative_id, slug in pairs:
        with write_transaction():
            if holds_valid_authorization(cooperative_id, slug, at):
                continue
            count += len(pause_listings_using_name(
                cooperative_id=cooperative_id, standard_slug=slug,
                because=_because_missing(cooperative_id, slug, at)))
    return count


def pause_lapsed_name_use(at: datetime | None = None) -> int:
    """Pause the listings of authorizations that ran out since this app last looked.

    Cheap enough to run before every page that shows listings: it reads only the
    authorizations whose end fell in the window since the last look.
    """
    app = current_app._get_current_object()
    state = app.extensions.setdefault(_EXTENSION, {"lock": threading.Lock(), "at": None})
    now = at or utcnow()
    with state["lock"]:
        since = state["at"] or now - timedelta(days=app.config["SEARCH_EXPIRY_LOOKBACK_DAYS"])
        state["at"] = now
    pairs = sorted(set(db.session.execute(
        select(GIAuthorization.cooperative_id, GIAuthorization.standard_slug)
        .where(GIAuthorization.valid_until > since, GIAuthorization.valid_until <= now)).all()))
    if not pairs:
        return 0
    lapsed = set(listings_without_name_right(now))
    return pause_without_name_right(now, [pair for pair in pairs if tuple(pair) in lapsed])


def last_pauses(listing_ids) -> dict[int, AuditEntry]:
    """The latest name-use pause of each listing, for the seller's list."""
    ids = [str(i) for i in listing_ids]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == PAUSED_ACTION, AuditEntry.subject_type == "listing",
                                 AuditEntry.subject_id.in_(ids)).order_by(AuditEntry.id))
    return {int(entry.subject_id): entry for entry in rows}


# --- wiring -----------------------------------------------------------------------------

#: Blueprints whose pages show listings or sell them: lapsed names are paused before them.
_READERS = ("storefront", "search", "seller", "orders_seller", "orders", "certification_seller",
            "cooperatives")

def _before_listing_pages():
    if request.blueprint and request.blueprint.split(".")[0] in _READERS:
        # Mail is rendered after the pause commits, and templates read the signed-in user:
        # load it now, while the session may still query.
        current_user._get_current_object()
        pause_lapsed_name_use()


def init_app(app) -> None:
    """Add the name-use rule to going live, and the pause before listing pages."""
    add_go_live_rule(app, check_name_use)
    app.before_request(_before_listing_pages)
