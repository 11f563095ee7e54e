"""Demo data: a small but complete world to click through, loaded by `flask demo load`.

Each area adds its part in its own module; every step is idempotent (objects are found by
their natural keys before being created), so the command can run on every `make run`.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add `flask demo`."""
    # Imported here: the demo reaches into every area, and nothing should load it by accident.
    from marketplace.demo import cli

    app.cli.add_command(cli.demo_cli)
