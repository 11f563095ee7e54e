"""Production batches and listings."""
from marketplace.catalog.models.batch import Batch, QuantityUnit  # noqa: F401
from marketplace.catalog.models.listing import (  # noqa: F401
    CATEGORIES,
    Listing,
    ListingPhoto,
    ListingStatus,
)
from marketplace.catalog.models.variant import JIN_GRAMS, ListingVariant, live_variants, product_name, summarise  # noqa: F401
