"""What the supervision views share: run a service for a form, and serve a stored photo."""
from __future__ import annotations

from flask import abort, send_file

from marketplace.core import storage
from marketplace.core.errors import DomainError, NotAllowed, NotFound
from marketplace.core.form_errors import show_error


def attempt(form, action):
    """Run `action()` for a submitted form; a user's mistake goes onto its field (None returned).

    A refusal of who the user is (NotAllowed) is left to the 403 handler.
    """
    try:
        return action()
    except (NotAllowed, NotFound):
        raise
    except DomainError as error:
        show_error(form, error)
        if not getattr(form, error.field or "", None):
            form.form_errors.append(str(error))  # shown as a flash; the answer is still a 400
        return None


def status_of(*forms) -> int:
    return 400 if any(form.errors for form in forms if form is not None) else 200


def send_photo(kind: str, name: str, *, public: bool):
    path = storage.path_of(kind, name) if name.endswith(".jpg") else None
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0, conditional=True)
    response.headers["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
