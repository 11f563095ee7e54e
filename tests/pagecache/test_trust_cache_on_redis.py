"""With `REDIS_URL`, workers share the copies and read the trust version with one GET."""
from __future__ import annotations

from tests.pagecache.test_trust_cache import _page, _retitle_behind_the_orms_back, certified  # noqa: F401
from tests.test_redis_outage import redis_server  # noqa: F401  (a throwaway redis-server per test)


def test_two_workers_on_redis_share_copies_and_see_a_revocation_at_once(app_config, certified, redis_server):
    from marketplace import create_app
    from marketplace.accounts.models import User
    from marketplace.certification.services.certificates import revoke_certificate
    from marketplace.extensions import db
    from marketplace.pagecache.trust import REDIS_KEY

    settings = {**app_config, "REDIS_URL": redis_server.url}
    worker_a, worker_b = create_app(settings), create_app(settings)
    url = f"/listings/{certified.listing.id}"
    assert 'data-badge="certified"' in _page(worker_a.test_client(), url)
    assert redis_server.client().get(REDIS_KEY) is not None
    _retitle_behind_the_orms_back(certified.listing, "Qiantang UNSEEN")
    assert "UNSEEN" not in _page(worker_b.test_client(), url)  # worker A's copy, kept in Redis

    official_id, certificate_id = certified.official.id, certified.certificate.id
    with worker_a.app_context():
        revoke_certificate(db.session.get(User, official_id), certificate_id, "Lab figures were forged.")
        db.session.remove()
    assert 'data-badge="certified"' not in _page(worker_b.test_client(), url)
    assert 'data-badge="certified"' not in _page(worker_b.test_client(), "/search", q="longjing")


def test_pages_are_still_served_when_redis_is_down(app_config, certified, redis_server):
    from marketplace import create_app

    worker = create_app({**app_config, "REDIS_URL": redis_server.url})
    redis_server.stop()
    response = worker.test_client().get(f"/listings/{certified.listing.id}")
    assert response.status_code == 200 and "Qiantang" in response.get_data(as_text=True)
