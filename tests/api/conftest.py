"""Factories of the API tests: tokens made through the real service, and a bearer header."""
from __future__ import annotations

import pytest


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def make_token(app):
    """Make a token through the token service; returns its secret (shown once)."""
    from marketplace.api import tokens

    def make(user, cooperative=None, *, scope: str = "write", name: str = "stock sheet") -> str:
        if scope == "export":
            return tokens.create_export_token(user, name).secret
        return tokens.create_cooperative_token(user, cooperative.id, name, scope).secret

    return make


@pytest.fixture
def coop_world(seller_world, make_listing, make_token):
    """Two cooperatives with a listing each, and a read and a write token of the first."""
    world = seller_world()
    world["listing"] = make_listing(world["cooperative"], title="明前绿茶", price_minor=5800, stock=20)
    world["other_listing"] = make_listing(world["other"], title="稻花香大米", category="grain", stock=5)
    world["write"] = make_token(world["member"], world["cooperative"], scope="write")
    world["read"] = make_token(world["member"], world["cooperative"], scope="read")
    return world
