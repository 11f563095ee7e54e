"""Public pages follow the GI chain: standard -> authorised cooperatives -> listing -> trace code."""
from datetime import timedelta

from marketplace.extensions import db
from marketplace.core.timeutil import utcnow
from tests.support.factories_certification import trace_code_of


def test_certified_listing_links_its_trace_code_and_standard_page_lists_it(
        client, gi_world, make_batch_certificate, make_listing):
    world = gi_world()
    certificate = make_batch_certificate(world.batch)
    listing = make_listing(world.cooperative, title="明前龙井 250g", batch=world.batch)

    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    code = trace_code_of(certificate)
    assert f'rel="nofollow" href="/verify/{code}"' in page and 'data-badge="certified"' in page

    standard_page = client.get("/standards/longjing-tea").get_data(as_text=True)
    assert world.cooperative.name in standard_page
    assert world.authorization.number in standard_page
    assert "明前龙井 250g" in standard_page


def test_expired_authorization_leaves_the_standard_page_and_the_badge(
        client, gi_world, make_batch_certificate, make_listing):
    world = gi_world()
    make_batch_certificate(world.batch)
    listing = make_listing(world.cooperative, title="明前龙井 250g", batch=world.batch)
    world.authorization.valid_until = utcnow() - timedelta(days=1)
    db.session.commit()

    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'data-badge="certified"' not in page and 'id="trace-code"' not in page
    assert world.authorization.number not in client.get("/standards/longjing-tea").get_data(as_text=True)
