"""`flask ops restore`: check a backup archive whole, then put its database, uploads and search index back.

Nothing is touched until every file matches its checksum, the schema revision is this
code's, and the targets are empty (or `replace` was asked for). The uploads are swapped in
by renaming, and a database restore is one transaction (PostgreSQL) or one file swap
(SQLite), so a restore cut short leaves the old state as it was.
"""
from __future__ import annotations

import logging
import os
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from redis.exceptions import RedisError

from marketplace.extensions import db
from marketplace.ops import database_copy, search_copy
from marketplace.ops.manifest import (DATABASE_DIR, MANIFEST_NAME, SEARCH_INDEX_DIR, UPLOADS_DIR, BackupError,
                                      Manifest, code_schema_revision, database_schema_revision, sha256_of)
from marketplace.ops.progress import Progress

log = logging.getLogger(__name__)


def restore_backup(archive_path: Path, *, replace: bool = False, progress: Progress | None = None) -> Manifest:
    """Restore this app's database and uploads from `archive_path`; return its manifest."""
    progress = progress or Progress()
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"no archive at {archive_path}")
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    uploads = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
    uploads.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the uploads folder, so that it is moved into place by a rename.
    staging = Path(tempfile.mkdtemp(prefix=".terroir-restore-", dir=uploads.parent))
    try:
        try:
            manifest = _unpack(archive_path, staging, progress)
            _check_files(manifest, staging, progress)
            _check_fits_this_deployment(manifest, url, uploads, replace)
            search_copy.check_index_copy(manifest, staging)
        except BackupError as error:
            raise BackupError(f"{error}; nothing was restored") from error
        replaced_version = _trust_version_in_database()
        db.session.remove()
        db.engine.dispose()  # no pooled connection may outlive the database it was opened on
        progress.step(f"restoring the {manifest.dialect} database")
        database_copy.load(url, staging / manifest.database_member, current_app.config["POSTGRES_CLIENT_BIN"],
                           replace)
        _check_restored_revision(manifest)
        progress.step(f"restoring {len(manifest.upload_members)} uploaded files")
        kept = _swap_uploads(staging / UPLOADS_DIR, uploads)
        if kept:
            progress.step(f"the uploads folder that was replaced is kept at {kept}")
        search_copy.restore_index(manifest, staging, progress)
        _retire_cached_pages(replaced_version, progress)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _unpack(archive_path: Path, staging: Path, progress: Progress) -> Manifest:
    progress.step(f"reading {archive_path.name}")
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            members = archive.getmembers()
            for member in progress.track(members, "unpacking", len(members)):
                if not _is_expected_member(member):
                    raise BackupError(f"unexpected entry {member.name!r} in the archive: not a Terroir backup")
                archive.extract(member, staging, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"the archive {archive_path.name} is damaged or not a backup: {error}") from error
    manifest_path = staging / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(f"the archive {archive_path.name} has no {MANIFEST_NAME}: not a Terroir backup")
    return Manifest.from_json(manifest_path.read_bytes())


def _is_expected_member(member: tarfile.TarInfo) -> bool:
    top = member.name.split("/", 1)[0]
    return member.isfile() and (member.name == MANIFEST_NAME or top in (DATABASE_DIR, UPLOADS_DIR, SEARCH_INDEX_DIR))


def _check_files(manifest: Manifest, staging: Path, progress: Progress) -> None:
    """Every file the manifest lists is there with its checksum, and nothing else is."""
    listed = set(manifest.members)
    present = {path.relative_to(staging).as_posix() for path in staging.rglob("*") if path.is_file()}
    present.discard(MANIFEST_NAME)
    if manifest.database_member not in listed:
        raise BackupError(f"the manifest does not list its database copy {manifest.database_member}")
    if missing := sorted(listed - present):
        raise BackupError(f"{len(missing)} file(s) of the manifest are missing from the archive, "
                          f"e.g. {missing[0]}: the archive is incomplete")
    if unlisted := sorted(present - listed):
        raise BackupError(f"{unlisted[0]} is in the archive but not in its manifest: refusing to restore it")
    for name in progress.track(sorted(listed), "checking checksums", len(listed)):
        path = staging / name
        expected = manifest.members[name]
        if path.stat().st_size != expected["bytes"] or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"checksum mismatch for {name}: the archive was changed or damaged "
                              "since it was made")


def _check_fits_this_deployment(manifest: Manifest, url: str, uploads: Path, replace: bool) -> None:
    expected = code_schema_revision()
    if manifest.schema_revision != expected:
        raise BackupError(f"the archive is at schema revision {manifest.schema_revision}, but this code's "
                          f"migrations end at {expected}: restore it with the release that made it "
                          "(then run `flask db upgrade`)")
    dialect = database_copy.dialect_of(url)
    if manifest.dialect != dialect:
        raise BackupError(f"the archive holds a {manifest.dialect} database but DATABASE_URL is {dialect}: "
                          "restore into the same kind of database")
    if replace:
        return
    if not database_copy.is_empty(url):
        raise BackupError("the target database already has tables: restore into an empty database, or pass "
                          "--replace to overwrite it")
    if uploads.exists() and any(uploads.iterdir()):
        raise BackupError(f"the uploads folder {uploads} is not empty: empty it, or pass --replace "
                          "(the old folder is then kept beside it)")


def _check_restored_revision(manifest: Manifest) -> None:
    with db.engine.connect() as connection:
        revision = database_schema_revision(connection)
    if revision != manifest.schema_revision:
        raise BackupError(f"the restored database reads schema revision {revision}, "
                          f"not the manifest's {manifest.schema_revision}")


def _swap_uploads(restored: Path, uploads: Path) -> Path | None:
    """Move the restored folder into place; return where a non-empty replaced folder was kept."""
    restored.mkdir(exist_ok=True)  # an archive of a shop without any upload
    kept = None
    if uploads.exists():
        if any(uploads.iterdir()):
            from marketplace.core.timeutil import utcnow

            kept = uploads.with_name(f"{uploads.name}.before-restore-{utcnow():%Y%m%dT%H%M%S}")
            os.replace(uploads, kept)
        else:
            uploads.rmdir()
    os.replace(restored, uploads)
    return kept


def _trust_version_in_database() -> int:
    """The trust version of the database about to be replaced (0 if it has none)."""
    from marketplace.pagecache import trust

    with db.engine.connect() as connection:
        if not sa.inspect(connection).has_table("trust_version"):
            return 0
        return trust.version_in(connection)


def _retire_cached_pages(replaced_version: int, progress: Progress) -> None:
    """Raise the trust version past any copy of a page kept before the restore, and drop the copies.

    The restored counter may be lower than the replaced database's or the one Redis holds:
    pages cached under those numbers describe the state that was just replaced and must
    never be served.
    """
    from marketplace.pagecache import store, trust

    client = trust.redis_client()
    mirrored = 0
    if client is not None:
        try:
            mirrored = int(client.get(trust.REDIS_KEY) or 0)
        except RedisError:
            log.warning("Redis did not answer while retiring cached pages", exc_info=True)
    with db.engine.begin() as connection:
        version = max(trust.version_in(connection), mirrored, replaced_version) + 1
        trust.advance_to(connection, version)
    try:
        if client is not None:
            trust._mirror(client, version)
        store.clear()
    except RedisError:
        progress.step("WARNING: Redis did not answer; set its key terroir:trust_version above "
                      f"{version} before opening the shop")
    progress.step(f"trust version raised to {version}: pages cached before the restore are never served")
