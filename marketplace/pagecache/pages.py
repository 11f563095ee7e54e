"""Shared copies of the public pages for visitors who are not signed in, on by default.

A copy is filed under the current trust version (marketplace/pagecache/trust.py), which
every change to a certificate, authorization, batch, listing (stock and price included),
cooperative or standard bumps in its own transaction. A withdrawn GI badge, a suspended
cooperative or a sold-out listing is therefore gone from every worker's and every node's
copies on the very next request, with no expiry to wait for.

Only GETs by visitors with nothing of their own in the session are served a copy: not
signed in, no cart, no message waiting. A cached page may hold a form: its CSRF token is
written as a placeholder and replaced, per request, by the visitor's own token. A claim
that runs out by the clock changes no row: no copy is kept past the next such moment.
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from marketplace.core.i18n import current_language
from marketplace.pagecache import store, trust

#: Stands for the visitor's CSRF token in a page built for the cache.
CSRF_PLACEHOLDER = "__terroir_csrf_token__"
#: Session keys every visitor may carry without making a page their own.
SHARED_SESSION_KEYS = frozenset({"csrf_token", "_permanent", "_fresh", "_id"})


def _cacheable() -> bool:
    """Only GETs by visitors who are not signed in and keep nothing of their own in the session."""
    return (current_app.config["PUBLIC_PAGE_CACHE_SECONDS"] > 0 and request.method == "GET"
            and not current_user.is_authenticated and not set(session.keys()) - SHARED_SESSION_KEYS)


def normalised_query() -> str:
    """The query string with arguments sorted and blank ones dropped, words single-spaced."""
    pairs = sorted((key, " ".join(value.split())) for key, value in request.args.items(multi=True))
    return urlencode([(key, value) for key, value in pairs if value])


def page_key(version: str | None = None) -> str:
    """The page's cache key: the trust version unless the page says what its content depends on."""
    stamp = f"v{trust.current_version()}" if version is None else f"s{version}"
    return f"{stamp}:{current_language()}:{request.path}?{normalised_query()}"


def keep_with_page(note) -> None:
    """Attach a small value to the page being built; `public_page` hands it to `served` on every answer."""
    g.page_note = note


def public_page(render: Callable[[Callable[[], str]], str], version: Callable[[], str] | None = None,
                served: Callable[[object], None] | None = None):
    """Answer with the page `render(csrf_value)` builds, from the cache when it may be shared.

    `render` passes `csrf_value` to its template, which calls it where a form needs its
    token: the real token when the page is built for this visitor alone, a placeholder
    (replaced on the way out) when it is built for the cache.

    `version`, when given, names everything the page's content depends on instead of the
    trust version: a page that shows no badge, stock or listing (the public index reads
    only stored figures) then keeps its copy while the shop's trust version moves on.

    `served`, when given, is called after every answer, built or copied, with what `render`
    attached through `keep_with_page` (kept in the copy): a search served from a copy
    still counts as a search.
    """
    if not _cacheable():
        html, note = render(generate_csrf), g.pop("page_note", None)
    else:
        key = page_key(None if version is None else version())
        copy = store.get(key)  # (html, note): one read, the note travels with its page
        if not isinstance(copy, tuple):  # none yet, or kept by a release that stored the page alone
            copy = (render(lambda: CSRF_PLACEHOLDER), g.pop("page_note", None))
            store.put(key, copy, trust.seconds_until_next_lapse(current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]))
        html, note = copy
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
    if served is not None and note is not None:
        served(note)
    return make_response(html)


def clear() -> None:
    """Forget every page this app holds (never needed for freshness; for tests and operators)."""
    store.clear()
