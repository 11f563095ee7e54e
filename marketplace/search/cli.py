"""`flask search reindex | check | sync`: rebuild, audit and catch up the search index."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.search import services, sync

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("reindex")
def reindex_command():
    """Rebuild the index from the database; searches keep being answered meanwhile."""
    total = services.listing_count()
    with click.progressbar(length=total, label="Indexing listings", show_pos=True) as bar:
        count = services.reindex(progress=bar.update)
    click.echo(f"Indexed {count} live listings of {total} ({services.backend().name}).")


@search_cli.command("check")
@click.option("--repair", is_flag=True, help="Re-index the listings found missing, stale or extra.")
def check_command(repair: bool):
    """Report listings missing from the index, stale in it, or there but no longer live."""
    result = services.check_index(repair=repair)
    click.echo(f"Live listings: {result.live}; indexed documents: {result.indexed}; "
               f"outbox rows pending: {result.pending}")
    for label, ids in (("missing", result.missing), ("stale", result.stale), ("extra", result.extra)):
        shown = ", ".join(str(i) for i in ids[:20]) + (" …" if len(ids) > 20 else "")
        click.echo(f"  {label}: {len(ids)}" + (f" ({shown})" if ids else ""))
    if result.in_step:
        click.echo("The index is in step with the database.")
    elif repair:
        click.echo("Repaired: those listings were re-indexed.")
    else:
        raise click.ClickException("The index is out of step: run `flask search check --repair` "
                                   "or `flask search reindex`.")


@search_cli.command("sync")
def sync_command():
    """Apply what the outbox still holds (updates a worker could not finish)."""
    applied = 0
    while True:
        done = sync.drain_outbox()
        applied += done
        if not done:
            break
    click.echo(f"Applied {applied} pending listings.")
