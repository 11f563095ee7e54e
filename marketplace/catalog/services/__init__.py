"""Catalog services: every change to batches and listings happens through these.

Split by topic (access, batches, listings); the names other areas use are handed on here,
e.g. `catalog.services.can_view_lab_report` for the certification area.
"""
from marketplace.core.errors import DomainError, NotAllowed, NotFound  # noqa: F401
from marketplace.catalog.services.access import (  # noqa: F401
    batch_for_member,
    can_view_lab_report,
    can_view_listing,
    is_member,
    lab_report_of,
    listing_for_member,
    member_cooperative_ids,
)
from marketplace.catalog.services.batches import (  # noqa: F401
    BatchDetails,
    batches_of,
    measurement_field,
    record_batch,
    report_of,
    update_batch,
    validate_batch,
)
from marketplace.catalog.services.mass_balance import BatchBalance, balance_of  # noqa: F401
from marketplace.catalog.services.listings import (  # noqa: F401
    ListingDetails,
    create_listing,
    go_live_refusal,
    listings_of,
    remove_photo,
    set_listing_status,
    update_listing,
)
