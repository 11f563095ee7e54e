"""Cooperatives, membership, invitations, payee accounts, and the counties they register in."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The cooperatives' pages (public, the seller's settings, the supervisor's) and `flask counties`."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.cooperatives import cli
    from marketplace.cooperatives.views import admin, public, seller

    for audience in (public, seller, admin):
        app.register_blueprint(audience.bp)
    app.cli.add_command(cli.counties_cli)
