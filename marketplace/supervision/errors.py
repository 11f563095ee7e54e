"""The errors of supervision: a problem the user can fix, and a refusal of who they are."""
from __future__ import annotations


class SupervisionError(ValueError):
    """A problem the user can fix; `field` names the form field it belongs to."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.field = field


class NotAllowed(SupervisionError):
    """The user may not see or do this (answered with 403)."""


class NotFound(SupervisionError):
    """What the user names does not exist, or is not shown to them (answered with 404)."""
