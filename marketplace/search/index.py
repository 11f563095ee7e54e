"""This app's search backend, and bringing listings' documents in step with the database.

Below both the search services and the after-commit sync, which use it alike.
"""
from __future__ import annotations

from flask import Flask, current_app

from marketplace.core.database import end_read
from marketplace.extensions import db
from marketplace.search import documents as docs
from marketplace.search.backends import SearchBackend, create_backend

EXTENSION = "terroir_search"


def install_backend(app: Flask) -> None:
    """Create the backend SEARCH_BACKEND names, for this app."""
    app.extensions[EXTENSION] = {"backend": create_backend(app)}


def backend() -> SearchBackend:
    return current_app.extensions[EXTENSION]["backend"]


def load_documents(listing_ids) -> tuple[list[docs.Document], set[int]]:
    """Read listings in a fresh transaction and build their documents (the backends' loader)."""
    try:
        facts, gone = docs.load_facts(db.session, listing_ids)
    finally:
        end_read()
    return [docs.build_document(f) for f in facts], gone


def index_listings(listing_ids) -> None:
    """Bring the index in step with the database for these listings (raises if it cannot)."""
    backend().apply(listing_ids, load_documents)
