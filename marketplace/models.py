"""Every table of the application, imported in one place so that Alembic sees them all."""
from marketplace.accounts.models import OfficialAppointment, User  # noqa: F401
from marketplace.core.audit import AuditEntry  # noqa: F401
from marketplace.cooperatives.models import (  # noqa: F401
    Cooperative,
    County,
    Invitation,
    Membership,
)
from marketplace.core.mailer.models import OutgoingMail  # noqa: F401
from marketplace.catalog.models import Batch, Listing, ListingPhoto  # noqa: F401
from marketplace.certification.models import (  # noqa: F401
    AuthorizationDocument,
    BatchCertificate,
    CounterfeitReport,
    GIAuthorization,
    TraceCode,
    TraceCodeCheck,
)
from marketplace.standards.models import StandardVersion  # noqa: F401
from marketplace.orders.models import (  # noqa: F401
    CartItem,
    Order,
    OrderEvent,
    OrderLine,
    ProviderEventRecord,
    Refund,
    ShippingRule,
    SubOrder,
)
from marketplace.search.models import SearchDocument, SearchOutbox, SearchWord  # noqa: F401
