"""Production batches and listings with their variants, and the rules that keep them honest."""


def init_app(app) -> None:
    """Install the catalog's session hook (every listing has at least one variant)."""
    from marketplace.catalog.models.variant import install_session_hooks

    install_session_hooks()
