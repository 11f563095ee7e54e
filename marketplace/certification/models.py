"""GI mark authorizations, batch certificates and the trace codes printed on packages.

Each kind of decision moves a row through an explicit transition table; a move the table
does not hold is refused with `IllegalTransition`, whatever page or command asked for it.
"Expired" is never stored: it is read from `valid_until` at the moment of asking, so a
certificate stops counting the second it runs out, with no job to run.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.certification.errors import IllegalTransition
from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import as_utc, utcnow


class AuthorizationStatus(str, enum.Enum):
    SUBMITTED = "submitted"
    MORE_INFO_REQUESTED = "more_info_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


#: Which status may follow which. Rejected and revoked are final: apply anew.
AUTHORIZATION_TRANSITIONS: dict[AuthorizationStatus, frozenset[AuthorizationStatus]] = {
    AuthorizationStatus.SUBMITTED: frozenset({
        AuthorizationStatus.APPROVED, AuthorizationStatus.REJECTED,
        AuthorizationStatus.MORE_INFO_REQUESTED}),
    AuthorizationStatus.MORE_INFO_REQUESTED: frozenset({AuthorizationStatus.SUBMITTED}),
    AuthorizationStatus.APPROVED: frozenset({AuthorizationStatus.SUSPENDED, AuthorizationStatus.REVOKED}),
    AuthorizationStatus.SUSPENDED: frozenset({AuthorizationStatus.APPROVED, AuthorizationStatus.REVOKED}),
    AuthorizationStatus.REJECTED: frozenset(),
    AuthorizationStatus.REVOKED: frozenset(),
}

#: Statuses of an application still waiting for an answer (one at a time per product).
OPEN_AUTHORIZATION_STATUSES = (AuthorizationStatus.SUBMITTED, AuthorizationStatus.MORE_INFO_REQUESTED)


class CertificateStatus(str, enum.Enum):
    SUBMITTED = "submitted"
    REJECTED = "rejected"
    CERTIFIED = "certified"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


#: A rejected batch may be sent again once fixed; a revoked certificate is final.
CERTIFICATE_TRANSITIONS: dict[CertificateStatus, frozenset[CertificateStatus]] = {
    CertificateStatus.SUBMITTED: frozenset({CertificateStatus.CERTIFIED, CertificateStatus.REJECTED}),
    CertificateStatus.REJECTED: frozenset({CertificateStatus.SUBMITTED}),
    CertificateStatus.CERTIFIED: frozenset({CertificateStatus.SUSPENDED, CertificateStatus.REVOKED}),
    CertificateStatus.SUSPENDED: frozenset({CertificateStatus.CERTIFIED, CertificateStatus.REVOKED}),
    CertificateStatus.REVOKED: frozenset(),
}


class DocumentKind(str, enum.Enum):
    #: 产地核验报告, by the local office.
    ORIGIN_REPORT = "origin_report"
    APPLICATION_FORM = "application_form"
    #: Anything sent later, in answer to a request for more.
    SUPPLEMENT = "supplement"


def _is_valid_at(status_ok: bool, valid_from, valid_until, at: datetime) -> bool:
    if not status_ok or valid_until is None:
        return False
    if valid_from is not None and as_utc(valid_from) > at:
        return False
    return as_utc(valid_until) > at


class _Transitions:
    """Mixin: move `status` along the class's transition table, or refuse."""

    TRANSITIONS: dict = {}

    def can_become(self, new_status) -> bool:
        return new_status in self.TRANSITIONS.get(self.status, frozenset())

    def move_to(self, new_status) -> None:
        if not self.can_become(new_status):
            raise IllegalTransition(self.status, new_status)
        self.status = new_status


class GIAuthorization(_Transitions, db.Model):
    """A cooperative's authorization to use the GI mark of one product, and its application."""

    __tablename__ = "gi_authorizations"
    __table_args__ = (
        # One open application per cooperative and product: a double click, or two members
        # applying at once, cannot make two.
        Index(
            "uq_gi_authorizations_open_application", "cooperative_id", "standard_slug", unique=True,
            sqlite_where=text("status IN ('submitted', 'more_info_requested')"),
            postgresql_where=text("status IN ('submitted', 'more_info_requested')"),
        ),
        CheckConstraint("valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from",
                        name="validity_ordered"),
    )
    TRANSITIONS = AUTHORIZATION_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    #: The GI product, by its catalogue slug.
    standard_slug: Mapped[str] = mapped_column(String(80), index=True)
    #: The county whose officials review it (the cooperative's county when it applied).
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    status: Mapped[AuthorizationStatus] = mapped_column(
        enum_column(AuthorizationStatus, length=24), default=AuthorizationStatus.SUBMITTED, index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The production sites the cooperative declares: county codes inside the product's
    #: protected area. Its batches may come from these counties only.
    production_sites: Mapped[list] = mapped_column(JSON, default=list)
    #: What the cooperative wrote with its application.
    statement: Mapped[str] = mapped_column(Text, default="")
    #: What the official asked for, and the cooperative's latest answer.
    information_request: Mapped[str] = mapped_column(Text, default="")
    applicant_answer: Mapped[str] = mapped_column(Text, default="")
    #: The reason of the latest rejection, suspension or revocation.
    reason: Mapped[str] = mapped_column(Text, default="")
    #: Given on approval, e.g. "GI-330106-2026-7KQ3M2".
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    valid_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: When it (last) entered the officials' queue; review time counts from here.
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    #: Bumped on every change; an UPDATE that finds another version changes nothing.
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    cooperative: Mapped["Cooperative"] = relationship()  # noqa: F821
    county: Mapped["County"] = relationship()  # noqa: F821
    documents: Mapped[list[AuthorizationDocument]] = relationship(
        back_populates="authorization", order_by="AuthorizationDocument.id", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_AUTHORIZATION_STATUSES

    def is_valid_at(self, at: datetime) -> bool:
        """Approved, not suspended or revoked, and within its validity at `at`."""
        return _is_valid_at(self.status == AuthorizationStatus.APPROVED, self.valid_from,
                            self.valid_until, at)

    def is_expired_at(self, at: datetime) -> bool:
        return (self.status in (AuthorizationStatus.APPROVED, AuthorizationStatus.SUSPENDED)
                and self.valid_until is not None and as_utc(self.valid_until) <= at)

    def shown_status(self, at: datetime) -> str:
        """The status a reader should see: "expired" once an approval has run out."""
        return "expired" if self.is_expired_at(at) else self.status.value


class AuthorizationDocument(db.Model):
    """A file sent with an application, stored under UPLOAD_FOLDER by a random name."""

    __tablename__ = "gi_authorization_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    authorization_id: Mapped[int] = mapped_column(
        ForeignKey("gi_authorizations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, length=24))
    #: Random name under UPLOAD_FOLDER/certification; never derived from the upload.
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mime_type: Mapped[str] = mapped_column(String(40))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    size_bytes: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    authorization: Mapped[GIAuthorization] = relationship(back_populates="documents")


class BatchCertificate(_Transitions, db.Model):
    """A batch's certification: the request in the officials' queue, then its certificate.

    One row per batch (unique), so two officials deciding at once can never make two
    certificates; the status moves only through the table above.
    """

    __tablename__ = "batch_certificates"
    __table_args__ = (
        CheckConstraint("valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from",
                        name="validity_ordered"),
    )
    TRANSITIONS = CERTIFICATE_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), unique=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    standard_slug: Mapped[str] = mapped_column(String(80), index=True)
    #: The county office that reviews and certifies (where the batch was grown).
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    status: Mapped[CertificateStatus] = mapped_column(
        enum_column(CertificateStatus, length=24), default=CertificateStatus.SUBMITTED, index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The validation report as certified (a copy: later edits of the batch do not change it).
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    #: How the standard version is cited, e.g. "GB/T 18650-2008 · v1".
    standard_version_label: Mapped[str] = mapped_column(String(120), default="")
    #: What the certifying official checked: the lab report they opened and their answer
    #: and note on every finding the report left to them (see certification.review).
    review: Mapped[dict] = mapped_column(JSON, default=dict)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    valid_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The reason of the latest rejection, suspension or revocation.
    reason: Mapped[str] = mapped_column(Text, default="")
    #: Set when the batch's goods are recalled (召回): a notice to buyers, beside the status.
    #: A recall does not judge the GI claim as a revocation does; it tells whoever holds
    #: a package of the batch to stop using it and what to do.
    recalled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recall_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    recalled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: "county" (an official of the cooperative's county) or "supervisor": who signs the notice.
    recalled_by_role: Mapped[str] = mapped_column(String(20), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    batch: Mapped["Batch"] = relationship()  # noqa: F821
    cooperative: Mapped["Cooperative"] = relationship()  # noqa: F821
    county: Mapped["County"] = relationship()  # noqa: F821

    def is_valid_at(self, at: datetime) -> bool:
        """Certified, not suspended or revoked, and not expired at `at`."""
        return _is_valid_at(self.status == CertificateStatus.CERTIFIED, self.valid_from,
                            self.valid_until, at)

    def is_expired_at(self, at: datetime) -> bool:
        return (self.status in (CertificateStatus.CERTIFIED, CertificateStatus.SUSPENDED)
                and self.valid_until is not None and as_utc(self.valid_until) <= at)

    def shown_status(self, at: datetime) -> str:
        return "expired" if self.is_expired_at(at) else self.status.value

    @property
    def is_recalled(self) -> bool:
        return self.recalled_at is not None


class TraceCode(db.Model):
    """A code printed on a label: serial 0 is the batch's own code, 1… one per package."""

    __tablename__ = "trace_codes"
    __table_args__ = (
        UniqueConstraint("certificate_id", "serial"),
        CheckConstraint("serial >= 0", name="serial_not_negative"),
        CheckConstraint("check_count >= 0", name="check_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Twelve Crockford base-32 characters, the last a check character, without dashes.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("batch_certificates.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    serial: Mapped[int] = mapped_column(default=0)
    #: Net weight of the package a numbered code goes on, fixed when issued (None for the
    #: batch's own code, serial 0); all of a batch's package codes together never weigh
    #: more than the batch.
    net_weight_grams: Mapped[int | None] = mapped_column()
    #: The size (listing variant) the package is sold as, when the seller chose one; its
    #: name is kept in `size_label` as printed, whatever becomes of the size later.
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("listing_variants.id", ondelete="SET NULL"),
                                                   index=True)
    size_label: Mapped[str] = mapped_column(String(40), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: How many distinct clients checked it (one per client and day, see TraceCodeCheck);
    #: raised by one atomic UPDATE. The batch code (serial 0) is never counted.
    check_count: Mapped[int] = mapped_column(default=0)
    first_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Where the first and latest counted checks came from (a county, as the trusted proxy
    #: named it in VERIFY_PLACE_HEADER); empty when no such header is configured.
    first_checked_place: Mapped[str] = mapped_column(String(80), default="", server_default="")
    last_checked_place: Mapped[str] = mapped_column(String(80), default="", server_default="")

    certificate: Mapped[BatchCertificate] = relationship()

    @property
    def display(self) -> str:
        """The code as printed: "K7QM-2XHD-9RTA"."""
        return "-".join(self.code[i:i + 4] for i in range(0, len(self.code), 4))


class TraceCodeCheck(db.Model):
    """One client that checked a package code on one day: what makes a check count once.

    The client is a keyed hash of its address and user agent, salted per day, so the same
    phone reloading the page counts once, and no address is stored or linkable across days.
    `address_hash` (the address alone, same salt) caps how many agents one address may add.
    """

    __tablename__ = "trace_code_checks"
    __table_args__ = (UniqueConstraint("trace_code_id", "day", "client_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trace_code_id: Mapped[int] = mapped_column(ForeignKey("trace_codes.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    client_hash: Mapped[str] = mapped_column(String(32))
    address_hash: Mapped[str] = mapped_column(String(32))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CounterfeitReport(db.Model):
    """A shopper's report of a suspected counterfeit, for the market supervisors.

    The code is kept as typed (a fake label may carry a code no certificate issued); it is
    linked to its trace code when one exists.
    """

    __tablename__ = "counterfeit_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_text: Mapped[str] = mapped_column(String(40))
    trace_code_id: Mapped[int | None] = mapped_column(ForeignKey("trace_codes.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    #: How the reporter may be reached, if they chose to say (phone, mail, WeChat…).
    contact: Mapped[str] = mapped_column(String(120), default="")
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    trace_code: Mapped[TraceCode | None] = relationship()
