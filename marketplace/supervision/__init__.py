"""Supervision: complaints, sanctions, recalls, reviews and the seller record.

It sits above orders and certification and reads both; nothing below imports it. What
it adds to lower areas (a go-live rule, a check at every listing flush, a handler for
reports sent from the verify page) is wired here, when the app starts.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the pages and the rules added to lower areas (refusals are core's errors)."""
    from marketplace.catalog.go_live import add_go_live_rule
    from marketplace.certification.services.counterfeit_reports import (
        add_report_handler,
    )
    from marketplace.supervision import labels
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
    add_go_live_rule(app, guards.refuse_frozen_batch)
    add_report_handler(app, complaints.prepare_report_photos, complaints.file_from_counterfeit_report)
    guards.install()
    labels.register(app)
