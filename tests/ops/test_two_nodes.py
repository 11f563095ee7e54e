"""Two app nodes, one state: PostgreSQL and Redis shared, nothing a request needs kept on one node.

Two gunicorn nodes (two workers each) run on free 127.0.0.1 ports against one throwaway
PostgreSQL and one Redis. A visitor's requests alternate between them, as a load balancer
without sticky sessions would send them.
"""
from __future__ import annotations

import pytest

from tests.pagecache.test_trust_cache import certified  # noqa: F401  (a fixture)
from tests.support.app_nodes import browser, csrf_token, nodes_sharing
from tests.support.factories import PASSWORD
from tests.support import services


@pytest.fixture(scope="module")
def database_factory():
    """Always PostgreSQL here, whatever the rest of the run uses: two nodes cannot share a SQLite file."""
    from marketplace.core.database import install_sqlite_pragmas
    from tests.support.databases import PostgresDatabases

    # When this module runs first in a SQLite session, the SQLite listeners must still be
    # registered before the test suite's own (which undo the app's BEGIN): as a SQLite app would.
    install_sqlite_pragmas(15000)
    cluster = services.postgres_cluster()
    try:
        factory = PostgresDatabases(cluster)
        yield factory
        factory.close()
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def two_nodes(database_factory, tmp_path_factory):
    """One database, one Redis and two nodes for the whole module (starting nodes is the slow part)."""
    with nodes_sharing(database_factory.new(), tmp_path_factory.mktemp("nodes")) as shared:
        yield shared


@pytest.fixture
def app_config(app_config, two_nodes):
    """The test's own app (which builds the data) works on the nodes' database and Redis."""
    return {**app_config, "SQLALCHEMY_DATABASE_URI": two_nodes.url, "REDIS_URL": two_nodes.redis_url,
            "RATELIMIT_STORAGE_URI": two_nodes.redis_url, "SEARCH_BACKEND": "postgres"}


@pytest.fixture
def nodes(app, two_nodes):
    return two_nodes.nodes


def page(session, node, path, **query) -> str:
    response = session.get(f"{node.url}{path}", params=query, timeout=60)
    assert response.status_code in (200, 404), (node.name, path, response.status_code)
    return response.text if response.status_code == 200 else ""


def sign_in(session, form_node, post_node, email: str, password: str = PASSWORD):
    """Read the sign-in form from one node and send it to the other."""
    token = csrf_token(page(session, form_node, "/login"))
    return session.post(f"{post_node.url}/login", data={"csrf_token": token, "email": email, "password": password},
                        allow_redirects=False, timeout=60)


def test_a_decision_on_node_a_is_on_node_b_cached_pages_at_the_next_request(nodes, certified):
    node_a, node_b = nodes
    product = f"/listings/{certified.listing.id}"
    visitor = browser()
    for node in (node_a, node_b, node_b):  # the second read on B is its cached copy
        assert 'data-badge="certified"' in page(visitor, node, product), node.name
        assert f'id="hit-{certified.listing.id}"' in page(visitor, node, "/search", q="longjing"), node.name

    official = browser()
    assert sign_in(official, node_a, node_b, certified.official.email).status_code == 302
    # Signed in through B, the official's session and CSRF token are good on A too.
    review = f"/official/certificates/{certified.certificate.id}"
    token = csrf_token(page(official, node_b, review))
    suspended = official.post(f"{node_a.url}{review}/suspend", timeout=60, allow_redirects=False,
                              data={"csrf_token": token, "suspend-reason": "Lab figures under review."})
    assert suspended.status_code == 302, suspended.text[:500]

    assert 'data-badge="certified"' not in page(visitor, node_b, product)
    assert 'data-badge="certified"' not in page(visitor, node_b, "/search", q="longjing")

    token = csrf_token(page(official, node_a, review))
    lifted = official.post(f"{node_b.url}{review}/reinstate", data={"csrf_token": token}, timeout=60,
                           allow_redirects=False)
    assert lifted.status_code == 302, lifted.text[:500]
    assert 'data-badge="certified"' in page(visitor, node_a, product)

    revoked = official.post(f"{node_b.url}{review}/revoke", timeout=60, allow_redirects=False,
                            data={"csrf_token": token, "revoke-reason": "Lab figures were forged."})
    assert revoked.status_code == 302, revoked.text[:500]
    for node in (node_a, node_b):
        assert 'data-badge="certified"' not in page(visitor, node, product), node.name
        assert 'data-badge="certified"' not in page(visitor, node, "/search", q="longjing"), node.name


def test_a_form_without_its_token_is_refused_on_either_node(nodes, certified):
    node_a, node_b = nodes
    official = browser()
    assert sign_in(official, node_b, node_a, certified.official.email).status_code == 302
    review = f"/official/certificates/{certified.certificate.id}"
    for node in (node_a, node_b):
        forged = official.post(f"{node.url}{review}/revoke", data={"revoke-reason": "No token."}, timeout=60,
                               allow_redirects=False)
        assert forged.status_code == 400, node.name
    assert 'data-badge="certified"' in page(browser(), node_a, f"/listings/{certified.listing.id}")


def test_failed_sign_ins_are_counted_across_nodes(nodes, make_user):
    node_a, node_b = nodes
    user = make_user(name="Farmer")
    attacker = browser()
    answers = [sign_in(attacker, node_a, node, user.email, "wrong-password!").status_code
               for node in (node_a, node_b, node_a)]
    assert answers == [400, 400, 400]
    # The fourth try, on either node, is refused even with the right password.
    assert sign_in(attacker, node_a, node_b, user.email).status_code == 429
    assert sign_in(browser(), node_b, node_a, user.email).status_code == 429
