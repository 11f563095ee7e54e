"""Start-up checks of a deployment: what production must set, and what it should.

A development server (`DEBUG`) and the test suite (`TESTING`) get working defaults; a
production start without the site's public address refuses to run, because every link
mailed or printed would otherwise point at a made-up host, and requests naming a host
other than the site's own are answered 400 (no reset link can be built on them).
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from dotenv import load_dotenv
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from marketplace.config import PROJECT_ROOT

#: The address `make run` and `flask run --debug` serve on.
DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:5000"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class DeploymentError(RuntimeError):
    """A setting production cannot start without."""


def is_production(app: Flask) -> bool:
    return not (app.debug or app.testing)


def configure_public_address(app: Flask) -> None:
    """Settle PUBLIC_URL and TRUSTED_HOSTS, or refuse a production start without PUBLIC_URL."""
    public_url = (app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
    if not public_url:
        if is_production(app):
            raise DeploymentError(
                "PUBLIC_URL is not set. Set it to the site's public address (for example "
                "https://terroir.example): every link in mails, labels and QR codes is built on it."
            )
        public_url = DEVELOPMENT_PUBLIC_URL
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeploymentError(f"PUBLIC_URL must be an http(s) address such as https://terroir.example, "
                              f"not {public_url!r}.")
    app.config["PUBLIC_URL"] = public_url
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = trusted_hosts_for(parts.hostname)


def trusted_hosts_for(hostname: str) -> list[str]:
    """The hosts requests may name when TRUSTED_HOSTS is not set: the public address's own."""
    if hostname in LOOPBACK_HOSTS:
        return list(LOOPBACK_HOSTS)
    return [hostname]


def trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme from the proxies in front, when there are any.

    Only the last TRUSTED_PROXY_COUNT hops of X-Forwarded-For are believed: without a proxy
    (0, the default) the header is ignored, so a client cannot type its way to a fresh
    per-client sign-in count; behind one, every client no longer shares the proxy's count.
    """
    count = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def warn_about_unshared_limits(app: Flask) -> None:
    """Log on every start when several workers would each count limits on their own.

    Without Redis each worker keeps its own sign-in, sign-up and reset counters, so an
    attacker gets the limit once per worker. Gunicorn's own start is checked by the hook in
    gunicorn.conf.py; here the worker count comes from WEB_CONCURRENCY.
    """
    if not is_production(app) or app.config.get("REDIS_URL"):
        return
    workers = os.environ.get("WEB_CONCURRENCY", "").strip()
    if workers.isdecimal() and int(workers) > 1:
        app.logger.warning(unshared_limits_message(int(workers)))


def warn_if_limits_unshared(workers: int, warn) -> None:
    """For gunicorn's master (gunicorn.conf.py): call `warn` when limits would not be shared."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    if workers > 1 and not os.environ.get("REDIS_URL"):
        warn(unshared_limits_message(workers))


def unshared_limits_message(workers: int) -> str:
    return (f"REDIS_URL is not set and {workers} workers are running: each counts sign-in, sign-up "
            f"and password-reset limits on its own, so every limit is {workers} times weaker. "
            f"Set REDIS_URL to share them.")
