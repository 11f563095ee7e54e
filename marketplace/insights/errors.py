"""Errors of the public index, each with a message fit to show and the HTTP status it means."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError


class InsightsError(DomainError):
    """A refusal of the index area (a core domain error: its handlers answer with `status`)."""


class BadMonth(InsightsError):
    def __init__(self, text: str):
        super().__init__(_l("month: “%(month)s” is not a month written as YYYY-MM.", month=text), "month")


class MonthAlreadyPublished(InsightsError):
    status = 409

    def __init__(self, month: str):
        super().__init__(_l("%(month)s is already published: announced figures do not change.", month=month),
                         "month")


class MonthNotOver(InsightsError):
    status = 409

    def __init__(self, month: str):
        super().__init__(_l("%(month)s is not over yet: only a finished month can be published.", month=month),
                         "month")


class MonthNotAvailable(InsightsError):
    status = 404

    def __init__(self, month: str):
        super().__init__(_l("No figures for %(month)s.", month=month), "month")
