"""A shop worth backing up (orders, ledger rows, a certificate, photos), and empty places to restore it."""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from tests.catalog.test_photos import post_listing
from tests.orders.test_order_life import as_user, two_cooperative_order  # noqa: F401  (a fixture)
from tests.support.factories_catalog import image_bytes
from tests.support.factories_certification import trace_code_of

_restored = itertools.count(1)


@pytest.fixture
def migrated(app):
    """Mark the test database as migrated to this code's head, as `flask db upgrade` leaves it.

    The test template is built from the models; tests/test_migrations.py proves the
    migrations build the same schema.
    """
    from flask_migrate import stamp

    stamp()
    return app


@pytest.fixture
def busy_shop(migrated, login, make_user, seller_world, two_cooperative_order, gi_world, make_batch_certificate):
    """Orders with their ledger rows, a certified batch and a listing with photos."""
    from marketplace.catalog.models import ListingPhoto
    from marketplace.extensions import db

    app, world = migrated, two_cooperative_order
    for seller, part in (("tea_seller", "tea_part"), ("rice_seller", "rice_part")):
        response = as_user(app, login, world[seller]).post(f"/seller/orders/{world[part]}/confirm-payment")
        assert response.status_code == 302
    certified = gi_world()
    certificate = make_batch_certificate(certified.batch)
    sellers = seller_world()
    photographer = as_user(app, login, sellers["member"])
    assert post_listing(photographer, sellers["cooperative"],
                        [(image_bytes("JPEG", size=(900, 600)), "field.jpg"), (image_bytes("PNG"), "b.png")]
                        ).status_code == 302
    photos = db.session.scalars(select(ListingPhoto)).all()
    assert len(photos) == 2
    return SimpleNamespace(app=app, order_id=world["order"].id, certificate_number=certificate.number,
                           trace_code=trace_code_of(certificate),
                           photo_files=[name for photo in photos for name in (photo.filename, photo.thumbnail)])


@pytest.fixture
def empty_target(database_factory, app_config, tmp_path):
    """An app configured on an empty database, and uploads and search index folders that do not exist yet."""
    from marketplace import create_app
    from tests.support.databases import PostgresDatabases

    number = next(_restored)
    if isinstance(database_factory, PostgresDatabases):
        name = f"restored_{number}"
        with database_factory.admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}")  # from template1: no tables
        url = database_factory.cluster.url(name)
    else:
        url = f"sqlite:///{tmp_path / f'restored-{number}.sqlite3'}"
    return create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url,
                       "UPLOAD_FOLDER": str(tmp_path / f"restored-uploads-{number}"),
                       "SEARCH_INDEX_DIR": str(tmp_path / f"restored-search-index-{number}")})


def run_command(application, *args: str):
    """Run a `flask` command on `application` the way an operator would.

    Its own app context is pushed first: the CLI runner would otherwise reuse the context
    the test holds open, which belongs to the shop being backed up.
    """
    from marketplace.extensions import db

    with application.app_context():
        try:
            return application.test_cli_runner().invoke(args=list(args))
        finally:
            db.session.remove()


@contextmanager
def connected(url: str, begin: bool = False):
    """A connection of its own to the database at `url` (not the app's), closed afterwards."""
    engine = sa.create_engine(url)
    try:
        with (engine.begin() if begin else engine.connect()) as connection:
            yield connection
    finally:
        engine.dispose()
