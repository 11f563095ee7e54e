"""The review queue counts working days and marks what waited past the allowed time."""
from __future__ import annotations

from datetime import date

import pytest

from marketplace.certification.services.queue import working_days_between


@pytest.mark.parametrize(("start", "end", "days"), [
    (date(2026, 3, 2), date(2026, 3, 2), 0),    # Monday to the same Monday
    (date(2026, 3, 2), date(2026, 3, 6), 4),    # Monday to Friday
    (date(2026, 3, 6), date(2026, 3, 9), 1),    # Friday to Monday: the weekend does not count
    (date(2026, 3, 2), date(2026, 3, 16), 10),  # two weeks
    (date(2026, 3, 7), date(2026, 3, 8), 0),    # Saturday to Sunday
    (date(2026, 3, 9), date(2026, 3, 2), 0),    # backwards
])
def test_working_days_skip_weekends(start, end, days):
    assert working_days_between(start, end) == days


def test_items_waiting_too_long_are_marked_overdue(gi_world, make_gi_batch, make_batch_certificate, as_user):
    world = gi_world()
    fresh = make_batch_certificate(world.batch, status="submitted", submitted_days_ago=1)
    old_batch = make_gi_batch(world.cooperative)
    old = make_batch_certificate(old_batch, status="submitted", submitted_days_ago=30)
    page = as_user(world.official).get("/official/").get_data(as_text=True)
    old_row = page.split(f'data-id="{old.id}"')[1].split("</tr>")[0]
    fresh_row = page.split(f'data-id="{fresh.id}"')[1].split("</tr>")[0]
    assert "Overdue" in old_row and "Overdue" not in fresh_row
    assert page.index(f'data-id="{old.id}"') < page.index(f'data-id="{fresh.id}"')
