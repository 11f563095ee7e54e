"""Supervision: complaints, sanctions, recalls, reviews and the seller record.

It sits above orders and certification and reads both; nothing below imports it. What
it adds to lower areas (a go-live rule, a check at every listing flush, a handler for
reports sent from the verify page) is wired here, when the app starts.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import NotFound as PageNotFound


def init_app(app: Flask) -> None:
    """Register the pages, the 403 answer to a refusal, and the rules added to lower areas."""
    from marketplace.catalog.go_live import add_go_live_rule
    from marketplace.certification.counterfeit_reports import add_report_handler
    from marketplace.supervision import labels
    from marketplace.supervision.errors import NotAllowed, NotFound
    from marketplace.supervision.services import complaints, guards
    from marketplace.supervision.views import (  # noqa: F401
        admin,
        admin_lifting,
        admin_payments,
        official,
        public,
        seller,
    )

    for blueprint in (public.bp, seller.bp, official.bp, admin.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(NotAllowed, lambda _error: app.handle_user_exception(Forbidden()))
    app.register_error_handler(NotFound, lambda _error: app.handle_user_exception(PageNotFound()))
    add_go_live_rule(app, guards.refuse_frozen_batch)
    add_report_handler(app, complaints.prepare_report_photos, complaints.file_from_counterfeit_report)
    guards.install()
    labels.register(app)
