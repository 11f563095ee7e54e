"""Order services, one module per topic: cart, checkout, reservations, lifecycle (the
transition table), expiry, payments, refunds, fulfilment, shipping, and queries for pages.

Each takes plain values and the acting user, changes state in one transaction, and raises
`DomainError` with a message fit to show and the field it concerns.
"""
