"""Put a service's error where the user will see it: on its field, or as a flash message."""
from flask import flash

from marketplace.core.errors import DomainError


def show_error(form, error: DomainError) -> None:
    """Attach `error` to the form field it names (`error.field`), else flash it.

    A refusal (403) or a missing thing (404) is no message to show beside a field: it goes
    on to the app's error handlers, which answer with its status.
    """
    if getattr(error, "status", 400) in (403, 404):
        raise error
    name = getattr(error, "field", None)
    field = getattr(form, name, None) if name and form is not None else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [str(error)]
    else:
        flash(str(error), "error")
