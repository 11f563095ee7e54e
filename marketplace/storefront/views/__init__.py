"""The storefront pages, by audience."""
