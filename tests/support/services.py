"""Start a real service a test needs: skipped when it is not installed, a failure under CI=true."""
from __future__ import annotations

import os

import pytest

from tests.support.postgres import PostgresCluster, PostgresUnavailable
from tests.support.redis_server import RedisServer, RedisUnavailable


def _required(start, name: str):
    try:
        return start()
    except (PostgresUnavailable, RedisUnavailable) as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required in CI: {error}")
        pytest.skip(f"{name} not available: {error}")


def postgres_cluster() -> PostgresCluster:
    return _required(lambda: PostgresCluster().start(), "PostgreSQL")


def redis_server() -> RedisServer:
    return _required(lambda: RedisServer().start(), "redis-server")
