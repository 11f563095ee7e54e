"""Cart, checkout, stock reservations, orders split by cooperative, shipping and payment events."""
