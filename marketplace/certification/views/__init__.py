"""Certification's pages by audience: official, seller, public (the verify page), admin."""
