"""Terroir: a marketplace for rural cooperatives and geographical-indication products."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from marketplace import (
    accounts,
    api,
    catalog,
    certification,
    cooperatives,
    core,
    demo,
    insights,
    ops,
    orders,
    pagecache,
    search,
    seller,
    standards,
    storefront,
    supervision,
)
from marketplace.config import PROJECT_ROOT, build_config
from marketplace.core import deployment
from marketplace.core.database import install_sqlite_pragmas
from marketplace.core.routing import BoundedIntConverter, BuildOnDemandRule
from marketplace.extensions import csrf, db, limiter, login_manager, migrate

#: Each area's init_app, lowest first: an area may rely on what those before it set up
#: (the name-use rule of certification joins catalog's go-live rules; search listens to
#: orders' stock signal), never on one after it.
AREAS = (accounts, cooperatives, standards, catalog, certification, pagecache, orders, supervision, search,
         seller, storefront, insights, api, ops, demo)


def create_app(config: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, commands, error pages.

    `config` overrides what the environment gives (tests pass their own database here).
    The schema is never created here: it moves only with `flask db upgrade`.
    """
    settings = build_config()
    settings.update(config or {})
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.url_rule_class = BuildOnDemandRule
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _settle_deployment(app)
    app.url_map.converters["int"] = BoundedIntConverter

    _init_extensions(app)
    core.init_app(app)
    for area in AREAS:
        area.init_app(app)
    return app


def _settle_deployment(app: Flask) -> None:
    """Check what production needs, and derive the settings that follow from others."""
    deployment.configure_public_address(app)
    deployment.trust_proxies(app)
    deployment.warn_about_unshared_limits(app)
    # The remember cookie is as secure as the session cookie, whichever way that was set.
    app.config["REMEMBER_COOKIE_SECURE"] = bool(app.config.get("REMEMBER_COOKIE_SECURE")
                                                or app.config["SESSION_COOKIE_SECURE"])
    if str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("redis"):
        # A Redis that does not answer must not hold a sign-in for long: after a second the
        # limits fall back to memory (see accounts/throttle.py).
        options = {"socket_connect_timeout": 1, "socket_timeout": 1}
        options.update(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        app.config["RATELIMIT_STORAGE_OPTIONS"] = options


def _init_extensions(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        install_sqlite_pragmas(app.config["SQLITE_BUSY_TIMEOUT_MS"])
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000)
        connect_args.setdefault("check_same_thread", False)
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from marketplace import models  # noqa: F401  (every table known to Alembic; loads all areas' models)
