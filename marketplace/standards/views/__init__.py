"""The standards pages, by audience (the public catalogue pages are the storefront's)."""
