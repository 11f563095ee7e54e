"""Search: find live listings by Chinese, pinyin or English words, with facets.

- analysis: words of shop text (jieba, pinyin, English stems), the same for both backends
- documents: a listing's search document, built from the database and the badge rule
- query: what the shopper asked, made safe; backends/: Whoosh (default) and PostgreSQL
- sync: after-commit updates with a durable outbox; services: search, reindex, check
- views: the /search page; commands: `flask search reindex | check | sync`
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The search backend, the index kept in step after commits, the page, `flask search`."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.search import cli, services
    from marketplace.search.views import public

    services.init_app(app)
    app.register_blueprint(public.bp)
    app.cli.add_command(cli.search_cli)
