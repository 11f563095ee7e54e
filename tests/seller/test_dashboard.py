"""The seller dashboard: the cooperative's figures, and switching between cooperatives."""
from tests.seller.test_listings import listing_form


def test_dashboard_shows_the_cooperatives_listings_batches_and_stock(client, login, seller_world,
                                                                     make_listing, make_batch,
                                                                     make_gi_authorization):
    world = seller_world()
    batch = make_batch(world["cooperative"])
    make_gi_authorization(world["cooperative"])  # "awaiting certification" needs an authorization
    make_listing(world["cooperative"], title="Live tea 龙井茶", stock=3, batch=batch)
    make_listing(world["cooperative"], title="Draft tea", status="draft", stock=10)
    make_listing(world["other"], title="Someone else's rice")
    login(world["member"])
    page = client.get("/seller/").get_data(as_text=True)
    assert "Live tea" in page and "Draft tea" in page and "Someone else" not in page
    assert '<strong id="count-active">1</strong>' in page and '<strong id="count-stock">13</strong>' in page
    assert '<strong id="count-batches">1 / 1</strong>' in page
    assert "Low stock" in page  # 3 left of a live listing
    assert f'href="/seller/batches/{batch.id}"' in page
    assert "Longjing tea · validated, awaiting certification" in page


def test_a_member_of_two_cooperatives_switches_and_the_choice_is_remembered(client, login, make_user,
                                                                            make_cooperative, make_listing):
    user = make_user()
    tea = make_cooperative(user, name="Tea cooperative")
    rice = make_cooperative(make_user(), county="230184", name="Rice cooperative", members=[user])
    make_listing(tea, title="Our tea")
    make_listing(rice, title="Our rice", category="rice")
    login(user)
    first = client.get("/seller/").get_data(as_text=True)
    assert "Our tea" in first and "Our rice" not in first and 'id="switch-cooperative"' in first
    response = client.post("/seller/cooperative", data={"cooperative_id": str(rice.id)})
    assert response.status_code == 302
    assert "Our rice" in client.get("/seller/").get_data(as_text=True)
    assert "Our rice" in client.get("/seller/listings").get_data(as_text=True)
    new_form = client.get("/seller/listings/new").get_data(as_text=True)
    assert f'name="cooperative_id" type="hidden" value="{rice.id}"' in new_form


def test_a_remembered_cooperative_the_user_left_is_not_used(client, login, make_user, make_cooperative,
                                                            make_listing):
    from marketplace.cooperatives.models import Membership
    from marketplace.extensions import db

    user = make_user()
    tea = make_cooperative(user, name="Tea cooperative")
    rice = make_cooperative(make_user(), county="230184", name="Rice cooperative", members=[user])
    make_listing(rice, title="Rice of the old cooperative", category="rice")
    login(user)
    client.post("/seller/cooperative", data={"cooperative_id": str(rice.id)})
    db.session.execute(db.delete(Membership).where(Membership.user_id == user.id,
                                                   Membership.cooperative_id == rice.id))
    db.session.commit()
    page = client.get("/seller/").get_data(as_text=True)
    assert tea.name in page and "Rice of the old cooperative" not in page
    assert client.post("/seller/listings/new", data=listing_form(rice)).status_code == 403


def test_switching_to_a_cooperative_of_others_is_refused(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    assert client.post("/seller/cooperative", data={"cooperative_id": str(world["other"].id)}).status_code == 403
    assert client.post("/seller/cooperative", data={"cooperative_id": "not-a-number"}).status_code == 403


def test_sellers_see_the_dashboard_link_and_consumers_do_not(client, login, seller_world):
    world = seller_world()
    login(world["consumer"])
    assert 'href="/seller/"' not in client.get("/").get_data(as_text=True)
    login(world["member"])
    assert 'href="/seller/"' in client.get("/").get_data(as_text=True)
