"""The errors of certification: core's domain errors, and the refused status change."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import Conflict, DomainError, NotAllowed, NotFound  # noqa: F401  (the names callers of this area import)


class IllegalTransition(Conflict):
    """A decision the current status does not allow (e.g. approving a revoked authorization)."""

    def __init__(self, current, wanted):
        super().__init__(_l(
            "This cannot be done now: the status is “%(current)s” and cannot become “%(wanted)s”.",
            current=getattr(current, "value", current), wanted=getattr(wanted, "value", wanted)))
        self.current = current
        self.wanted = wanted
