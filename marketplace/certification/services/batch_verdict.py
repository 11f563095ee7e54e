"""Whether a batch passed validation against its standard: the verdict recomputed, not trusted.

Certifying a batch and putting a listing live under its GI name both ask this, so it sits
below both (certificates and name_use).
"""
from __future__ import annotations

from gi_standards import Report
from marketplace.catalog.models import Batch


def report_passes(report: dict | None) -> bool:
    """Recompute the verdict of a stored validation report rather than trust a flag."""
    if not report:
        return False
    try:
        return Report.from_dict(report).passed
    except (KeyError, TypeError, ValueError):
        return False


def batch_passes(batch: Batch) -> bool:
    return bool(batch.validation_passed) and report_passes(batch.validation)
