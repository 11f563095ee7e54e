"""gunicorn --preload: workers share the loaded app, never a connection or reader opened before the fork."""
from __future__ import annotations

import json
import os
import runpy

import pytest

from tests.support.app_nodes import PROJECT_ROOT
from tests.test_redis_outage import redis_server  # noqa: F401  (a fixture)


def gunicorn_settings() -> dict:
    return runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))


def in_forked_child(work) -> dict:
    """Run `work()` in a forked child, as gunicorn runs a worker, and return what it found."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report, then leave without running the parent's clean-ups
        os.close(read_end)
        try:
            answer = json.dumps(work())
        except BaseException as error:
            answer = json.dumps({"error": repr(error)})
        os.write(write_end, answer.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = json.loads(pipe.read() or b'{"error": "the child wrote nothing"}')
    os.waitpid(pid, 0)
    assert "error" not in answer, answer["error"]
    return answer


@pytest.fixture
def warm_app(app_config, redis_server, make_product):
    """An app on Redis whose database connection, Redis socket and index reader are open, as after warm-up."""
    from marketplace import create_app
    from marketplace.extensions import db

    application = create_app({**app_config, "REDIS_URL": redis_server.url})
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def database_session_id(connection):
    if connection.dialect.name == "postgresql":
        return connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    return None


def test_gunicorn_preloads_the_app_and_resets_each_new_worker():
    settings = gunicorn_settings()
    assert settings["preload_app"] is True
    assert callable(settings["when_ready"]) and callable(settings["post_fork"])


def test_a_forked_worker_opens_its_own_database_redis_and_index_handles(warm_app, make_product):
    from marketplace.extensions import db
    from marketplace.pagecache import trust
    from marketplace.search.services import backend

    with warm_app.test_request_context("/"):
        make_product("西湖龙井 明前", slug="longjing-tea")
    db.session.remove()
    db.engine.dispose()  # one pooled connection from here on: the one a child would inherit
    with db.engine.connect() as connection:
        parent_connection = connection.connection.dbapi_connection
        parent_session = database_session_id(connection)
    redis = trust.redis_client()
    parent_redis = redis.client_id()
    index = backend()
    parent_reader = index._searcher()
    assert parent_reader is not None

    def inherited_connection():
        with db.engine.connect() as connection:
            return {"same": connection.connection.dbapi_connection is parent_connection}

    # Without the hook, the child would use the very connection the parent holds: the test can fail.
    assert in_forked_child(inherited_connection) == {"same": True}

    def worker():
        gunicorn_settings()["post_fork"](None, None)
        with db.engine.connect() as connection:
            same = connection.connection.dbapi_connection is parent_connection
            session = database_session_id(connection)
        return {"same_connection": same, "session": session, "redis": redis.client_id(),
                "same_reader": index._searcher() is parent_reader}

    child = in_forked_child(worker)
    assert child["same_connection"] is False and child["same_reader"] is False
    assert child["redis"] != parent_redis
    if parent_session is not None:
        assert child["session"] != parent_session
    # The parent's own handles still work after the child let go of its copies.
    with db.engine.connect() as connection:
        assert database_session_id(connection) == parent_session
    assert redis.client_id() == parent_redis and index._searcher() is parent_reader


def test_warm_up_loads_the_shared_data_and_keeps_no_connection(app):
    from marketplace.extensions import db
    from marketplace.ops.forking import warm_up
    from marketplace.search import analysis

    warm_up(app)
    assert analysis._jieba_ready
    assert db.engine.pool.checkedin() == 0


def test_the_master_closes_the_connections_of_its_warm_up_rather_than_forgetting_them(app):
    """Forgotten, a connection stays open on the server until the garbage collector finds it."""
    import sqlite3

    from marketplace.extensions import db
    from marketplace.ops.forking import warm_up

    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
    db.session.remove()
    warm_up(app)
    if hasattr(raw, "closed"):  # psycopg
        assert raw.closed
    else:
        with pytest.raises(sqlite3.ProgrammingError):
            raw.execute("SELECT 1")


def test_another_flask_app_under_the_project_settings_starts_without_a_warm_up():
    """bench/ceiling.py runs under the same gunicorn.conf.py: its master must not look for the shop's extensions."""
    from flask import Flask
    from types import SimpleNamespace

    bare = Flask("ceiling")
    master = SimpleNamespace(cfg=SimpleNamespace(preload_app=True), app=SimpleNamespace(wsgi=lambda: bare))
    gunicorn_settings()["when_ready"](master)
    assert "babel" not in bare.extensions and not bare.jinja_env.cache
