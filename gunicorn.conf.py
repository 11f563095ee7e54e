"""Gunicorn settings, read from the project folder by `gunicorn wsgi:app`.

The app is loaded once in the master (`preload_app`) with the large read-only data every
worker needs (jieba's dictionary, pypinyin's tables, the catalogue, compiled templates), so
the workers share those pages copy-on-write instead of each loading its own; each new
worker then drops the connections and readers inherited from the master
(marketplace/ops/forking.py). Workers, binding and timeouts are given on the command line
(see README, Production).
"""

preload_app = True


def on_starting(server):
    """Warn, on every start, when several workers would each keep their own limits."""
    from marketplace.core.deployment import warn_if_limits_unshared

    warn_if_limits_unshared(server.cfg.workers, server.log.warning)


def when_ready(server):
    """Load, once in the master, what every worker would otherwise load on its own."""
    if server.cfg.preload_app:
        from marketplace.ops.forking import warm_up

        warm_up(server.app.wsgi())


def post_fork(server, worker):
    """Give the new worker its own database, Redis and search-index handles."""
    from marketplace.ops.forking import reset_after_fork

    reset_after_fork()
