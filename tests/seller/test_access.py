"""Nobody but a cooperative's members sees or changes its batches, listings and lab reports."""
import pytest
from sqlalchemy import select

from marketplace.catalog.models import Batch, Listing, ListingPhoto
from marketplace.extensions import db
from tests.seller.test_batches import batch_form
from tests.seller.test_listings import listing_form
from tests.support.factories_certification import PDF_BYTES
from tests.support.factories_catalog import image_bytes, upload

# (method, url, what each role gets: anonymous, consumer, other cooperative's member)
URLS = [
    ("GET", "/seller/", (302, 403, 200)),
    ("POST", "/seller/cooperative", (302, 403, 403)),
    ("GET", "/seller/batches", (302, 403, 200)),
    ("GET", "/seller/batches/new", (302, 403, 200)),
    ("GET", "/seller/batches/new?product=longjing-tea", (302, 403, 200)),
    ("POST", "/seller/batches/new?product=longjing-tea", (302, 403, 403)),
    ("GET", "/seller/batches/{batch}", (302, 403, 404)),
    ("GET", "/seller/batches/{batch}/edit", (302, 403, 404)),
    ("POST", "/seller/batches/{batch}/edit", (302, 403, 404)),
    ("GET", "/seller/batches/{batch}/lab-report", (302, 404, 404)),
    ("GET", "/seller/listings", (302, 403, 200)),
    ("GET", "/seller/listings/new", (302, 403, 200)),
    ("POST", "/seller/listings/new", (302, 403, 403)),
    ("GET", "/seller/listings/{listing}/edit", (302, 403, 404)),
    ("POST", "/seller/listings/{listing}/edit", (302, 403, 404)),
    ("POST", "/seller/listings/{listing}/status", (302, 403, 404)),
    ("POST", "/seller/listings/{listing}/photos/{photo}/delete", (302, 403, 404)),
    ("GET", "/listings/{listing}", (404, 404, 404)),
    ("GET", "/media/photos/{photo_file}", (404, 404, 404)),
]
ROLES = ("anonymous", "consumer", "other_member")


@pytest.fixture
def victim(client, login, seller_world):
    """The Xihu cooperative's batch (with its lab report) and draft listing (with a photo)."""
    world = seller_world()
    login(world["member"])
    cooperative = world["cooperative"]
    client.post("/seller/batches/new?product=longjing-tea", content_type="multipart/form-data",
                data=batch_form(cooperative, lab_report=upload(PDF_BYTES, "report.pdf")))
    batch = db.session.scalar(select(Batch))
    data = listing_form(cooperative, title="Secret draft", batch_id=str(batch.id))
    data["photos"] = [upload(image_bytes(), "a.jpg")]
    client.post("/seller/listings/new", data=data, content_type="multipart/form-data")
    client.post("/logout")
    listing = db.session.scalar(select(Listing))
    photo = db.session.scalar(select(ListingPhoto))
    assert batch.lab_report_file and listing and photo
    return {**world, "batch": batch, "listing": listing, "photo": photo}


def attack_data(victim) -> dict:
    """What an attacker posts: the victim's cooperative and plausible field values."""
    data = {**batch_form(victim["cooperative"]), **listing_form(victim["cooperative"])}
    data.update(title="Hijacked", status="active", measurement_moisture="99", stock="0",
                cooperative_id=str(victim["cooperative"].id), stock_seen="0")
    return data


@pytest.mark.parametrize("method,template,expected", URLS)
@pytest.mark.parametrize("role", ROLES)
def test_outsiders_neither_see_nor_change_a_cooperatives_things(client, login, victim, method, template,
                                                                 expected, role):
    if role != "anonymous":
        login(victim[role])
    url = template.format(batch=victim["batch"].id, listing=victim["listing"].id, photo=victim["photo"].id,
                          photo_file=victim["photo"].filename)
    with client.open(url, method=method, data=attack_data(victim) if method == "POST" else None) as response:
        page = response.get_data(as_text=True)
        assert response.status_code == expected[ROLES.index(role)], (role, url)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]
    assert "Secret draft" not in page and "report.pdf" not in page
    db.session.refresh(victim["listing"])
    db.session.refresh(victim["batch"])
    assert victim["listing"].title == "Secret draft" and victim["listing"].status.value == "draft"
    assert victim["listing"].stock == 40 and len(victim["listing"].photos) == 1
    assert victim["batch"].measurements == {"moisture": 6.2}
    assert db.session.scalar(select(db.func.count(Batch.id))) == 1
    assert db.session.scalar(select(db.func.count(Listing.id))) == 1


@pytest.mark.parametrize("method,template,expected", URLS)
def test_members_use_every_seller_url(client, login, victim, method, template, expected):
    login(victim["member"])
    url = template.format(batch=victim["batch"].id, listing=victim["listing"].id, photo=victim["photo"].id,
                          photo_file=victim["photo"].filename)
    data = attack_data(victim) | {"title": "Renamed", "status": "draft"} if method == "POST" else None
    with client.open(url, method=method, data=data) as response:
        assert response.status_code in (200, 302, 400), url


@pytest.mark.parametrize("who,status", [
    ("official_of_county", 200), ("supervisor", 200), ("official_elsewhere", 404)])
def test_lab_reports_open_to_the_countys_officials_and_supervisors(client, login, victim, make_user, who, status):
    users = {"official_of_county": lambda: make_user(official_of=("330106",)),
             "official_elsewhere": lambda: make_user(official_of=("230184",)),
             "supervisor": lambda: make_user(supervisor=True)}
    login(users[who]())
    with client.get(f"/seller/batches/{victim['batch'].id}/lab-report") as response:
        assert response.status_code == status


def test_can_view_lab_report_is_the_rule_other_areas_reuse(victim, make_user):
    from marketplace.catalog.services import can_view_lab_report

    batch = victim["batch"]
    assert can_view_lab_report(victim["member"], batch)
    assert can_view_lab_report(make_user(official_of=("330106",)), batch)
    assert can_view_lab_report(make_user(supervisor=True), batch)
    assert not can_view_lab_report(make_user(official_of=("230184",)), batch)
    assert not can_view_lab_report(victim["other_member"], batch)
    assert not can_view_lab_report(victim["consumer"], batch)


@pytest.mark.parametrize("url", [
    "/listings/99999999999999999999", "/cooperatives/99999999999999999999",
    "/seller/batches/99999999999999999999", "/seller/batches/99999999999999999999/edit",
    "/seller/listings/99999999999999999999/edit", "/seller/batches/99999999999999999999/lab-report"])
def test_ids_too_large_for_the_database_are_a_404_not_a_crash(client, login, seller_world, url):
    login(seller_world()["member"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("method,template,expected", [u for u in URLS if u[0] == "POST"])
def test_posts_without_a_csrf_token_are_refused(app, client, login, victim, method, template, expected):
    login(victim["member"])
    app.config["WTF_CSRF_ENABLED"] = True
    url = template.format(batch=victim["batch"].id, listing=victim["listing"].id, photo=victim["photo"].id)
    response = client.post(url, data=attack_data(victim))
    assert response.status_code == 400
    assert "The form expired or was not sent from this site" in response.get_data(as_text=True)
    db.session.refresh(victim["listing"])
    assert victim["listing"].title == "Secret draft" and len(victim["listing"].photos) == 1
