"""Fixtures shared by the orders tests of several modules."""
from tests.orders.test_order_life import two_cooperative_order  # noqa: F401  (a fixture)
