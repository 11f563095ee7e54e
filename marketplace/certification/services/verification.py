"""What the public verify page shows for a trace code, gathered in one place.

The page decides nothing: the certificate's and the authorization's states, the warnings,
the recall notice and the badge are worked out here (the badge by the rule in `badge`,
like everywhere else).

It is opened by phones scanning a label, so it is read with one joined query (the code,
its certificate, batch, cooperative, counties, the cooperative's authorizations of the
product, the size of the public record and whether this client counted today); a check
that counts adds one short write transaction (see `checks`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache

from flask import current_app
from sqlalchemy import String, and_, bindparam, cast, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Batch
from marketplace.certification.services import catalogue, checks, trace_codes
from marketplace.certification.services.badge import GIBadge, badge_from
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    GIAuthorization,
    TraceCode,
)
from marketplace.cooperatives.models import Cooperative, County
from marketplace.extensions import db
from marketplace.core.timeutil import as_utc, utcnow

#: Authorization states worth showing a shopper (an open application is not).
_SHOWN_AUTHORIZATIONS = (AuthorizationStatus.APPROVED, AuthorizationStatus.SUSPENDED,
                         AuthorizationStatus.REVOKED)


@dataclass(frozen=True)
class LabResult:
    """One finding of the certified report: what the standard asks, what was measured."""

    field: str
    expected: str
    actual: str
    passed: bool
    severity: str
    message: str


@dataclass(frozen=True)
class CheckRecord:
    """How often a package code was checked, by distinct clients, and when and where."""

    count: int
    first_at: datetime | None
    first_place: str
    last_at: datetime | None
    last_place: str
    #: This request was one of them (a new client of the day).
    counted_now: bool

    @property
    def checked_before(self) -> bool:
        """Someone else (or this client on another day) checked it: from the second check on."""
        return self.count >= 2


@dataclass(frozen=True)
class RecallNotice:
    """A recall of the batch's goods: a notice to buyers, distinct from a revocation."""

    at: datetime
    notice: str
    #: "county" (the county office of the cooperative) or "supervisor".
    by: str
    county_name: str


@dataclass
class Verification:
    trace_code: TraceCode
    certificate: BatchCertificate
    batch: Batch
    standard: object | None
    authorization: GIAuthorization | None
    badge: GIBadge
    certificate_status: str
    authorization_status: str
    #: The batch's own code (serial 0), shown on product pages: never counted.
    is_batch_code: bool
    checks: CheckRecord
    too_many_checks: bool
    announcement: catalogue.ProtectionAnnouncement | None = None
    #: The batch's size in kilograms, when its unit is a weight (else None: see batch.unit).
    batch_size_kg: Decimal | None = None
    #: The claimed grade by its name in the page's language ("特级", "Premium").
    grade_name: str = ""
    recall: RecallNotice | None = None
    findings: list[LabResult] = field(default_factory=list)
    #: "danger" banners for what a shopper must know (revoked, expired, suspended…).
    warnings: list[str] = field(default_factory=list)
    public_history_count: int = 0
    #: (N, M) of "package N of M" for a package code with a net weight, else None.
    package: tuple[int, int] | None = None

    # Kept for templates and callers written before checks were counted per client.
    @property
    def check_count(self) -> int:
        return self.checks.count

    @property
    def first_checked_at(self) -> datetime | None:
        return self.checks.first_at


def _shorten(text: str, limit: int = 120) -> str:
    """Cut a long expectation (a protected area lists dozens of county codes) for display."""
    return text if len(text) <= limit else text[:limit - 1].rstrip(" ,、") + "…"


def findings_of(report: dict | None, language: str, standard=None) -> list[LabResult]:
    """The report's findings in `language`; grade keys read as the standard names them."""
    grade_names = {g.key: g.names.get(language) for g in getattr(standard, "grades", ())}

    def shown(finding: dict, key: str) -> str:
        text = str(finding.get(key, ""))
        if finding.get("field") == "grade" and grade_names:
            text = ", ".join(grade_names.get(part, part) for part in text.split(", "))
        return text

    results = []
    for finding in (report or {}).get("findings", []):
        if not isinstance(finding, dict):
            continue
        message = finding.get("message_zh" if language == "zh" else "message_en", "")
        results.append(LabResult(str(finding.get("field", "")), _shorten(shown(finding, "expected")),
                                 shown(finding, "actual"), bool(finding.get("passed")),
                                 str(finding.get("severity", "")), str(message)))
    return results


def _public_record_filter(batch_id, authorization_id):
    """Public audit rows about the batch and (when there is one) its authorization."""
    subjects = [(AuditEntry.subject_type == "batch") & (AuditEntry.subject_id == cast(batch_id, String))]
    if authorization_id is not None:
        subjects.append((AuditEntry.subject_type == "authorization")
                        & (AuditEntry.subject_id == cast(authorization_id, String)))
    return and_(AuditEntry.public.is_(True), or_(*subjects))


def public_history(batch_id: int, authorization_id: int | None) -> list[AuditEntry]:
    """The public audit rows about the batch and its authorization, oldest first."""
    return list(db.session.scalars(select(AuditEntry).where(
        _public_record_filter(batch_id, authorization_id)).order_by(AuditEntry.created_at, AuditEntry.id)))


def _choose_authorization(authorizations: list[GIAuthorization], at: datetime) -> GIAuthorization | None:
    """The authorization to show: the one valid now, else the latest one of that product."""
    return next((a for a in authorizations if a.is_valid_at(at)), authorizations[0] if authorizations else None)


@cache
def _page_statement():
    """The page's one SELECT, built once per process and run with its parameters.

    Building a statement this size (seven joined entities, three correlated counts) and
    computing its cache key costs more than running it on SQLite, so it is kept.
    """
    cooperative_county, batch_county, certificate_county = aliased(County), aliased(County), aliased(County)
    record_size = (select(func.count(AuditEntry.id))
                   .where(_public_record_filter(Batch.id, GIAuthorization.id)).scalar_subquery())
    certificate = contains_eager(TraceCode.certificate)
    return (
        select(TraceCode, GIAuthorization, record_size, checks.seen_today(), checks.same_address_today(),
               trace_codes.package_position().scalar_subquery(), *catalogue.key_columns())
        .join(TraceCode.certificate)
        .join(BatchCertificate.batch)
        .join(BatchCertificate.cooperative)
        .join(cooperative_county, Cooperative.county)
        .join(batch_county, Batch.county)
        .join(certificate_county, BatchCertificate.county)
        .outerjoin(GIAuthorization, and_(
            GIAuthorization.cooperative_id == BatchCertificate.cooperative_id,
            GIAuthorization.standard_slug == BatchCertificate.standard_slug,
            GIAuthorization.status.in_(_SHOWN_AUTHORIZATIONS)))
        .options(
            certificate.contains_eager(BatchCertificate.batch).contains_eager(Batch.county.of_type(batch_county)),
            certificate.contains_eager(BatchCertificate.batch).defer(Batch.validation).defer(Batch.measurements),
            certificate.contains_eager(BatchCertificate.cooperative)
            .contains_eager(Cooperative.county.of_type(cooperative_county)),
            certificate.contains_eager(BatchCertificate.county.of_type(certificate_county)),
        )
        .where(TraceCode.code == bindparam("code"))
        .order_by(GIAuthorization.decided_at.desc(), GIAuthorization.id.desc())
    )


def _read(code: str, keys: checks.ClientKeys | None):
    """Read everything the page shows about `code` in one statement.

    Returns (trace code, authorizations newest first, public record size by authorization
    id, seen today, clients of this address today, the package's position among the codes
    of its weight, the catalogue's freshness key), or None for an unknown code.
    """
    rows = db.session.execute(_page_statement(), {"code": code, **checks.parameters(keys)}).all()
    if not rows:
        return None
    trace_code = rows[0][0]
    authorizations = [row[1] for row in rows if row[1] is not None]
    sizes = {(row[1].id if row[1] is not None else None): row[2] for row in rows}
    return trace_code, authorizations, sizes, rows[0][3], rows[0][4], rows[0][5], (rows[0][6], rows[0][7])


def verify(raw_code: str | None, viewer, *, client: checks.CheckClient | None, language: str,
           now: datetime | None = None) -> Verification:
    """Look a code up, count the check when it counts, and gather what the page shows.

    Raises TraceCodeError for junk or a mistyped code and UnknownTraceCode for a code that
    no label carries; neither counts anything. `client` None counts nothing (a preview).
    """
    now = now or utcnow()
    code = trace_codes.normalise(raw_code)
    keys = checks.keys_for(client, now) if client is not None else None
    found = _read(code, keys)
    if found is None:
        raise trace_codes.UnknownTraceCode(code)
    trace_code, authorizations, sizes, seen, same_address, position, catalogue_key = found
    certificate = trace_code.certificate
    counted = False
    if (keys is not None and checks.counts(trace_code, certificate.cooperative_id, viewer, client)
            and checks.worth_writing(seen, same_address)):
        counted = checks.record_check(trace_code, keys, client.place, now)
    return _describe(trace_code, authorizations, sizes, counted, language, now, catalogue_key, position)


#: Kilograms in one unit of a batch's quantity, for units of weight.
_KILOGRAMS = {"kg": Decimal(1), "t": Decimal(1000)}


def _size_in_kg(batch: Batch) -> Decimal | None:
    factor = _KILOGRAMS.get(getattr(batch.unit, "value", batch.unit))
    return None if factor is None or batch.quantity is None else Decimal(batch.quantity) * factor


def _grade_name(standard, grade_key: str | None, language: str) -> str:
    if not grade_key:
        return ""
    grade = next((g for g in getattr(standard, "grades", ()) if g.key == grade_key), None)
    return grade.names.get(language) if grade is not None else grade_key


def _recall_of(certificate: BatchCertificate, language: str) -> RecallNotice | None:
    if certificate.recalled_at is None:
        return None
    return RecallNotice(as_utc(certificate.recalled_at), certificate.recall_notice,
                        certificate.recalled_by_role or "county",
                        certificate.cooperative.county.full_name(language))


def _describe(trace_code: TraceCode, authorizations: list[GIAuthorization], sizes: dict, counted: bool,
              language: str, now: datetime, catalogue_key: tuple | None = None,
              position: int | None = None) -> Verification:
    certificate = trace_code.certificate
    batch = certificate.batch
    authorization = _choose_authorization(authorizations, now)
    badge = badge_from(certificate, batch_passed=bool(batch.validation_passed), authorizations=authorizations,
                       batch_code=trace_code.code if trace_code.serial == 0 else None, at=now,
                       batch_county=batch.county_code)
    certificate_status = certificate.shown_status(now)
    authorization_status = authorization.shown_status(now) if authorization else "none"
    warnings = []
    if certificate_status == "revoked":
        warnings.append("certificate_revoked")
    elif certificate_status == "suspended":
        warnings.append("certificate_suspended")
    elif certificate_status == "expired":
        warnings.append("certificate_expired")
    if authorization_status in ("revoked", "suspended", "expired", "none"):
        warnings.append(f"authorization_{authorization_status}")
    record = CheckRecord(trace_code.check_count, as_utc(trace_code.first_checked_at),
                         trace_code.first_checked_place, as_utc(trace_code.last_checked_at),
                         trace_code.last_checked_place, counted)
    standard = catalogue.standard_for(certificate.standard_slug, catalogue_key)
    is_batch_code = trace_code.serial == 0
    return Verification(
        trace_code=trace_code, certificate=certificate, batch=batch, standard=standard,
        authorization=authorization, badge=badge, certificate_status=certificate_status,
        authorization_status=authorization_status, is_batch_code=is_batch_code, checks=record,
        too_many_checks=(not is_batch_code
                         and record.count > current_app.config["VERIFY_SCAN_WARNING_THRESHOLD"]),
        announcement=catalogue.protection_announcement(standard),
        batch_size_kg=_size_in_kg(batch), grade_name=_grade_name(standard, batch.grade, language),
        recall=_recall_of(certificate, language),
        findings=findings_of(certificate.report, language, standard), warnings=warnings,
        public_history_count=sizes.get(authorization.id if authorization else None, 0) or 0,
        package=trace_codes.package_numbers(trace_code, batch, position),
    )


def history_for_code(raw_code: str | None, now: datetime | None = None):
    """The public decisions about a code's batch and authorization (for the history page)."""
    now = now or utcnow()
    trace_code = trace_codes.look_up(raw_code)
    certificate = trace_code.certificate
    authorizations = list(db.session.scalars(select(GIAuthorization).where(
        GIAuthorization.cooperative_id == certificate.cooperative_id,
        GIAuthorization.standard_slug == certificate.standard_slug,
        GIAuthorization.status.in_(_SHOWN_AUTHORIZATIONS),
    ).order_by(GIAuthorization.decided_at.desc(), GIAuthorization.id.desc())))
    authorization = _choose_authorization(authorizations, now)
    return trace_code, public_history(certificate.batch_id, authorization.id if authorization else None)
