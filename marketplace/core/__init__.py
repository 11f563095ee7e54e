"""The ground every area stands on: written once, importing nothing above it."""
