"""Demo step: record the packaged GI standards as version 1 of the catalogue."""
import click

from marketplace.standards.services import record_packaged_versions


def load() -> None:
    created = record_packaged_versions()
    click.echo(f"Standards: {created} version(s) recorded")
