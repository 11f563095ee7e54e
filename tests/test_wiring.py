"""create_app wires every area through its init_app; importing a module wires nothing."""
from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import marketplace

ROOT = Path(__file__).resolve().parent.parent


def test_importing_every_module_wires_nothing():
    """Blueprints, commands, signal and session hooks, the user loader: none without create_app."""
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        import marketplace
        for info in pkgutil.walk_packages(marketplace.__path__, "marketplace."):
            importlib.import_module(info.name)

        from flask_login import user_logged_in
        from flask_sqlalchemy.session import Session as AppSession
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        from marketplace.core import audit, storage
        from marketplace.extensions import login_manager
        from marketplace.search import sync

        wired = {
            "sign-in receivers": bool(user_logged_in.receivers),
            "user loader": login_manager._user_callback is not None,
            "audit hooks": event.contains(Session, "before_commit", audit._link_and_add),
            "file hooks": event.contains(Session, "after_commit", storage._after_commit),
            "search hooks": event.contains(AppSession, "after_flush", sync._collect),
        }
        print(sorted(name for name, on in wired.items() if on))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "PUBLIC_URL": "http://localhost"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def _area_packages():
    for info in pkgutil.iter_modules(marketplace.__path__):
        if info.ispkg:
            yield importlib.import_module(f"marketplace.{info.name}")


def test_every_area_with_an_init_app_is_wired_by_create_app_in_order():
    from marketplace import AREAS

    with_init = {package for package in _area_packages() if hasattr(package, "init_app")}
    assert with_init - set(AREAS) == {marketplace.core}  # core is wired first, by itself
    assert len(AREAS) == len(set(AREAS))


def test_each_app_gets_its_own_wiring(app, app_config):
    """A second app (tests, workers) has the same pages, commands and filters as the first."""
    from marketplace import create_app

    other = create_app(dict(app_config))
    assert {r.endpoint for r in other.url_map.iter_rules()} == {r.endpoint for r in app.url_map.iter_rules()}
    assert set(other.cli.list_commands(None)) == set(app.cli.list_commands(None)) >= {
        "audit", "counties", "demo", "mail", "orders", "search", "standards", "users", "certification"}
    assert {"trace_code", "money", "markdown", "product_name"} <= set(other.jinja_env.filters)
    assert "order_status_label" in other.jinja_env.globals or any(
        "order_status_label" in processor() for processor in other.template_context_processors[None]
        if processor.__module__.startswith("marketplace."))
