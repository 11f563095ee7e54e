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
from marketplace.catalog.models import Batch, Listing, ListingPhoto, ListingVariant  # noqa: F401
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
    PickupPoint,
    ProviderEventRecord,
    Refund,
    ShippingRule,
    SubOrder,
)
from marketplace.orders.models.ledger import LedgerEntry, Payout  # noqa: F401
from marketplace.orders.models.invoice import InvoiceRequest  # noqa: F401
from marketplace.search.models import SearchDocument, SearchOutbox, SearchWord  # noqa: F401
from marketplace.api.models import ApiToken  # noqa: F401,E402
from marketplace.cooperatives.payee import PayeeAccount  # noqa: F401,E402
from marketplace.orders.models.after_sale import (  # noqa: F401,E402
    AfterSalePhoto,
    AfterSaleRequest,
    PaymentReminder,
)
from marketplace.supervision.models import Complaint, Review, Sanction  # noqa: F401
from marketplace.search.query_log import SearchQueryLog  # noqa: F401
from marketplace.insights.models import InsightsFigure, InsightsMonth  # noqa: F401
from marketplace.pagecache.models import TrustVersion  # noqa: F401
