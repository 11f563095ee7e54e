"""Cooperatives, membership, invitations, payee accounts."""
from __future__ import annotations


def init_app(app) -> None:
    """Register the cooperative's settings page (payee account)."""
    from marketplace.cooperatives.payee_views import bp

    app.register_blueprint(bp)
