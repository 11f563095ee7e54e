"""`flask ops backup`: the database, the uploads folder, the search index and a manifest, in one archive."""
from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
import time
from datetime import timezone
from pathlib import Path

from flask import current_app

from marketplace.extensions import db
from marketplace.ops import database_copy, search_copy
from marketplace.ops.manifest import (DATABASE_DIR, MANIFEST_NAME, SEARCH_INDEX_DIR, UPLOADS_DIR, BackupError,
                                      Manifest, code_schema_revision, database_schema_revision, sha256_of)
from marketplace.ops.progress import Progress


def default_archive_path() -> Path:
    from marketplace.core.timeutil import utcnow

    stamp = utcnow().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.config["BACKUP_FOLDER"]) / f"terroir-{stamp}.tar.gz"


def make_backup(output: Path | None = None, progress: Progress | None = None) -> Path:
    """Write a backup archive of this app's database and uploads; return its path.

    The uploads are copied before and after the database: a photo whose row committed
    before the database copy was taken is on disk by the second pass, and one removed
    meanwhile was caught by the first (spare files in the archive are harmless).
    """
    from marketplace.core.timeutil import utcnow

    progress = progress or Progress()
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    dialect = database_copy.dialect_of(url)
    revision = _migrated_revision()
    archive_path = Path(output) if output else default_archive_path()
    archive_path.parent.mkdir(parents=True, exist_ok=True)
    member = f"{DATABASE_DIR}/{database_copy.DUMP_NAMES[dialect]}"
    manifest = Manifest(created_at=utcnow().astimezone(timezone.utc).isoformat(), schema_revision=revision,
                        dialect=dialect, database_member=member)
    draft = archive_path.with_name(archive_path.name + ".partial")
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    try:
        with tarfile.open(draft, "w:gz", compresslevel=6) as archive, \
                tempfile.TemporaryDirectory(prefix="terroir-backup-") as scratch:
            added: set[str] = set()
            _add_uploads(archive, manifest, uploads, added, progress, "uploads (first pass)")
            progress.step(f"copying the {dialect} database")
            dump = Path(scratch) / database_copy.DUMP_NAMES[dialect]
            database_copy.dump(url, dump, current_app.config["POSTGRES_CLIENT_BIN"])
            _add_file(archive, manifest, dump, member)
            _add_search_index(archive, manifest, Path(scratch), progress)
            _add_uploads(archive, manifest, uploads, added, progress, "uploads (second pass)")
            _add_bytes(archive, MANIFEST_NAME, manifest.to_json())
        os.replace(draft, archive_path)
    finally:
        draft.unlink(missing_ok=True)
    index = "" if manifest.search_index_documents is None else \
        f", a search index of {manifest.search_index_documents} documents"
    progress.step(f"wrote {archive_path} ({len(manifest.upload_members)} uploaded files{index}, "
                  f"schema revision {revision})")
    return archive_path


def _migrated_revision() -> str:
    """The database's schema revision, which must be this code's: a backup restores with the code that made it."""
    with db.engine.connect() as connection:
        revision = database_schema_revision(connection)
    if revision is None:
        raise BackupError("the database has no schema revision (no alembic_version table): "
                          "run `flask db upgrade` before backing it up")
    expected = code_schema_revision()
    if revision != expected:
        raise BackupError(f"the database is at schema revision {revision} but this code expects {expected}: "
                          "run `flask db upgrade` first")
    return revision


def _add_uploads(archive, manifest, uploads: Path, added: set[str], progress: Progress, label: str) -> None:
    files = sorted(path for path in uploads.rglob("*") if path.is_file()) if uploads.exists() else []
    fresh = [path for path in files if _upload_member(uploads, path) not in added]
    for path in progress.track(fresh, label, len(fresh)):
        name = _upload_member(uploads, path)
        try:
            data = path.read_bytes()  # read once: hashed and archived from the same bytes
        except FileNotFoundError:
            continue  # removed after its row was deleted, since the folder was listed
        _add_bytes(archive, name, data)
        manifest.add(name, hashlib.sha256(data).hexdigest(), len(data))
        added.add(name)


def _add_search_index(archive, manifest, scratch: Path, progress: Progress) -> None:
    copied = search_copy.copy_index(scratch, progress)
    if copied is None:
        return
    folder, manifest.search_index_documents = copied
    for path in sorted(path for path in folder.rglob("*") if path.is_file()):
        _add_file(archive, manifest, path, f"{SEARCH_INDEX_DIR}/{path.relative_to(folder).as_posix()}")


def _upload_member(uploads: Path, path: Path) -> str:
    return f"{UPLOADS_DIR}/{path.relative_to(uploads).as_posix()}"


def _add_file(archive, manifest, path: Path, name: str) -> None:
    manifest.add(name, sha256_of(path), path.stat().st_size)
    archive.add(path, arcname=name, recursive=False)


def _add_bytes(archive, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o640
    info.mtime = int(time.time())
    archive.addfile(info, io.BytesIO(data))
