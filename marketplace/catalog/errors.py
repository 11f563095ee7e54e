"""The error catalog services raise when the user can fix what they sent."""
from __future__ import annotations


class DomainError(ValueError):
    """A problem the user can fix; `field` names the form field it belongs to.

    The message is ready to show (already translated, or a lazy string), so views only
    put it beside the field and change nothing else.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.field = field


class NotAllowed(DomainError):
    """The user may not act on this cooperative's things at all (views answer 403 or 404)."""
