"""What an official reviews and certifies cannot change afterwards."""
from marketplace.certification.services import certificates
from marketplace.extensions import db
from tests.support.factories_certification import review_answers


def edit(client, batch, moisture="6.0"):
    return client.post(f"/seller/batches/{batch.id}/edit", data={
        "cooperative_id": str(batch.cooperative_id), "county_code": batch.county_code,
        "harvest_date": "2026-04-02", "variety": "龙井43", "grade": "premium", "quantity": "120",
        "unit": "kg", "lab_name": "Lab", "lab_report_number": "R-1", "measurement_moisture": moisture})


def test_a_batch_sent_for_certification_can_no_longer_be_edited(client, login, gi_world):
    world = gi_world()
    certificates.submit_batch(world.seller, world.batch.id)
    login(world.seller)
    response = edit(client, world.batch, moisture="5.0")
    assert response.status_code != 302
    assert "can no longer change" in response.get_data(as_text=True)
    db.session.refresh(world.batch)
    assert world.batch.measurements.get("moisture") != 5.0
    assert 'id="edit-batch"' not in client.get(f"/seller/batches/{world.batch.id}").get_data(as_text=True)


def test_a_certified_batch_stays_locked(client, login, gi_world):
    world = gi_world()
    certificate = certificates.submit_batch(world.seller, world.batch.id)
    certificates.certify_batch(world.official, certificate.id, lab_report_read=True,
                               answers=review_answers(world.batch))
    login(world.seller)
    response = edit(client, world.batch, moisture="5.0")
    assert response.status_code != 302 and "can no longer change" in response.get_data(as_text=True)
    db.session.refresh(world.batch)
    assert world.batch.measurements.get("moisture") != 5.0


def test_a_rejected_batch_can_be_corrected_and_sent_again(client, login, gi_world):
    world = gi_world()
    certificate = certificates.submit_batch(world.seller, world.batch.id)
    certificates.reject_batch(world.official, certificate.id, "The lab report is unreadable.")
    login(world.seller)
    assert edit(client, world.batch).status_code == 302
    db.session.refresh(world.batch)
    assert world.batch.locked_at is None
