"""Absolute links for mails, labels and command-line output.

A link that leaves the site (a reset mail, an invitation, a printed QR code) must point at
the site's own public address, never at whatever `Host` a request claimed: otherwise anyone
can have a victim mailed a valid reset link on a host of their choosing. The address comes
from the `PUBLIC_URL` setting alone, so the same link is built in a request, in a worker or
in `flask orders expire`.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` on the site's public address (`PUBLIC_URL`)."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(public.netloc, script_name=public.path or "/",
                                       url_scheme=public.scheme)
    return adapter.build(endpoint, values, force_external=True)
