"""Rules of higher areas that a listing must also meet to go live.

Whether a cooperative may use a GI name depends on its authorization and its batch's
certificate, which the certification area owns and the catalog must not import. That area
adds its rule here when the app starts (`add_go_live_rule`), and every save or publish
runs it inside the same transaction as the change, so a revocation committed a moment
earlier is seen.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

_EXTENSION = "terroir_go_live_rules"

#: rule(title, description, batch or None, cooperative, lock=bool) -> raises DomainError to
#: refuse; `lock` is true inside a save (lock the rows the rule reads), false for a preview.
GoLiveRule = Callable[..., None]


def add_go_live_rule(app: Flask, rule: GoLiveRule) -> None:
    """Register a rule for this app (once per rule, however often init runs)."""
    rules = app.extensions.setdefault(_EXTENSION, [])
    if rule not in rules:
        rules.append(rule)


def check_go_live_rules(title: str, description: str, batch, cooperative, *, lock: bool = True) -> None:
    """Run every registered rule; the first that refuses raises its DomainError."""
    for rule in current_app.extensions.get(_EXTENSION, ()):
        rule(title, description, batch, cooperative, lock=lock)
