"""The market supervisor's pages: cooperatives, officials, standards, the mail outbox."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The supervisor's pages."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.core.mailer import views as mail_views
    from marketplace.cooperatives.views import admin as views

    app.register_blueprint(views.bp)
    app.register_blueprint(mail_views.bp)
