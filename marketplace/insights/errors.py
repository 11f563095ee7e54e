"""Refusals of the public index, each a core domain error with a message fit to show."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import Conflict, DomainError, NotFound


class BadMonth(DomainError):
    def __init__(self, text: str):
        super().__init__(_l("month: “%(month)s” is not a month written as YYYY-MM.", month=text), "month")


class MonthAlreadyPublished(Conflict):
    def __init__(self, month: str):
        super().__init__(_l("%(month)s is already published: announced figures do not change.", month=month),
                         "month")


class MonthNotOver(Conflict):
    def __init__(self, month: str):
        super().__init__(_l("%(month)s is not over yet: only a finished month can be published.", month=month),
                         "month")


class MonthNotStarted(Conflict):
    def __init__(self, month: str):
        super().__init__(_l("%(month)s has not begun: there are no figures for it yet.", month=month), "month")


class MonthNotAvailable(NotFound):
    def __init__(self, month: str):
        super().__init__(_l("No figures for %(month)s.", month=month), "month")
