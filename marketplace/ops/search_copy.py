"""The search index in a backup: copied when it lives in files of its own (Whoosh), put back on restore.

With SEARCH_BACKEND=postgres the index is rows of the database, so the dump holds it already.
A Whoosh index is copied between two of its commits (see `WhooshBackend.snapshot`), right
after the database: listings that changed in that moment are brought in step on restore by
comparing every live listing's fingerprint with the index (`flask search check --repair`),
which re-indexes only those, never the whole catalogue.
"""
from __future__ import annotations

from pathlib import Path

from marketplace.ops.manifest import SEARCH_INDEX_DIR, BackupError, Manifest
from marketplace.ops.progress import Progress
from marketplace.search.backends import SearchUnavailable


def copy_index(scratch: Path, progress: Progress) -> tuple[Path, int] | None:
    """Copy the index into `scratch`; return the copy's folder and document count (None: nothing to copy)."""
    from marketplace.search.index import backend

    search = backend()
    if search.index_in_database:
        return None
    progress.step(f"copying the {search.name} search index")
    copy = scratch / SEARCH_INDEX_DIR
    try:
        documents = search.snapshot(copy)
    except SearchUnavailable as error:
        raise BackupError(f"the search index could not be copied: {error}") from error
    return None if documents is None else (copy, documents)


def check_index_copy(manifest: Manifest, staging: Path) -> None:
    """Before anything is restored: the archive's index copy opens and holds what the manifest says."""
    from marketplace.search.index import backend

    search = backend()
    if search.index_in_database or manifest.search_index_documents is None:
        return
    try:
        documents = search.check_snapshot(staging / SEARCH_INDEX_DIR)
    except SearchUnavailable as error:
        raise BackupError(f"the archive's search index cannot be read: {error}") from error
    if documents != manifest.search_index_documents:
        raise BackupError(f"the archive's search index holds {documents} documents, "
                          f"not the {manifest.search_index_documents} its manifest lists")


def restore_index(manifest: Manifest, staging: Path, progress: Progress) -> None:
    """Put the archive's index in use and bring it in step with the restored database."""
    from marketplace.search import services
    from marketplace.search.index import backend

    search = backend()
    if search.index_in_database:
        return  # restored with the database
    if manifest.search_index_documents is None:
        progress.step(f"the archive holds no {search.name} search index: run `flask search reindex` "
                      "before opening the shop")
        return
    documents = search.install_snapshot(staging / SEARCH_INDEX_DIR)
    checked = services.check_index(repair=True)
    changed = len(checked.missing) + len(checked.stale) + len(checked.extra)
    progress.step(f"search index restored ({documents} documents); {changed} listing(s) that changed "
                  "while the backup ran were re-indexed")
