"""What every API blueprint shares on the wire: problem answers, ETags, CORS.

Public reads get an ETag (a hash of the body, so any change of what is said changes it)
and answer 304 to a matching If-None-Match; they also carry CORS headers, so a county's
platform or a mini-program's web view can read them from a browser. Nothing else does:
a cooperative's or the regulator's token is never to be used from someone's web page.
"""
from __future__ import annotations

from flask import request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from marketplace.api.messages import first_error, translate_errors
from marketplace.certification.services.trace_codes import TraceCodeError, UnknownTraceCode
from marketplace.core.errors import DomainError, NotAllowed
from marketplace.core.problems import KINDS, http_problem, problem


class ApiRefusal(DomainError):
    """A refusal of the API itself (token missing or without the scope, object not found).

    A domain error like any other (its status is the problem kind's), answered by the API
    blueprints' handler with the kind's stable problem type and the per-field `errors`."""

    def __init__(self, kind: str, detail=None, errors: dict | None = None):
        super().__init__(detail if detail is not None else kind, status=KINDS.get(kind, KINDS["server-error"])[0])
        self.kind, self.detail, self.errors = kind, detail, errors


def invalid(location: str, field: str, message) -> ApiRefusal:
    """The refusal of one bad value, named by where it was sent ("query", "json") and field."""
    return ApiRefusal("invalid-input", message, {location: {field: [str(message)]}})


def _field_errors(field: str | None, message: str) -> dict:
    return {"json": {field: [message]}} if field else {}


def install_problem_handlers(blueprint) -> None:
    """Answer every error raised in `blueprint`'s views as problem details."""

    @blueprint.errorhandler(ApiRefusal)
    def _refusal(error: ApiRefusal):
        if error.errors:
            return problem(error.kind, error.detail, errors=error.errors)
        return problem(error.kind, error.detail)

    @blueprint.errorhandler(CSRFError)
    def _csrf(error):
        return problem("csrf-failed")

    @blueprint.errorhandler(HTTPException)
    def _http(error: HTTPException):
        data = getattr(error, "data", None) or {}
        if error.code in (400, 422) and "messages" in data:
            kind = "invalid-input" if error.code == 422 else "bad-request"
            errors = translate_errors(data["messages"])
            return problem(kind, first_error(errors), errors=errors)
        response = http_problem(error.code or 500)
        for name in ("Retry-After", "Allow"):
            if error.get_response().headers.get(name):
                response.headers[name] = error.get_response().headers[name]
        return response

    @blueprint.errorhandler(UnknownTraceCode)
    def _unknown_code(error):
        return problem("unknown-trace-code", str(error))

    @blueprint.errorhandler(TraceCodeError)
    def _bad_code(error: TraceCodeError):
        kind = "mistyped-trace-code" if error.kind == "mistyped" else "invalid-trace-code"
        return problem(kind, str(error), errors={"path": {"code": [str(error)]}})

    @blueprint.errorhandler(NotAllowed)
    def _not_theirs(error):
        return problem("not-found")

    @blueprint.errorhandler(DomainError)
    def _catalog(error: DomainError):
        return problem("invalid-input", str(error), errors=_field_errors(error.field, str(error)))

    @blueprint.errorhandler(DomainError)
    def _order(error: DomainError):
        if error.status == 404:
            return problem("not-found", str(error))
        if error.status == 409:
            return problem("conflict", str(error))
        return problem("invalid-input", str(error), errors=_field_errors(error.field, str(error)))


def install_public_read_headers(blueprint) -> None:
    """ETag with If-None-Match (304) and CORS on the public, read-only blueprint."""

    @blueprint.after_request
    def _conditional_and_shared(response):
        response.vary.add("Accept-Language")
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = (
            "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset")
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept-Language, If-None-Match"
            response.headers["Access-Control-Max-Age"] = "600"
        elif request.method in ("GET", "HEAD") and response.status_code == 200:
            response.add_etag()
            response.make_conditional(request)
        return response


def bearer_secret() -> str | None:
    """The token sent as `Authorization: Bearer …`, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
