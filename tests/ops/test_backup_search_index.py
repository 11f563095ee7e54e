"""The Whoosh search index is in the backup, checksummed, and a restore puts it back without a reindex."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from tests.ops.conftest import run_command
from tests.ops.test_restore_refusals import assert_nothing_restored, rewritten
from tests.search.test_finding_listings import found_ids
from tests.support import databases
from tests.support.factories import PASSWORD


@pytest.fixture
def search_backend():
    return "whoosh"


@pytest.fixture
def app_config(app_config, search_backend):
    """Whoosh unless a test asks otherwise, and a writer's lock not waited on for long."""
    return {**app_config, "SEARCH_BACKEND": search_backend, "SEARCH_WRITER_TIMEOUT": 1}


@pytest.fixture
def searcher(migrated, client, login, make_user):
    """A signed-in visitor: each search page is built from the index, never a shared cached copy."""
    login(make_user(name="Searcher"))
    return client


def index_in_use(application) -> Path:
    root = Path(application.config["SEARCH_INDEX_DIR"])
    return root / os.readlink(root / "current")


def index_files(application) -> dict[str, str]:
    """The files of the index in use, by name, with their SHA-256."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in index_in_use(application).iterdir() if path.is_file() and "WRITELOCK" not in path.name}


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as opened:
        return json.loads(opened.extractfile("manifest.json").read())


def signed_in_client(application, email: str):
    client = application.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def lose_the_index(application, how: str) -> None:
    from marketplace.search.index import backend, load_documents

    if how == "deleted":
        backend().close()
        shutil.rmtree(application.config["SEARCH_INDEX_DIR"])
    else:  # replaced by an index of nothing, as a rebuild against the wrong database would leave it
        backend().rebuild([], load_documents)


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_a_lost_index_comes_back_from_the_backup_as_it_was(migrated, searcher, make_product, tmp_path, how):
    from marketplace.extensions import db
    from marketplace.ops.backup import make_backup

    listing_id = make_product("西湖龙井 明前", slug="longjing-tea").id
    assert found_ids(searcher, q="longjing") == [listing_id]
    before = index_files(migrated)
    archive = make_backup(tmp_path / "shop.tar.gz")
    manifest = manifest_of(archive)
    assert manifest["search_index_documents"] == 1
    # Every index file is in the archive under its checksum.
    assert {name.split("/", 1)[1]: entry["sha256"] for name, entry in manifest["members"].items()
            if name.startswith("search-index/")} == before

    lose_the_index(migrated, how)
    assert found_ids(searcher, q="longjing") == []
    db.session.remove()
    result = run_command(migrated, "ops", "restore", "--replace", str(archive))
    assert result.exit_code == 0, result.output
    assert "search index restored (1 documents)" in result.stderr and "reindex" not in result.output
    assert found_ids(searcher, q="longjing") == [listing_id]
    assert index_files(migrated) == before  # the very files of the backup: nothing was rebuilt


def test_a_listing_written_while_the_index_was_copied_is_brought_in_step_on_restore(migrated, make_user, make_product,
                                                                                    empty_target, tmp_path):
    """The database is copied first: a listing added just after it is in the index copy but not in the dump."""
    from marketplace.ops.backup import make_backup
    from marketplace.ops.progress import Progress

    visitor = make_user(name="Searcher")
    tea_id = make_product("西湖龙井 明前", slug="longjing-tea").id
    added = []

    class ListingAddedMeanwhile(Progress):
        def step(self, message):
            if message.startswith("copying the whoosh search index"):
                added.append(make_product("五常大米 稻花香", category="rice"))

    archive = make_backup(tmp_path / "shop.tar.gz", ListingAddedMeanwhile())
    assert added and manifest_of(archive)["search_index_documents"] == 2

    result = run_command(empty_target, "ops", "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "search index restored (2 documents); 1 listing(s)" in result.stderr
    restored = signed_in_client(empty_target, visitor.email)
    assert found_ids(restored, q="longjing") == [tea_id]
    assert found_ids(restored, q="稻花香") == []  # not in the restored database, so not in its index


def test_an_index_held_by_a_writer_past_the_timeout_is_not_copied_half_written(migrated, make_product, tmp_path):
    from marketplace.ops.backup import make_backup
    from marketplace.ops.manifest import BackupError

    make_product("西湖龙井 明前", slug="longjing-tea")
    writer = whoosh_index.open_dir(str(index_in_use(migrated))).writer()  # a commit under way
    try:
        with pytest.raises(BackupError, match="search index could not be copied"):
            make_backup(tmp_path / "shop.tar.gz")
        assert list(tmp_path.glob("shop.tar.gz*")) == []
    finally:
        writer.cancel()
    assert make_backup(tmp_path / "shop.tar.gz").exists()


def test_an_index_copy_that_does_not_open_is_refused_before_anything_is_restored(migrated, make_product,
                                                                                empty_target, tmp_path):
    """Even with checksums made to match, a damaged index is found by opening it, before the database is touched."""
    from marketplace.ops.backup import make_backup

    make_product("西湖龙井 明前", slug="longjing-tea")
    archive = make_backup(tmp_path / "shop.tar.gz")
    manifest = manifest_of(archive)
    table = next(name for name in manifest["members"] if name.startswith("search-index/") and name.endswith(".toc"))

    def damage(name, data):
        if name == table:
            data = data[: len(data) // 2]
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        return json.dumps(manifest).encode() if name == "manifest.json" else data  # the archive's last member

    result = run_command(empty_target, "ops", "restore", str(rewritten(archive, tmp_path / "damaged.tar.gz", damage)))
    assert_nothing_restored(result, empty_target, "search index cannot be read")
    assert not Path(empty_target.config["SEARCH_INDEX_DIR"]).exists()


@pytest.mark.skipif(databases.backend() != "postgresql", reason="SEARCH_BACKEND=postgres needs PostgreSQL")
@pytest.mark.parametrize("search_backend", ["postgres"])
def test_with_the_postgres_backend_the_index_comes_back_inside_the_database(search_backend, migrated, make_user,
                                                                          make_product, empty_target, tmp_path):
    from marketplace.ops.backup import make_backup

    visitor = make_user(name="Searcher")
    tea_id = make_product("西湖龙井 明前", slug="longjing-tea").id
    archive = make_backup(tmp_path / "shop.tar.gz")
    manifest = manifest_of(archive)
    assert manifest["search_index_documents"] is None
    assert not [name for name in manifest["members"] if name.startswith("search-index/")]

    result = run_command(empty_target, "ops", "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "reindex" not in result.output
    assert found_ids(signed_in_client(empty_target, visitor.email), q="longjing") == [tea_id]
