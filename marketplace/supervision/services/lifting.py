"""Lifting a supervisor's measure: a listing's take-down, a batch's freeze.

Only a market supervisor lifts a measure, never one against a cooperative they belong to
(a seller who is also a supervisor cannot lift their own sanction), with a reason that goes to the audit log and to
the cooperative. The measure stays on the public record, marked lifted. What it paused
goes back to the status it had before, where the rules of going live allow it now (the
cooperative verified, no other measure in force, the GI rules met); anything else stays
paused for the seller to publish again. Lifting a freeze also ends the recall the freeze
made (not one an official made on their own), so the badge comes back where the
certificate still holds, and the buyers who were told to stop using the goods are told.

Each lift is one transaction, taken under a lock on the measure's subject and its
sanction row, so a measure is lifted once however often the form is sent.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.core.audit import record
from marketplace.catalog.models import Batch, Listing, ListingStatus
from marketplace.catalog.services.listings import go_live_refusal
from marketplace.certification.services import access as certification_access
from marketplace.certification.models import BatchCertificate
from marketplace.certification.services.recall_end import end_recall
from marketplace.core.urls import external_url
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.core.errors import DomainError, NotAllowed
from marketplace.supervision.models import Sanction, SanctionKind
from marketplace.supervision.services.common import (
    check_supervisor,
    clean_body,
    mail_each,
)
from marketplace.supervision.services.mailing import tell_cooperative, title_of
from marketplace.supervision.services.powers import (
    buyer_emails_of_batch,
    is_frozen,
    is_taken_down,
)
from marketplace.core.timeutil import utcnow

_ON_SALE = (ListingStatus.ACTIVE.value, ListingStatus.SOLD_OUT.value)


def _locked(model, row_id: int, missing):
    row = db.session.scalar(select(model).where(model.id == row_id).with_for_update()
                            .execution_options(populate_existing=True))
    if row is None:
        raise DomainError(missing)
    return row


def _sanction_in_force(kind: SanctionKind, refused, **subject) -> Sanction:
    """The measure in force on the subject, locked; refuse (a message of its own) if none is."""
    conditions = [getattr(Sanction, column) == value for column, value in subject.items()]
    sanction = db.session.scalar(select(Sanction).where(Sanction.kind == kind, Sanction.lifted_at.is_(None),
                                                        *conditions)
                                 .order_by(Sanction.id.desc()).limit(1).with_for_update()
                                 .execution_options(populate_existing=True))
    if sanction is None:
        raise DomainError(refused)
    return sanction


def _lift(sanction: Sanction, supervisor, reason: str, now: datetime) -> None:
    if certification_access.is_member(supervisor, sanction.cooperative_id):
        raise NotAllowed(_l("You belong to this cooperative: another market supervisor must lift its measures."))
    sanction.lifted_at, sanction.lifted_by_id, sanction.lift_reason = now, supervisor.id, reason
    db.session.flush()  # the guards and go-live rules below must see the measure lifted


def _restore(listing: Listing, before: str | None, supervisor, reason: str) -> bool:
    """Put a paused listing back to its status before the measure, if it may go live now."""
    if listing.status != ListingStatus.PAUSED or before not in _ON_SALE:
        return False
    if is_taken_down(listing.id) or is_frozen(listing.batch_id) or go_live_refusal(listing) is not None:
        return False
    listing.status = ListingStatus(before)
    record(f"listing.{before}", "listing", listing.id, actor=supervisor, reason=reason,
           county_code=listing.cooperative.county_code, previous=ListingStatus.PAUSED.value, measure_lifted=True)
    return True


def lift_take_down(supervisor, listing_id: int, reason: str | None, now: datetime | None = None) -> Listing:
    """Lift the take-down of a listing; it goes back on sale if the rules allow, else stays paused."""
    check_supervisor(supervisor)
    reason = clean_body(reason, "reason", required=True)
    now = now or utcnow()
    with write_transaction():
        listing = _locked(Listing, listing_id, _l("This listing does not exist."))
        sanction = _sanction_in_force(
            SanctionKind.LISTING_TAKEN_DOWN,
            _l("This listing is not taken down: there is no take-down to lift (it may already be lifted)."),
            listing_id=listing.id)
        _lift(sanction, supervisor, reason, now)
        restored = _restore(listing, (sanction.paused_listings or {}).get(str(listing.id)), supervisor, reason)
        record("listing.take_down_lifted", "listing", listing.id, actor=supervisor, reason=reason,
               county_code=listing.cooperative.county_code, sanction_id=sanction.id, restored=restored)
        measure = (_l("The market supervisor lifted the take-down of your listing “%(title)s”: it is on sale "
                      "again.", title=title_of(listing)) if restored else
                   _l("The market supervisor lifted the take-down of your listing “%(title)s”. It stays paused: "
                      "put it back on sale from your listings when it is ready.", title=title_of(listing)))
        tell_cooperative(listing.cooperative_id,
                         _l("The take-down of your listing was lifted: %(title)s", title=title_of(listing)),
                         "supervision_measure", cooperative=listing.cooperative.name, measure=measure,
                         reason=reason, url=external_url("seller.listings"))
    return listing


def unfreeze_batch(supervisor, batch_id: int, reason: str | None, now: datetime | None = None) -> Batch:
    """Lift a batch's freeze: its recall ends, its listings go back where the rules allow."""
    check_supervisor(supervisor)
    reason = clean_body(reason, "reason", required=True)
    now = now or utcnow()
    with write_transaction():
        batch = _locked(Batch, batch_id, _l("This batch does not exist."))
        sanction = _sanction_in_force(
            SanctionKind.BATCH_FROZEN,
            _l("This batch is not frozen: there is no freeze to lift (it may already be lifted)."),
            batch_id=batch.id)
        _lift(sanction, supervisor, reason, now)
        recall_ended = _end_recall(sanction, batch, supervisor, reason, now)
        restored = []
        for listing_id, before in sorted((sanction.paused_listings or {}).items(), key=lambda item: int(item[0])):
            listing = db.session.scalar(select(Listing).where(Listing.id == int(listing_id),
                                                              Listing.batch_id == batch.id).with_for_update())
            if listing is not None and _restore(listing, before, supervisor, reason):
                restored.append(listing.id)
        record("batch.unfrozen", "batch", batch.id, actor=supervisor, reason=reason, county_code=batch.county_code,
               public=True, sanction_id=sanction.id, recall_ended=recall_ended, listings_restored=restored)
        _tell_of_unfreeze(batch, reason, recall_ended, restored)
    return batch


def _end_recall(sanction: Sanction, batch: Batch, supervisor, reason: str, now: datetime) -> bool:
    """End the recall the freeze made; a recall an official made stands until they end it."""
    if not sanction.recalled:
        return False
    certificate = db.session.scalar(select(BatchCertificate).where(BatchCertificate.batch_id == batch.id)
                                    .with_for_update())
    if certificate is None or certificate.recalled_at is None:
        return False
    try:
        end_recall(supervisor, certificate, reason, now)
    except DomainError as error:
        raise DomainError(str(error), "reason") from error
    db.session.flush()
    return True


def _tell_of_unfreeze(batch: Batch, reason: str, recall_ended: bool, restored: list[int]) -> None:
    if restored:
        measure = _l("The market supervisor lifted the freeze of batch no. %(id)s: %(n)s of its listings are on "
                     "sale again.", id=batch.id, n=len(restored))
    else:
        measure = _l("The market supervisor lifted the freeze of batch no. %(id)s. Its listings stay paused: put "
                     "them back on sale from your listings when they are ready.", id=batch.id)
    tell_cooperative(batch.cooperative_id, _l("The freeze of your batch no. %(id)s was lifted", id=batch.id),
                     "supervision_measure", cooperative="", measure=measure, reason=reason,
                     url=external_url("seller.listings"))
    if recall_ended:
        mail_each(buyer_emails_of_batch(batch.id), _l("Recall ended: goods you bought"), "supervision_recall_ended",
                  batch_id=batch.id, reason=reason)
