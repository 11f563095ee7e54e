"""A Redis outage slows nothing down to a 500: limits fall back to memory, logged once.

With REDIS_URL set, sign-in counters and the verify pages' limits live in Redis. When it
stops answering, each worker counts in its own memory until Redis is back.
"""
import logging
import os

import pytest

from tests.support.factories import PASSWORD
from tests.support.redis_server import RedisServer, RedisUnavailable


@pytest.fixture
def redis_server():
    try:
        server = RedisServer().start()
    except RedisUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"redis-server is required in CI: {error}")
        pytest.skip(str(error))
    yield server
    server.remove()


@pytest.fixture
def redis_app(app_config, redis_server):
    from marketplace import create_app
    from marketplace.extensions import db

    application = create_app({**app_config, "REDIS_URL": redis_server.url,
                              "RATELIMIT_STORAGE_URI": redis_server.url,
                              "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes"})
    from tests.conftest import _isolated_client_class

    application.test_client_class = _isolated_client_class()
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def _sign_in(app, email, password):
    return app.test_client().post("/login", data={"email": email, "password": password})


def test_sign_ins_and_verify_pages_carry_on_when_redis_goes_down(redis_app, redis_server, caplog):
    from marketplace.accounts.models import User
    from marketplace.extensions import db

    user = User(email="farmer@example.com", display_name="F")
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()

    # Counted in Redis while it is up.
    assert _sign_in(redis_app, user.email, "wrong-password!").status_code == 400
    assert redis_app.test_client().get("/verify").status_code == 200
    with redis_server.client() as client:
        assert any(b"login-account" in key for key in client.keys())

    redis_server.stop()
    caplog.clear()
    caplog.set_level(logging.WARNING)
    # Sign-ins still answer, right and wrong, and the limit still holds (now in memory).
    assert _sign_in(redis_app, user.email, PASSWORD).status_code == 302
    for _ in range(3):
        assert _sign_in(redis_app, user.email, "wrong-password!").status_code == 400
    assert _sign_in(redis_app, user.email, PASSWORD).status_code == 429
    for _ in range(3):
        assert redis_app.test_client().get("/verify").status_code == 200
        assert redis_app.test_client().get("/verify/K7QM-2XHD-9RTA").status_code in (400, 404)
    throttle_warnings = [r for r in caplog.records if "counting sign-ins" in r.getMessage()]
    assert len(throttle_warnings) == 1
    limiter_warnings = [r for r in caplog.records if "falling back to in-memory" in r.getMessage()]
    assert len(limiter_warnings) <= 1


def test_counting_goes_back_to_redis_when_it_returns(redis_app, redis_server):
    redis_app.config["RATELIMIT_RETRY_STORAGE_SECONDS"] = 0
    redis_server.stop()
    assert _sign_in(redis_app, "someone@example.com", "wrong-password!").status_code == 400
    redis_server.start()
    assert _sign_in(redis_app, "someone@example.com", "wrong-password!").status_code == 400
    with redis_server.client() as client:
        assert any(b"login-account" in key for key in client.keys())
