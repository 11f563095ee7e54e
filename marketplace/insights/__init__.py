"""The public e-commerce index (Art. 16): monthly figures, frozen snapshots, charts, open data.

Sits above orders, certification, catalog and search, and reads them; nothing below
imports it.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.insights.cli import insights_cli
    from marketplace.insights.views import admin, public

    app.register_blueprint(public.bp)
    app.register_blueprint(admin.bp)
    app.cli.add_command(insights_cli)
