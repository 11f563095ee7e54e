"""The ground every area stands on: written once, importing nothing above it."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Error pages, languages and template filters, security headers, session hooks, mail, commands."""
    # The ground's modules are imported here, when the app is built, and not at the top of
    # this package: a module that needs one helper of core must not load all of it.
    from marketplace.core import audit, audit_cli, errors, i18n, mailer, security, storage
    from marketplace.core.mailer import views as mailer_views

    errors.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    audit.install_session_hooks()
    storage.install_session_hooks()
    app.cli.add_command(audit_cli.audit_cli)
    mailer.init_app(app)
    app.register_blueprint(mailer_views.bp)
