"""GI authorizations, batch certificates, trace codes, the badge rule, the verify page."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The officials', sellers', supervisors' and public pages, the name-use rule, `flask certification`."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.certification import cli
    from marketplace.certification.services import name_use
    from marketplace.certification.views import admin, official, public, seller

    for audience in (official, seller, public, admin):
        app.register_blueprint(audience.bp)
    app.add_template_filter(public.trace_code_filter, "trace_code")
    name_use.init_app(app)
    app.cli.add_command(cli.certification_cli)
