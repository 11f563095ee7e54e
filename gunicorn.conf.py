"""Gunicorn settings, read from the project folder by `gunicorn wsgi:app`.

Only a start-up check lives here; workers, binding and timeouts are given on the command
line (see README, Production).
"""


def on_starting(server):
    """Warn, on every start, when several workers would each keep their own limits."""
    from marketplace.core.deployment import warn_if_limits_unshared

    warn_if_limits_unshared(server.cfg.workers, server.log.warning)
