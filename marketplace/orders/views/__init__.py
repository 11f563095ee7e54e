"""Blueprints of the orders area: shoppers (cart, checkout, orders), sellers, payment webhooks."""
