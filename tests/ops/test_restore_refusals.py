"""A restore checks everything before it touches anything, and says clearly why it refuses."""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import sqlalchemy as sa

from tests.ops.conftest import connected, run_command
from tests.pagecache.test_trust_cache import _page, certified  # noqa: F401  (a fixture)


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` whose members pass through `change(name, data) -> data`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def table_count(application) -> int:
    with connected(application.config["SQLALCHEMY_DATABASE_URI"]) as connection:
        return len(sa.inspect(connection).get_table_names())


def assert_nothing_restored(result, target, *phrases: str) -> None:
    assert result.exit_code != 0
    for phrase in ("restore refused", "nothing was restored", *phrases):
        assert phrase in result.output, result.output
    assert table_count(target) == 0
    assert not Path(target.config["UPLOAD_FOLDER"]).exists()


def test_a_photo_changed_inside_the_archive_is_refused_by_name(busy_shop, empty_target, tmp_path):
    from marketplace.ops.backup import make_backup

    archive = make_backup(tmp_path / "shop.tar.gz")
    photo = f"uploads/photos/{busy_shop.photo_files[0]}"
    forged = rewritten(archive, tmp_path / "forged.tar.gz",
                       lambda name, data: data[:-1] + b"\x00" if name == photo else data)
    result = run_command(empty_target, "ops", "restore", str(forged))
    assert_nothing_restored(result, empty_target, f"checksum mismatch for {photo}")


def test_a_changed_database_copy_is_refused(busy_shop, empty_target, tmp_path):
    from marketplace.ops.backup import make_backup

    archive = make_backup(tmp_path / "shop.tar.gz")
    forged = rewritten(archive, tmp_path / "forged.tar.gz",
                       lambda name, data: data + b"\x00" if name.startswith("database/") else data)
    result = run_command(empty_target, "ops", "restore", str(forged))
    assert_nothing_restored(result, empty_target, "checksum mismatch for database/terroir.")


def test_an_archive_of_another_schema_revision_is_refused(busy_shop, empty_target, tmp_path):
    from marketplace.ops.backup import make_backup
    from marketplace.ops.manifest import code_schema_revision

    def older_revision(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema_revision"] = "c0ffee000001"
        return json.dumps(manifest).encode()

    forged = rewritten(make_backup(tmp_path / "shop.tar.gz"), tmp_path / "older.tar.gz", older_revision)
    result = run_command(empty_target, "ops", "restore", str(forged))
    assert_nothing_restored(result, empty_target, "schema revision c0ffee000001",
                            f"migrations end at {code_schema_revision()}")


def test_a_file_slipped_into_the_archive_is_refused(busy_shop, empty_target, tmp_path):
    from marketplace.ops.backup import make_backup

    archive = make_backup(tmp_path / "shop.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(tmp_path / "extra.tar.gz", "w:gz") as copy:
        for member in source.getmembers():
            copy.addfile(member, source.extractfile(member))
        extra = tarfile.TarInfo("uploads/photos/planted.jpg")
        extra.size = 3
        copy.addfile(extra, io.BytesIO(b"bad"))
    result = run_command(empty_target, "ops", "restore", str(tmp_path / "extra.tar.gz"))
    assert_nothing_restored(result, empty_target, "uploads/photos/planted.jpg is in the archive but not in its manifest")


def test_a_truncated_archive_and_a_stranger_file_are_refused(busy_shop, empty_target, tmp_path):
    from marketplace.ops.backup import make_backup

    archive = make_backup(tmp_path / "shop.tar.gz")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert_nothing_restored(run_command(empty_target, "ops", "restore", str(truncated)), empty_target,
                            "damaged or not a backup")
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not an archive")
    assert_nothing_restored(run_command(empty_target, "ops", "restore", str(stranger)), empty_target,
                            "damaged or not a backup")


def test_a_database_that_has_tables_is_kept_unless_replace_is_asked(busy_shop, tmp_path):
    app = busy_shop.app
    archive = run_command(app, "ops", "backup", "--output", str(tmp_path / "shop.tar.gz"))
    assert archive.exit_code == 0, archive.output
    assert "copying the" in archive.stderr and archive.stdout.strip().endswith("shop.tar.gz")
    result = run_command(app, "ops", "restore", str(tmp_path / "shop.tar.gz"))
    assert result.exit_code != 0 and "already has tables" in result.output and "--replace" in result.output


def test_a_database_never_migrated_is_not_backed_up(app, tmp_path):
    result = run_command(app, "ops", "backup", "--output", str(tmp_path / "shop.tar.gz"))
    assert result.exit_code != 0 and "run `flask db upgrade`" in result.output
    assert not (tmp_path / "shop.tar.gz").exists() and not (tmp_path / "shop.tar.gz.partial").exists()


def test_a_restore_over_a_live_shop_never_serves_a_page_cached_before_it(migrated, certified, client, tmp_path):
    """The restored trust counter is lower than the replaced one: copies filed under those numbers must stay unreachable."""
    from marketplace.catalog.models import Listing
    from marketplace.extensions import db

    listing_id = certified.listing.id
    url = f"/listings/{listing_id}"
    assert run_command(migrated, "ops", "backup", "--output", str(tmp_path / "shop.tar.gz")).exit_code == 0
    db.session.get(Listing, listing_id).title = "西湖龙井 Renamed after the backup"
    db.session.commit()
    assert "Renamed after the backup" in _page(client, url)  # now kept under the newer version

    db.session.remove()
    result = run_command(migrated, "ops", "restore", "--replace", str(tmp_path / "shop.tar.gz"))
    assert result.exit_code == 0, result.output
    assert "Qiantang" in _page(client, url)
    db.session.get(Listing, listing_id).title = "西湖龙井 Reopened"
    db.session.commit()  # one change after the restore, as the shop reopens: the counter climbs again
    page = _page(client, url)
    assert "Reopened" in page and "Renamed after the backup" not in page and 'data-badge="certified"' in page
