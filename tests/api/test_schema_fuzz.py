"""schemathesis against the API's own generated document: no server error, every answer
as documented (status, content type, schema), with a fixed example budget per operation.

Runs on SQLite and, with TERROIR_TEST_DB=postgresql, on PostgreSQL. Rate limits are off here
(their own tests cover them), so that the budget is spent on inputs, not on 429s.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import bearer

#: Examples per operation (26 operations): keeps the run under a minute on a busy machine.
EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def fuzz_world(coop_world, make_user, make_token, gi_world, make_batch_certificate, make_listing, last_month,
               sales_in):
    from marketplace.insights import snapshots

    world = gi_world()
    make_batch_certificate(world.batch)
    make_listing(world.cooperative, title="西湖龙井 明前", batch=None)
    sales_in(last_month, ["330106"], orders=3)
    snapshots.publish_month(last_month)  # the index has a published month and a provisional one
    supervisor = make_user(supervisor=True)
    return {"write": coop_world["write"], "export": make_token(supervisor, scope="export"), "month": str(last_month)}


def test_api_answers_as_its_document_says(app, fuzz_world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        token = fuzz_world["export"] if operation.path.startswith("/api/v1/export") else fuzz_world["write"]
        _fuzz(operation, {**bearer(token), "Accept-Language": "zh-CN"})
        if operation.path == "/api/v1/insights/months/{month}":  # also the month that has figures
            for query in ({}, {"metric": "gmv", "cut": "province"}, {"metric": "orders", "cut": "county"}):
                response = operation.Case(path_parameters={"month": fuzz_world["month"]}, query=query) \
                    .call_and_validate(headers={"Accept-Language": "en"}, checks=CHECKS)
                assert response.status_code == 200 and response.json()["figures"]


def _fuzz(operation, headers: dict) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def answers_as_documented(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    answers_as_documented()
