"""Supervision pages, one module per audience."""
