"""Messages of a form's own checks, and one-button actions that show a service's refusal."""
from __future__ import annotations

from flask import abort, flash, redirect
from flask_wtf import FlaskForm

from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error


def form_messages(form) -> list[tuple[str, str]]:
    """(field label, message) for every error of a form, to show above it."""
    messages = []
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form._fields else name
        messages.extend((str(label), str(message)) for message in errors)
    return messages


def perform(action, done_message: str, back_to: str):
    """Run a one-button action (its form carries only the CSRF token), then go back.

    A refusal is shown as a message; 403 and 404 go on to the app's error handlers.
    """
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        action()
    except DomainError as error:
        show_error(None, error)
    else:
        flash(done_message, "success")
    return redirect(back_to)
