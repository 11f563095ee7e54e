"""The accounts pages, by audience."""
