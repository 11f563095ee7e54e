"""The shop as `wsgi:app` serves it, plus two response headers the page benchmark reads.

`X-Bench-Page-Cache` says whether this response came from the shared page cache ("hit"),
was built and filed there ("miss"), or was not cacheable at all ("none"), and
`X-Bench-Worker` names the worker process that answered. With them the revocation check
(bench/revocation.py) knows that each worker held a copy of a page *before* a badge on it
was revoked, and which worker answered the check afterwards: without them a check could
pass only because it reached a worker that never had a copy. The wrapper adds a dict
lookup and two headers per request; the app, its configuration and gunicorn.conf.py
(`preload_app`, `post_fork`) are the production ones.

`BENCH_PIN_TRUST_VERSION=1` (`bench/pages.py --pin-trust-version`, never recorded) pins the
trust version, making the cache keep serving copies after a revocation: the run that shows
the revocation check does catch a stale badge.
"""
from __future__ import annotations

import os

from flask import g

from marketplace.pagecache import store
from wsgi import app

_stored_page = store.get


def _get_and_mark(key: str) -> str | None:
    html = _stored_page(key)
    g.bench_page_cache = "miss" if html is None else "hit"
    return html


store.get = _get_and_mark  # pagecache.pages calls `store.get(key)` through the module

if os.environ.get("BENCH_PIN_TRUST_VERSION"):
    from marketplace.pagecache import trust

    trust.current_version = lambda: 0  # pages.page_key calls `trust.current_version()` through the module


@app.after_request
def _mark(response):
    response.headers["X-Bench-Page-Cache"] = g.get("bench_page_cache", "none")
    response.headers["X-Bench-Worker"] = str(os.getpid())
    return response
