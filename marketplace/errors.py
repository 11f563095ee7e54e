"""Error pages in the site's own look, and JSON errors for the API."""
from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from marketplace.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent.")),
    403: (_l("Not allowed"), _l("You do not have permission to see or do this.")),
    404: (_l("Page not found"), _l("We could not find that page. It may have moved or never existed.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Upload too large"), _l("The file you sent is larger than we accept.")),
    429: (_l("Too many attempts"), _l("Please wait a little and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. It has been logged; please try again.")),
}


def _render(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith("/api/"):
        return {"error": {"code": code, "message": str(detail or message)}}, code
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

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code in MESSAGES:
            return _render(error.code)
        return error

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        return _render(500)
