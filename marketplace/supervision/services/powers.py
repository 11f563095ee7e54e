"""A market supervisor's measures against listings and batches, each with a reason.

Each measure is one transaction: the change, the public sanction row, the audit row and
the mail to everyone concerned commit together or not at all.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog.models import Batch, Listing, ListingStatus
from marketplace.certification.services import certificates
from marketplace.certification.models import BatchCertificate, CertificateStatus
from marketplace.core.audit import record
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError
from marketplace.core.timeutil import utcnow
from marketplace.core.urls import external_url
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderLine, SubOrder
from marketplace.supervision.models import Sanction, SanctionKind
from marketplace.supervision.services.common import (
    check_supervisor,
    clean_body,
    mail_each,
)
from marketplace.supervision.services.mailing import tell_cooperative, title_of

_RECALLABLE = (CertificateStatus.CERTIFIED, CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)


def add_sanction(kind: SanctionKind, cooperative_id: int, supervisor, reason: str, now: datetime, **subject):
    sanction = Sanction(kind=kind, cooperative_id=cooperative_id, actor_id=supervisor.id, reason=reason,
                        created_at=now, **subject)
    db.session.add(sanction)
    return sanction


def is_taken_down(listing_id: int) -> bool:
    return db.session.scalar(select(Sanction.id).where(
        Sanction.kind == SanctionKind.LISTING_TAKEN_DOWN, Sanction.listing_id == listing_id,
        Sanction.lifted_at.is_(None)).limit(1)) is not None


def is_frozen(batch_id: int | None) -> bool:
    if batch_id is None:
        return False
    return db.session.scalar(select(Sanction.id).where(
        Sanction.kind == SanctionKind.BATCH_FROZEN, Sanction.batch_id == batch_id,
        Sanction.lifted_at.is_(None)).limit(1)) is not None


def _pause(listing: Listing, supervisor, reason: str, action: str) -> str:
    """Pause the listing for a measure; return its status before, for lifting the measure."""
    before = listing.status
    listing.status = ListingStatus.PAUSED
    record(action, "listing", listing.id, actor=supervisor, reason=reason,
           county_code=listing.cooperative.county_code, previous=before.value)
    return before.value


def take_down_listing(supervisor, listing_id: int, reason: str | None, complaint_id: int | None = None,
                      now: datetime | None = None) -> Listing:
    """Take a listing off sale for good; its sellers are told why and cannot put it back."""
    check_supervisor(supervisor)
    reason = clean_body(reason, "reason", required=True)
    now = now or utcnow()
    with write_transaction():
        listing = db.session.scalar(select(Listing).where(Listing.id == listing_id).with_for_update()
                                    .execution_options(populate_existing=True))
        if listing is None:
            raise DomainError(_l("This listing does not exist."))
        if is_taken_down(listing.id):
            raise DomainError(_l("This listing is already taken down."))
        before = _pause(listing, supervisor, reason, "listing.taken_down")
        add_sanction(SanctionKind.LISTING_TAKEN_DOWN, listing.cooperative_id, supervisor, reason, now,
                     listing_id=listing.id, complaint_id=complaint_id, paused_listings={str(listing.id): before})
        tell_cooperative(
            listing.cooperative_id, _l("Your listing was taken down: %(title)s", title=title_of(listing)),
            "supervision_measure", cooperative=listing.cooperative.name,
            measure=_l("The market supervisor took down your listing “%(title)s”.", title=title_of(listing)),
            reason=reason, url=external_url("storefront.cooperative", cooperative_id=listing.cooperative_id))
    return listing


def buyer_emails_of_batch(batch_id: int) -> list[str]:
    """Everyone who paid for goods of the batch (a recall must reach each of them)."""
    return list(db.session.scalars(
        select(User.email).distinct()
        .join(Order, Order.buyer_id == User.id)
        .join(SubOrder, SubOrder.order_id == Order.id)
        .join(OrderLine, OrderLine.sub_order_id == SubOrder.id)
        .join(Listing, Listing.id == OrderLine.listing_id)
        .where(Listing.batch_id == batch_id, SubOrder.paid_at.is_not(None))
        .order_by(User.email)))


def freeze_batch(supervisor, batch_id: int, reason: str | None, complaint_id: int | None = None,
                 now: datetime | None = None) -> Batch:
    """Freeze a batch: its badge goes (a recall), its listings pause, its buyers are told.

    The recall is the certification area's own (the verify page shows its notice), so the
    badge rule withdraws the badge everywhere at once; a batch never certified has no
    verify page and is only paused.
    """
    check_supervisor(supervisor)
    reason = clean_body(reason, "reason", required=True)
    now = now or utcnow()
    with write_transaction():
        batch = db.session.scalar(select(Batch).where(Batch.id == batch_id).with_for_update())
        if batch is None:
            raise DomainError(_l("This batch does not exist."))
        if is_frozen(batch.id):
            raise DomainError(_l("This batch is already frozen."))
        certificate = db.session.scalar(select(BatchCertificate).where(BatchCertificate.batch_id == batch.id)
                                        .with_for_update())
        recalled = (certificate is not None and certificate.status in _RECALLABLE
                    and certificate.recalled_at is None)
        if recalled:
            try:
                certificates.apply_recall(supervisor, certificate, reason, now)
            except DomainError as error:
                raise DomainError(str(error), "reason") from error
        listings = db.session.scalars(select(Listing).where(
            Listing.batch_id == batch.id, Listing.status != ListingStatus.PAUSED).with_for_update()).all()
        paused = {str(listing.id): _pause(listing, supervisor, reason, "listing.paused_batch_frozen")
                  for listing in listings}
        add_sanction(SanctionKind.BATCH_FROZEN, batch.cooperative_id, supervisor, reason, now,
                     batch_id=batch.id, complaint_id=complaint_id, paused_listings=paused, recalled=recalled)
        record("batch.frozen", "batch", batch.id, actor=supervisor, reason=reason, county_code=batch.county_code,
               public=True, listings_paused=[l.id for l in listings])
        _tell_of_freeze(batch, certificate, reason)
    return batch


def _tell_of_freeze(batch: Batch, certificate, reason: str) -> None:
    from marketplace.certification.services.trace_codes import display

    code = _batch_code(certificate)
    verify_url = external_url("certification_public.verify_code", code=display(code)) if code else ""
    tell_cooperative(
        batch.cooperative_id, _l("Your batch no. %(id)s was frozen", id=batch.id), "supervision_measure",
        cooperative="", measure=_l("The market supervisor froze batch no. %(id)s: its listings are paused "
                                   "and its buyers are told to stop using the goods.", id=batch.id),
        reason=reason, url=verify_url or external_url("seller.dashboard"))
    mail_each(buyer_emails_of_batch(batch.id), _l("Recall notice: goods you bought"), "supervision_recall",
              batch_id=batch.id, reason=reason, url=verify_url)


def _batch_code(certificate) -> str | None:
    from marketplace.certification.models import TraceCode

    if certificate is None:
        return None
    return db.session.scalar(select(TraceCode.code).where(TraceCode.certificate_id == certificate.id,
                                                          TraceCode.serial == 0))
