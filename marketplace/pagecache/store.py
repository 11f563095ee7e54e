"""Where cached pages live: Flask-Caching on Redis when `REDIS_URL` is set, in-process otherwise.

Entries never need invalidating: their key holds the trust version, so a page built before
a change is simply never asked for again, and expires (`PUBLIC_PAGE_CACHE_SECONDS`) or is
pushed out (`PUBLIC_PAGE_CACHE_ENTRIES`, in-process) in time.
"""
from __future__ import annotations

import logging

from flask import Flask, current_app
from flask_caching import Cache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
_EXTENSION = "terroir_page_store"


def init_app(app: Flask) -> None:
    config = {"CACHE_DEFAULT_TIMEOUT": app.config["PUBLIC_PAGE_CACHE_SECONDS"],
              "CACHE_KEY_PREFIX": "terroir:page:"}
    if app.config.get("REDIS_URL"):
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=app.config["REDIS_URL"],
                      CACHE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1})
    else:
        config.update(CACHE_TYPE="SimpleCache", CACHE_THRESHOLD=app.config["PUBLIC_PAGE_CACHE_ENTRIES"])
    cache = Cache()
    cache.init_app(app, config=config)
    app.extensions[_EXTENSION] = cache


def _cache() -> Cache:
    return current_app.extensions[_EXTENSION]


def get(key: str):
    """The stored copy, or None (also when Redis does not answer: the page is then built)."""
    try:
        return _cache().get(key)
    except RedisError:
        log.warning("page cache unavailable; building the page", exc_info=True)
        return None


def put(key: str, copy, seconds: int) -> None:
    """Keep the copy for `seconds` (nothing kept below one second: 0 would mean forever)."""
    if seconds < 1:
        return
    try:
        _cache().set(key, copy, timeout=seconds)
    except RedisError:
        log.warning("page cache unavailable; page not kept", exc_info=True)


def clear() -> None:
    _cache().clear()
