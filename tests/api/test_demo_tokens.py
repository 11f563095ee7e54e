"""The demo's API tokens work as the README's curl examples use them, and load once."""
import pytest
from sqlalchemy import func, select

from marketplace.api.models import ApiToken
from marketplace.extensions import db
from tests.api.conftest import bearer

# Loading the whole demo takes about a minute on an idle machine and several on a loaded
# one: this timeout guards against a hang, it is not a speed limit.
pytestmark = pytest.mark.timeout(1800)


def test_demo_tokens_reach_the_demo_cooperative_and_the_export(app, client):
    from marketplace.demo import api, people

    for step in (people.load_counties_into_db, people.load_people, people.load_cooperatives, api.load, api.load):
        step()
    assert db.session.scalar(select(func.count(ApiToken.id))) == 2
    assert client.get("/api/v1/cooperative/listings", headers=bearer(api.DEMO_WRITE_TOKEN)).status_code == 200
    assert client.get("/api/v1/export/cooperatives", headers=bearer(api.DEMO_EXPORT_TOKEN)).status_code == 200
