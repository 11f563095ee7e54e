"""`flask standards import PATH` and `flask standards list`."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from marketplace.core.errors import DomainError
from marketplace.standards.services import (
    check_file,
    problem_lines,
    publish_standard,
    versions,
)

standards_cli = AppGroup("standards", help="The GI standards catalogue.")


@standards_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def import_standards(path: Path):
    """Publish one standard file, or every *.toml file of a folder.

    Every file is checked first; if any has a problem, all problems are printed and nothing
    is published.
    """
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not files:
        raise click.ClickException(f"{path} holds no .toml file")
    problems: list[str] = []
    for file in files:
        try:
            check_file(file.read_bytes(), file.name)
        except DomainError as error:
            problems.extend(problem_lines(error) or [f"{file.name}: {error}"])
    if problems:
        for line in problems:
            click.echo(line, err=True)
        raise click.ClickException(f"{len(problems)} problem(s); nothing was published")
    with click.progressbar(files, label="Publishing", show_pos=True) as bar:
        results = [publish_standard(file.read_bytes(), file.name) for file in bar]
    for version, is_new in results:
        click.echo(f"{version.slug}: {version.label}{'' if is_new else ' (unchanged)'}")


@standards_cli.command("list")
def list_versions():
    """Show every published version, newest first per standard."""
    for row in versions():
        marker = "*" if row.is_current else " "
        click.echo(f"{marker} {row.slug:28} v{row.version:<3} {row.code:24} {row.published_at:%Y-%m-%d %H:%M} "
                   f"{row.fingerprint[:12]}")
