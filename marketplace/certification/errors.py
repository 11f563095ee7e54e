"""The errors of certification, each with a message fit to show and the field it concerns."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


class DomainError(ValueError):
    """A problem the user can fix or must be told; `field` names the form field it belongs to."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.field = field


class IllegalTransition(DomainError):
    """A decision the current status does not allow (e.g. approving a revoked authorization)."""

    def __init__(self, current, wanted):
        super().__init__(_l(
            "This cannot be done now: the status is “%(current)s” and cannot become “%(wanted)s”.",
            current=getattr(current, "value", current), wanted=getattr(wanted, "value", wanted)))
        self.current = current
        self.wanted = wanted


class NotAllowed(DomainError):
    """The user may not take this decision (outside their counties, or their own cooperative)."""
