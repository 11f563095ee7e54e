"""Deadlines of supervision, counted in one place, in Chinese working days.

Public holidays and the swapped weekend days come from `core.working_days`, the same
calendar the officials' review deadline and the sellers' after-sales deadline use.
"""
from __future__ import annotations

from datetime import date

from flask import current_app

from marketplace.core.working_days import add_working_days


def complaint_deadline(received_on: date) -> date:
    """The day by which a complaint received on `received_on` must be answered."""
    return add_working_days(received_on, current_app.config["COMPLAINT_DEADLINE_DAYS"])
