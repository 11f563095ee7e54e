"""Role checks for views. Object ownership is checked where the object is loaded."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def _role_required(check):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


supervisor_required = _role_required(lambda user: user.is_supervisor)
official_required = _role_required(lambda user: user.is_official)
seller_required = _role_required(lambda user: user.is_seller)
