"""Ending a recall: the market supervisor lifts the batch freeze that recalled the goods.

A recall is a notice, not a judgement of the GI claim; when the measure that caused it is
lifted, the notice goes and the badge rule decides again from the certificate alone. The
verify page's history keeps both steps (public audit rows), so a buyer who saw the recall
sees that it ended, and why.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from marketplace.core.audit import record
from marketplace.certification.errors import DomainError
from marketplace.certification.models import BatchCertificate


def end_recall(supervisor, certificate: BatchCertificate, reason: str, now: datetime) -> None:
    """End the certificate's recall inside the caller's transaction (the caller locked it)."""
    if not getattr(supervisor, "is_supervisor", False):
        raise DomainError(_l("Only a market supervisor can end this recall."))
    if certificate.recalled_at is None:
        raise DomainError(_l("This batch is not recalled."))
    ended = certificate.recalled_at
    certificate.recalled_at, certificate.recall_notice = None, ""
    certificate.recalled_by_id, certificate.recalled_by_role = None, ""
    record("certificate.recall_ended", "batch", certificate.batch_id, actor=supervisor, reason=reason,
           county_code=certificate.county_code, standard_version=certificate.standard_version_label or None,
           public=True, standard_slug=certificate.standard_slug, certificate_id=certificate.id,
           certificate_number=certificate.number, recalled_at=ended.isoformat(), ended_at=now.isoformat())
