"""Showing a service's OrderError on a form or as a message, and one-button actions."""
from __future__ import annotations

from flask import abort, flash, redirect
from flask_wtf import FlaskForm

from marketplace.core.form_errors import show_error
from marketplace.orders.services.errors import OrderError


def attach(form, error: OrderError) -> None:
    """Put the error on its field if the form has it, else flash it."""
    if error.status == 404:
        abort(404)
    if error.status == 403:
        abort(403)
    if form is None:
        flash(str(error), "error")
    else:
        show_error(form, error)


def form_messages(form) -> list[tuple[str, str]]:
    """(field label, message) for every error of a form, to show above it."""
    messages = []
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form._fields else name
        messages.extend((str(label), str(message)) for message in errors)
    return messages


def perform(action, done_message: str, back_to: str):
    """Run a one-button action (its form carries only the CSRF token), then go back.

    403 and 404 from the service become those responses; any other refusal is shown.
    """
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        action()
    except OrderError as error:
        if error.status in (403, 404):
            abort(error.status)
        flash(str(error), "error")
    else:
        flash(done_message, "success")
    return redirect(back_to)
