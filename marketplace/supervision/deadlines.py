"""Deadlines of supervision, counted in one place.

Counted in calendar days for now; when working days (Chinese public holidays and the
swapped weekend days) land in core, only `complaint_deadline` changes.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app


def complaint_deadline(received_on: date) -> date:
    """The day by which a complaint received on `received_on` must be answered."""
    return received_on + timedelta(days=current_app.config["COMPLAINT_DEADLINE_DAYS"])
