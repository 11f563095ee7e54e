"""Certification's business rules, one module per topic: every state change happens here."""
