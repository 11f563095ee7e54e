"""Users, roles, sign-up, sign-in, sessions and profile."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The sign-in pages, the session's user loader, and `flask users`."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.accounts import cli, services
    from marketplace.accounts.views import public
    from marketplace.extensions import login_manager

    app.register_blueprint(public.bp)
    login_manager.user_loader(services.load_user_from_session)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    app.cli.add_command(cli.users_cli)
