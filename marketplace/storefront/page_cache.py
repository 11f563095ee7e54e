"""A short-lived copy of the public pages, for visitors who are not signed in.

Off by default (PUBLIC_PAGE_CACHE_SECONDS = 0): every page is then built from the
database on every request, so a withdrawn GI badge or a changed price shows at once. A
deployment under load may set a few seconds: anonymous visitors of the home, product and
cooperative pages then get a copy at most that old, while signed-in users (sellers seeing
their own changes, officials, supervisors) always get a fresh page. Each worker keeps its
own small copy (a bounded LRU per app); nothing lives only here.

A cached page may hold a form: its CSRF token is written as a placeholder and replaced,
per request, by the visitor's own token.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from marketplace.core.i18n import current_language

#: Stands for the visitor's CSRF token in a page built for the cache.
CSRF_PLACEHOLDER = "__terroir_csrf_token__"


class _Store:
    def __init__(self):
        self._entries: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, now: float) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= now:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple, html: str, expires: float, limit: int) -> None:
        with self._lock:
            self._entries[key] = (expires, html)
            self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _store() -> _Store:
    """This app's store (one per app, so that two apps in one process never share pages)."""
    return current_app.extensions.setdefault("terroir_page_cache", _Store())


def _cacheable() -> bool:
    """Only GETs by visitors who are not signed in and have no message waiting."""
    return (current_app.config["PUBLIC_PAGE_CACHE_SECONDS"] > 0 and request.method == "GET"
            and not current_user.is_authenticated and "_flashes" not in session)


def public_page(render: Callable[[Callable[[], str]], str]):
    """Answer with the page `render(csrf_value)` builds, from the cache when it may be shared.

    `render` passes `csrf_value` to its template, which calls it where a form needs its
    token: the real token when the page is built for this visitor alone, a placeholder
    (replaced on the way out) when it is built for the cache.
    """
    if not _cacheable():
        return make_response(render(generate_csrf))
    key = (request.full_path, current_language())
    now = time.monotonic()
    html = _store().get(key, now)
    if html is None:
        html = render(lambda: CSRF_PLACEHOLDER)
        config = current_app.config
        _store().put(key, html, now + config["PUBLIC_PAGE_CACHE_SECONDS"], config["PUBLIC_PAGE_CACHE_ENTRIES"])
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
    return make_response(html)


def clear() -> None:
    """Forget every page this worker holds for the current app."""
    _store().clear()
