"""`flask ops backup` and `flask ops restore`, with progress on the terminal."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from marketplace.ops.progress import Progress

ops_cli = AppGroup("ops", help="Backups and restores of the whole deployment.")


class TerminalProgress(Progress):
    """Stages as lines, file loops as progress bars (on stderr, so stdout stays the result)."""

    def step(self, message: str) -> None:
        click.echo(f"· {message}", err=True)

    def track(self, items, label: str, length: int):
        if not length:
            return
        with click.progressbar(items, length=length, label=label, file=sys.stderr,
                               show_pos=True) as bar:
            yield from bar


@ops_cli.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Archive to write (default: BACKUP_FOLDER/terroir-<UTC time>.tar.gz).")
def backup(output: Path | None):
    """Back up the database, the uploads folder and the search index into one archive, while the shop runs."""
    from marketplace.ops.backup import make_backup
    from marketplace.ops.manifest import BackupError

    try:
        path = make_backup(output, TerminalProgress())
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(str(path))


@ops_cli.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that has tables and move a non-empty "
                                              "uploads folder aside (stop every app server first).")
def restore(archive: Path, replace: bool):
    """Restore the database, uploads and search index from a backup archive, after checking all of it."""
    from marketplace.ops.manifest import BackupError
    from marketplace.ops.restore import restore_backup

    try:
        manifest = restore_backup(archive, replace=replace, progress=TerminalProgress())
    except BackupError as error:
        raise click.ClickException(f"restore refused: {error}") from error
    index = "" if manifest.search_index_documents is None else \
        f", a search index of {manifest.search_index_documents} documents"
    click.echo(f"restored the backup of {manifest.created_at} (schema revision {manifest.schema_revision}, "
               f"{len(manifest.upload_members)} uploaded files{index}).")
