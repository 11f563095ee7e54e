"""Published versions of the GI standards catalogue."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The supervisor's publishing page and `flask standards`."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.standards import cli
    from marketplace.standards.views import admin

    app.register_blueprint(admin.bp)
    app.cli.add_command(cli.standards_cli)
