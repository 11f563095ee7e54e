"""What the public verify page shows for a trace code, gathered in one place.

The page decides nothing: the certificate's and the authorization's states, the warnings
and the badge are worked out here (the badge by `badge_for`, like everywhere else).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from marketplace.audit import AuditEntry
from marketplace.certification import catalogue, trace_codes
from marketplace.certification.badge import GIBadge, badge_for
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    GIAuthorization,
    TraceCode,
)
from marketplace.extensions import db
from marketplace.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class LabResult:
    """One finding of the certified report: what the standard asks, what was measured."""

    field: str
    expected: str
    actual: str
    passed: bool
    severity: str
    message: str


@dataclass
class Verification:
    trace_code: TraceCode
    certificate: BatchCertificate
    batch: object
    standard: object | None
    authorization: GIAuthorization | None
    badge: GIBadge
    certificate_status: str
    authorization_status: str
    check_count: int
    first_checked_at: datetime | None
    too_many_checks: bool
    findings: list[LabResult] = field(default_factory=list)
    #: "danger" banners for what a shopper must know (revoked, expired, suspended…).
    warnings: list[str] = field(default_factory=list)
    public_history_count: int = 0


def _authorization_for(certificate: BatchCertificate, at: datetime) -> GIAuthorization | None:
    """The authorization to show: the one valid now, else the latest one of that product."""
    candidates = db.session.scalars(select(GIAuthorization).where(
        GIAuthorization.cooperative_id == certificate.cooperative_id,
        GIAuthorization.standard_slug == certificate.standard_slug,
        GIAuthorization.status.in_([AuthorizationStatus.APPROVED, AuthorizationStatus.SUSPENDED,
                                    AuthorizationStatus.REVOKED]),
    ).order_by(GIAuthorization.decided_at.desc(), GIAuthorization.id.desc())).all()
    return next((a for a in candidates if a.is_valid_at(at)), candidates[0] if candidates else None)


def _shorten(text: str, limit: int = 120) -> str:
    """Cut a long expectation (a protected area lists dozens of county codes) for display."""
    return text if len(text) <= limit else text[:limit - 1].rstrip(" ,、") + "…"


def findings_of(report: dict | None, language: str) -> list[LabResult]:
    results = []
    for finding in (report or {}).get("findings", []):
        if not isinstance(finding, dict):
            continue
        message = finding.get("message_zh" if language == "zh" else "message_en", "")
        results.append(LabResult(str(finding.get("field", "")), _shorten(str(finding.get("expected", ""))),
                                 str(finding.get("actual", "")), bool(finding.get("passed")),
                                 str(finding.get("severity", "")), str(message)))
    return results


def public_history(batch_id: int, authorization_id: int | None) -> list[AuditEntry]:
    """The public audit rows about the batch and its authorization, oldest first."""
    subjects = [(AuditEntry.subject_type == "batch") & (AuditEntry.subject_id == str(batch_id))]
    if authorization_id is not None:
        subjects.append((AuditEntry.subject_type == "authorization")
                        & (AuditEntry.subject_id == str(authorization_id)))
    from sqlalchemy import or_

    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.public.is_(True), or_(*subjects)).order_by(AuditEntry.created_at, AuditEntry.id)))


def verify(raw_code: str | None, viewer, *, is_head: bool, language: str,
           now: datetime | None = None) -> Verification:
    """Look a code up, count the check, and gather what the verify page shows.

    Raises TraceCodeError for junk or a mistyped code and UnknownTraceCode for a code that
    no label carries; neither counts anything.
    """
    now = now or utcnow()
    trace_code = trace_codes.look_up(raw_code)
    tally = trace_codes.count_check(trace_code, viewer, is_head=is_head, now=now)
    return describe(trace_code, language, tally.count, tally.first_checked_at, now)


def describe(trace_code: TraceCode, language: str, check_count: int,
             first_checked_at: datetime | None, now: datetime) -> Verification:
    certificate = trace_code.certificate
    authorization = _authorization_for(certificate, now)
    badge = badge_for(certificate.batch, now)
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
    history = public_history(certificate.batch_id, authorization.id if authorization else None)
    return Verification(
        trace_code=trace_code, certificate=certificate, batch=certificate.batch,
        standard=catalogue.standard_for(certificate.standard_slug), authorization=authorization,
        badge=badge, certificate_status=certificate_status, authorization_status=authorization_status,
        check_count=check_count, first_checked_at=as_utc(first_checked_at),
        too_many_checks=check_count > current_app.config["VERIFY_SCAN_WARNING_THRESHOLD"],
        findings=findings_of(certificate.report, language), warnings=warnings,
        public_history_count=len(history),
    )


def history_for_code(raw_code: str | None, now: datetime | None = None):
    """The public decisions about a code's batch and authorization (for the history page)."""
    now = now or utcnow()
    trace_code = trace_codes.look_up(raw_code)
    certificate = trace_code.certificate
    authorization = _authorization_for(certificate, now)
    return trace_code, public_history(certificate.batch_id, authorization.id if authorization else None)
