"""The search pages, by audience."""
