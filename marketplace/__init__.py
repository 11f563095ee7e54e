"""Terroir: a marketplace for rural cooperatives and geographical-indication products."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from marketplace.config import PROJECT_ROOT, build_config
from marketplace.extensions import csrf, db, limiter, login_manager, migrate


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
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _settle_deployment(app)
    app.url_map.converters["int"] = BoundedIntConverter

    _init_extensions(app)
    _register_blueprints(app)

    from marketplace import supervision

    supervision.init_app(app)

    from marketplace import cli, errors, i18n, mailer, security

    mailer.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    from marketplace import ops

    ops.init_app(app)
    return app


def _settle_deployment(app: Flask) -> None:
    """Check what production needs, and derive the settings that follow from others."""
    from marketplace.core import deployment

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


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` that matches only ids a database integer can hold.

    A larger number in a URL would otherwise reach the database and fail there (a 500 on
    PostgreSQL); bounded, it is simply a URL that matches nothing: a 404.
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    from marketplace.database import install_sqlite_pragmas

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

    from marketplace.accounts.models import User  # noqa: F401  (tables known to Alembic)
    from marketplace import models  # noqa: F401
    from marketplace import catalog

    catalog.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from marketplace.accounts.views import bp as accounts_bp
    from marketplace.admin.views import bp as admin_bp
    from marketplace.cooperatives.views import bp as cooperatives_bp
    from marketplace.storefront.standards_views import bp as standards_bp
    from marketplace.storefront.views import bp as storefront_bp

    for blueprint in (storefront_bp, standards_bp, accounts_bp, cooperatives_bp, admin_bp):
        app.register_blueprint(blueprint)

    from marketplace.admin.mail_views import bp as admin_mail_bp

    app.register_blueprint(admin_mail_bp)

    from marketplace.seller.views import bp as seller_bp

    app.register_blueprint(seller_bp)

    from marketplace.certification import views_official, views_public, views_seller, views_supervisor

    for blueprint in (views_official.bp, views_seller.bp, views_public.bp, views_supervisor.bp):
        app.register_blueprint(blueprint)

    from marketplace.certification import name_use

    name_use.init_app(app)

    from marketplace.search.views import bp as search_bp

    app.register_blueprint(search_bp)

    from marketplace.orders.views import buyer, invoices, pickup, seller, statements, webhooks

    for blueprint in (buyer.bp, seller.bp, pickup.bp, webhooks.bp, statements.bp, invoices.bp):
        app.register_blueprint(blueprint)

    from marketplace import api

    api.init_app(app)

    from marketplace import cooperatives
    from marketplace.orders import after_sale_setup

    cooperatives.init_app(app)
    after_sale_setup.init_app(app)

    from marketplace import insights

    insights.init_app(app)

    from marketplace import pagecache

    pagecache.init_app(app)
