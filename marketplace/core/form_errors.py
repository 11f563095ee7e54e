"""Put a service's error where the user will see it: on its field, or as a flash message."""
from flask import flash


def show_error(form, error: Exception) -> None:
    """Attach `error` to the form field it names (`error.field`), else flash it."""
    name = getattr(error, "field", None)
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [str(error)]
    else:
        flash(str(error), "error")
