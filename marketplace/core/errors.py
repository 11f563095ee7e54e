"""Domain errors, and the pages (or JSON problem details) every error ends as.

Services raise a `DomainError` (or `NotAllowed`, `NotFound`, `Conflict`) whose message can
be shown to the user; views never catch one to abort: the handlers below answer with the
error's status on the site's error page, or as RFC 9457 problem details for the API and for
clients that accept JSON only. A form that shows the message beside its field may still
catch it to render the form again.

A database that cannot be reached (stopped, unreadable, out of connections) is not a bug
of the request: it answers 503 with Retry-After, on a page rendered without touching the
database (signed-in users see it as a guest would, since their account cannot be read).
"""
import sqlite3

from flask import Flask, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, SecurityError

from marketplace.core.database import abandon
from marketplace.core.problems import http_problem
from marketplace.extensions import login_manager


class DomainError(ValueError):
    """A refusal the user can be told about; `field` names the form field it concerns.

    The message is ready to show (already translated, or a lazy string). `status` is the
    HTTP status a page answering with it uses: 400 for input the user can fix.
    """

    status = 400

    def __init__(self, message, field: str | None = None, status: int | None = None):
        super().__init__(str(message))
        self.field = field
        if status is not None:
            self.status = status


class NotAllowed(DomainError):
    """The user may not do this (outside their counties, not their cooperative): 403."""

    status = 403


class NotFound(DomainError):
    """There is nothing of the user's by that name: 404, as if it did not exist at all."""

    status = 404


class Conflict(DomainError):
    """The state changed under the user (sold out, already shipped, already decided): 409."""

    status = 409


MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent.")),
    403: (_l("Not allowed"), _l("You do not have permission to see or do this.")),
    404: (_l("Page not found"), _l("We could not find that page. It may have moved or never existed.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    409: (_l("This could not be done"), _l("Something changed in the meantime. Please reload the page and try again.")),
    413: (_l("Upload too large"), _l("The file you sent is larger than we accept.")),
    429: (_l("Too many attempts"), _l("Please wait a little and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. It has been logged; please try again.")),
    503: (_l("Temporarily unavailable"),
          _l("The shop cannot reach its data just now. Nothing you did was lost; please try again in a minute.")),
}


def is_database_outage(error: BaseException) -> bool:
    """Tell whether `error` says the database cannot be used right now (not a bug).

    Operational errors (connection refused or lost, server shutting down, a file that
    cannot be opened or is locked), connections the pool had to drop, a pool with no
    connection left, and a SQLite file that is not (or no longer) a database.
    """
    if isinstance(error, sa_exc.TimeoutError):
        return True
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, sa_exc.OperationalError):
        return True
    return type(error.orig) is sqlite3.DatabaseError  # "file is not a database", "malformed"


def wants_json() -> bool:
    """Tell whether the error should answer as JSON: the API, or a client that takes only JSON."""
    if request.path.startswith("/api/"):
        return True
    accepted = request.accept_mimetypes
    return accepted.accept_json and not accepted.accept_html


def _render(code: int, detail: str | None = None, field: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    if request.path.startswith("/api/"):
        # The API's errors carry a stable problem type its clients branch on.
        return http_problem(code, detail or message, **({"field": field} if field else {}))
    if wants_json():
        problem = {"type": "about:blank", "title": str(title), "status": code,
                   "detail": str(detail or message)}
        if field:
            problem["field"] = field
        return problem, code, {"Content-Type": "application/problem+json"}
    return render_template("errors/error.html", code=code, title=title, message=message,
                           detail=detail), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return _render(400, str(_l("The form expired or was not sent from this site. Please try again.")))

    @app.errorhandler(SecurityError)
    def _untrusted_host(error: SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built for this request, so the page
        # is plain text rather than the site's layout (which links to itself).
        return str(_l("Bad request: this site does not answer to that host name.")), 400, {
            "Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        abandon()
        # A refusal (403) or a missing thing (404) looks the same whoever asks and whatever
        # the reason, so nothing is learnt about what exists; other refusals say why.
        detail = None if error.status in (403, 404) else str(error)
        return _render(error.status, detail, error.field)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code in MESSAGES:
            return _render(error.code)
        return error

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        abandon()
        if is_database_outage(error):
            return _database_unavailable(error)
        app.logger.exception("Unhandled error on %s", request.path)
        return _render(500)

    def _database_unavailable(error: Exception):
        app.logger.error("Database unavailable on %s: %s", request.path, str(error).splitlines()[0][:300])
        # Render as a guest: loading the signed-in user would ask the database again.
        g._login_user = login_manager.anonymous_user()
        response = app.make_response(_render(503))
        response.headers["Retry-After"] = str(app.config["DATABASE_RETRY_AFTER_SECONDS"])
        return response
