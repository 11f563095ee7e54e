"""The supervision area's tables: complaints, sanctions, reviews, handled payment flags."""
from marketplace.supervision.models.complaint import (  # noqa: F401
    COMPLAINT_TRANSITIONS,
    OPEN_COMPLAINT_STATUSES,
    Complaint,
    ComplaintKind,
    ComplaintNote,
    ComplaintPhoto,
    ComplaintStatus,
)
from marketplace.supervision.models.payment_review import (  # noqa: F401
    PaymentReview,
    PaymentReviewOutcome,
)
from marketplace.supervision.models.review import Review, ReviewPhoto  # noqa: F401
from marketplace.supervision.models.sanction import Sanction, SanctionKind  # noqa: F401
