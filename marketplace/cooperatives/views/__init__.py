"""The cooperatives pages, by audience."""
