"""GI trust: marks granted, revoked and expired; review time; verify checks and warnings.

Granted and revoked are read from the audit log (append-only, one row per decision, with
the county and the GI product). Expired: an authorization or certificate once granted
whose validity ended in the month. Review time runs, in working days, from the
application (or its last resubmission) to the official's decision, for decisions taken
in the month, against the REVIEW_WORKING_DAYS rule. Verify checks count distinct clients
per package code and day (as the verify page does), by the county that certified the
batch; a warning is a code checked in the month whose count by the month's end reached
VERIFY_SCAN_WARNING_THRESHOLD (a counterfeit signal). Counts of decisions are public
registers and are not suppressed.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select, tuple_

from marketplace.core.audit import AuditEntry
from marketplace.certification.models import BatchCertificate, GIAuthorization, TraceCode, TraceCodeCheck
from marketplace.cooperatives.models import County
from marketplace.extensions import db
from marketplace.insights.figures.common import Figure, MonthWindow, percentile, share
from marketplace.insights.months import working_days_between
from marketplace.core.timeutil import as_utc

#: Audit action → metric it counts.
DECISION_METRICS = {
    "authorization.approved": "authorizations_granted",
    "authorization.revoked": "authorizations_revoked",
    "certificate.certified": "certificates_granted",
    "certificate.revoked": "certificates_revoked",
}
#: Decisions that end a review, and the actions that start one, per subject type.
REVIEW_ENDS = ("authorization.approved", "authorization.rejected", "certificate.certified", "certificate.rejected")
REVIEW_STARTS = ("authorization.applied", "authorization.resubmitted", "certificate.submitted")


class _Tally:
    """Counts per (metric, dimension, key), with the provinces of the counties seen."""

    def __init__(self, provinces: dict[str, str]):
        self.provinces = provinces
        self.counts: dict[tuple[str, str, str], int] = defaultdict(int)
        self.durations: dict[tuple[str, str], list[float]] = defaultdict(list)

    def cuts(self, county: str | None, product: str | None) -> list[tuple[str, str]]:
        cuts = [("all", "")]
        if county:
            cuts += [("county", county), ("province", self.provinces.get(county, ""))]
        if product:
            cuts.append(("gi_product", product))
        return cuts

    def add(self, metric: str, county, product, amount: int = 1) -> None:
        for dimension, key in self.cuts(county, product):
            self.counts[(metric, dimension, key)] += amount

    def figures(self, window: MonthWindow) -> list[Figure]:
        figures = [Figure(metric, dimension, key, value, value)
                   for (metric, dimension, key), value in self.counts.items()]
        for (dimension, key), days in self.durations.items():
            within = sum(1 for value in days if value <= window.review_working_days)
            figures += [Figure("reviews", dimension, key, len(days), len(days)),
                        Figure("review_days_median", dimension, key, round(percentile(days, 0.5), 1), len(days)),
                        Figure("review_within_rule_share", dimension, key, share(within, len(days)), len(days))]
        return figures


def compute(window: MonthWindow) -> list[Figure]:
    provinces = dict(db.session.execute(select(County.code, County.province_zh)
                                        .where(County.retired_year.is_(None))).all())
    tally = _Tally(provinces)
    _decisions(window, tally)
    _expiries(window, tally)
    _reviews(window, tally)
    _checks(window, tally)
    return tally.figures(window)


def _decisions(window: MonthWindow, tally: _Tally) -> None:
    rows = db.session.execute(
        select(AuditEntry.action, AuditEntry.county_code, AuditEntry.details)
        .where(AuditEntry.action.in_(DECISION_METRICS), AuditEntry.created_at >= window.naive_start,
               AuditEntry.created_at < window.naive_end))
    for action, county, details in rows:
        tally.add(DECISION_METRICS[action], county, (details or {}).get("standard_slug"))


def _expiries(window: MonthWindow, tally: _Tally) -> None:
    for model, metric in ((GIAuthorization, "authorizations_expired"), (BatchCertificate, "certificates_expired")):
        rows = db.session.execute(
            select(model.county_code, model.standard_slug)
            .where(model.number.is_not(None), model.valid_until >= window.start, model.valid_until < window.end))
        for county, product in rows:
            tally.add(metric, county, product)


def _reviews(window: MonthWindow, tally: _Tally) -> None:
    ends = db.session.execute(
        select(AuditEntry.subject_type, AuditEntry.subject_id, AuditEntry.created_at, AuditEntry.county_code,
               AuditEntry.details)
        .where(AuditEntry.action.in_(REVIEW_ENDS), AuditEntry.created_at >= window.naive_start,
               AuditEntry.created_at < window.naive_end)).all()
    if not ends:
        return
    starts: dict[tuple[str, str], list] = defaultdict(list)
    subjects = {(row.subject_type, row.subject_id) for row in ends}
    for subject_type, subject_id, at in db.session.execute(
            select(AuditEntry.subject_type, AuditEntry.subject_id, AuditEntry.created_at)
            .where(AuditEntry.action.in_(REVIEW_STARTS),
                   tuple_(AuditEntry.subject_type, AuditEntry.subject_id).in_(subjects))):
        starts[(subject_type, subject_id)].append(as_utc(at))
    for row in ends:
        decided = as_utc(row.created_at)
        begun = [at for at in starts.get((row.subject_type, row.subject_id), []) if at <= decided]
        if not begun:
            continue
        days = working_days_between(max(begun), decided)
        for cut in tally.cuts(row.county_code, (row.details or {}).get("standard_slug")):
            tally.durations[cut].append(days)


def _checks(window: MonthWindow, tally: _Tally) -> None:
    in_month = (TraceCodeCheck.checked_at >= window.start, TraceCodeCheck.checked_at < window.end)
    rows = db.session.execute(
        select(BatchCertificate.county_code, BatchCertificate.standard_slug, func.count(TraceCodeCheck.id))
        .join(TraceCode, TraceCode.id == TraceCodeCheck.trace_code_id)
        .join(BatchCertificate, BatchCertificate.id == TraceCode.certificate_id)
        .where(*in_month).group_by(BatchCertificate.county_code, BatchCertificate.standard_slug))
    for county, product, count in rows:
        tally.add("verify_checks", county, product, count)
    checked = select(TraceCodeCheck.trace_code_id).where(*in_month)
    warned = db.session.execute(
        select(BatchCertificate.county_code, BatchCertificate.standard_slug)
        .select_from(TraceCodeCheck)
        .join(TraceCode, TraceCode.id == TraceCodeCheck.trace_code_id)
        .join(BatchCertificate, BatchCertificate.id == TraceCode.certificate_id)
        .where(TraceCodeCheck.trace_code_id.in_(checked), TraceCodeCheck.checked_at < window.end)
        .group_by(TraceCodeCheck.trace_code_id, BatchCertificate.county_code, BatchCertificate.standard_slug)
        .having(func.count(TraceCodeCheck.id) >= window.scan_warning_threshold))
    for county, product in warned:
        tally.add("verify_warnings", county, product)
