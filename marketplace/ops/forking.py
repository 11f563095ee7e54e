"""gunicorn `--preload`: load what every worker needs once in the master, reset what must not be shared.

Loaded in the master and shared by the workers copy-on-write: jieba's dictionary, pypinyin's
tables, the counties, the standards catalogue, Babel's catalogues and the compiled templates.

Never shared: a database connection, a Redis socket or a Whoosh reader opened before the
fork would be used by several processes at once (interleaved bytes on one socket, one file
offset moved by two readers). `reset_after_fork()` drops them in each new worker without
closing them, so the master and the other workers are not disturbed; each worker then
opens its own on first use.
"""
from __future__ import annotations

import logging
import weakref

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

#: Every app built in this process (registered by `marketplace.ops.init_app`).
_APPS: "weakref.WeakSet[Flask]" = weakref.WeakSet()


def register(app: Flask) -> None:
    _APPS.add(app)


def warm_up(app: Flask) -> None:
    """Load, in this (master) process, the large read-only data that workers would each load.

    Another Flask app served under this project's gunicorn.conf.py (bench/ceiling.py) has none.
    """
    if app not in _APPS:
        return
    from flask_babel import force_locale, get_translations

    from marketplace.core.counties import reference_counties
    from marketplace.extensions import db
    from marketplace.search import analysis
    from marketplace.standards.services import current_catalogue

    analysis.prepare_jieba()
    analysis.pinyin_of("龙井")  # imports pypinyin with its dictionaries
    reference_counties()
    for name in app.jinja_env.list_templates(extensions=["html", "txt"]):
        app.jinja_env.get_template(name)
    with app.test_request_context("/"):
        for locale in app.config.get("LANGUAGES", ("zh", "en")):
            with force_locale(locale):
                get_translations()
        try:
            current_catalogue()
        except SQLAlchemyError:  # a database not migrated yet: the workers will load it themselves
            log.warning("standards catalogue not preloaded", exc_info=True)
        finally:
            db.session.remove()
    _drop_handles(app, close=True)  # the master serves nothing: it keeps no connection either


def reset_after_fork() -> None:
    """Forget every connection and reader inherited from the parent process (call in each new worker)."""
    for app in list(_APPS):
        _drop_handles(app, close=False)  # the parent's connections stay open, for the parent


def _drop_handles(app: Flask, close: bool) -> None:
    """Let go of the app's database connections, Redis sockets and index readers.

    `close` is for the process that opened them (the master after its warm-up); a new worker
    only forgets what it inherited, since closing would end the parent's sessions too.
    """
    from marketplace.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=close)
        for client in _redis_clients(app):
            if close:
                client.connection_pool.disconnect()
            else:
                client.connection_pool.reset()
        search = app.extensions.get("terroir_search")
        if search is not None:
            search["backend"].close()


def _redis_clients(app: Flask) -> list:
    """The Redis clients this app made itself (Flask-Limiter's storage checks its pid on its own)."""
    clients = list(app.extensions.get("terroir_trust_redis", {}).values())
    page_store = app.extensions.get("terroir_page_store")
    backend = getattr(page_store, "cache", None)
    for name in ("_write_client", "_read_client"):
        client = getattr(backend, name, None)
        if client is not None and client not in clients:
            clients.append(client)
    return clients
