"""Errors of the JSON API in one shape: RFC 9457 problem details.

Every error an API client can meet has a stable `type` (a URI under /api/v1/problems/,
which leads to its description in the API's docs), a `title` that says what kind of
error it is, and a `detail` about this occurrence; both read in Chinese or English by the
request's language (`Accept-Language`). Clients branch on `type`, never on the words.
"""
from __future__ import annotations

from flask import Response, json, request
from flask_babel import lazy_gettext as _l

MEDIA_TYPE = "application/problem+json"
#: Where the types live; the API's docs describe each one.
TYPE_BASE = "/api/v1/problems/"

#: kind -> (HTTP status, title)
KINDS = {
    "bad-request": (400, _l("Bad request")),
    "invalid-input": (422, _l("The request has invalid values")),
    "missing-token": (401, _l("An API token is needed")),
    "invalid-token": (401, _l("This API token is not valid")),
    "insufficient-scope": (403, _l("This API token may not do this")),
    "forbidden": (403, _l("Not allowed")),
    "not-found": (404, _l("Not found")),
    "method-not-allowed": (405, _l("Method not allowed")),
    "conflict": (409, _l("The request conflicts with the current state")),
    "payload-too-large": (413, _l("Upload too large")),
    "unsupported-media-type": (415, _l("Send the body as JSON")),
    "too-many-requests": (429, _l("Too many requests")),
    "server-error": (500, _l("Something went wrong")),
    "unavailable": (503, _l("Temporarily unavailable")),
    "invalid-trace-code": (400, _l("This is not a trace code")),
    "mistyped-trace-code": (400, _l("This trace code looks mistyped")),
    "unknown-trace-code": (404, _l("Unknown trace code")),
    "csrf-failed": (400, _l("The form expired or was not sent from this site")),
}

#: The kind of a plain HTTP error status.
BY_STATUS = {400: "bad-request", 401: "missing-token", 403: "forbidden", 404: "not-found",
             405: "method-not-allowed", 409: "conflict", 413: "payload-too-large",
             415: "unsupported-media-type", 422: "invalid-input", 429: "too-many-requests",
             500: "server-error", 503: "unavailable"}


def problem(kind: str, detail=None, *, status: int | None = None, **extra) -> Response:
    """A problem-details response of `kind`; `extra` adds members (such as `errors`)."""
    default_status, title = KINDS.get(kind, KINDS["server-error"])
    status = status or default_status
    body = {"type": TYPE_BASE + kind, "title": str(title), "status": status,
            "detail": str(detail if detail is not None else title), "instance": request.path}
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)
    response.headers["Content-Language"] = _language()
    response.vary.add("Accept-Language")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="terroir"'
    return response


def http_problem(status: int, detail=None, **extra) -> Response:
    """The problem of a plain HTTP error status (404 of an unknown URL, 429, 500…)."""
    return problem(BY_STATUS.get(status, "server-error" if status >= 500 else "bad-request"),
                   detail, status=status, **extra)


def _language() -> str:
    from marketplace.core.i18n import current_language

    return "zh-CN" if current_language() == "zh" else "en"
