"""A fresh checkout, without compiled catalogues, serves Chinese from its first start.

Compiled catalogues are build output that git ignores; the app compiles any that is
missing or older than its source when it starts, safely when several workers start at once.
"""
import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo

from marketplace.core.catalogues import compile_stale_catalogues, stale_catalogues

ROOT = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns("*.mo", "__pycache__", "*.pyc")

SERVE_LOGIN_PAGE = """
import sys
from marketplace import create_app
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_URL": "http://localhost",
                  "INSTANCE_PATH": sys.argv[1], "WTF_CSRF_ENABLED": False})
page = app.test_client().get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
sys.stdout.write(page.get_data(as_text=True))
"""


def fresh_checkout(tmp_path) -> Path:
    """The project's files as git would give them: no compiled catalogue anywhere."""
    checkout = tmp_path / "checkout"
    for name in ("marketplace", "templates", "static", "gi_standards", "migrations"):
        shutil.copytree(ROOT / name, checkout / name, ignore=IGNORED)
    for name in ("wsgi.py", "babel.cfg"):
        shutil.copy(ROOT / name, checkout / name)
    assert not list(checkout.rglob("*.mo"))
    return checkout


def test_a_fresh_checkout_serves_chinese(tmp_path):
    checkout = fresh_checkout(tmp_path)
    result = subprocess.run([sys.executable, "-c", SERVE_LOGIN_PAGE, str(tmp_path / "instance")], cwd=checkout,
                            capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(checkout), "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'lang="zh-CN"' in result.stdout
    assert "登录" in result.stdout and "Keep me signed in" not in result.stdout
    catalogues = checkout / "marketplace" / "translations"
    assert (catalogues / "zh" / "LC_MESSAGES" / "messages.mo").is_file()
    assert stale_catalogues(catalogues) == []


def _compile(folder, queue):
    compile_stale_catalogues(folder)
    queue.put("done")


def test_workers_starting_together_all_leave_complete_catalogues(tmp_path):
    catalogues = fresh_checkout(tmp_path) / "marketplace" / "translations"
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_compile, args=(catalogues, queue)) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [queue.get(timeout=5) for _ in workers] == ["done"] * 6
    for locale in ("zh", "en"):
        folder = catalogues / locale / "LC_MESSAGES"
        assert sorted(path.name for path in folder.iterdir()) == ["messages.mo", "messages.po"]
        with (folder / "messages.mo").open("rb") as handle:
            assert len(read_mo(handle)) > 100


def test_a_catalogue_older_than_its_source_is_compiled_again(tmp_path):
    catalogues = fresh_checkout(tmp_path) / "marketplace" / "translations"
    compile_stale_catalogues(catalogues)
    po = catalogues / "zh" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "A string added later"\nmsgstr "后来加的字"\n',
                  encoding="utf-8")
    import os
    import time

    later = time.time() + 5
    os.utime(po, (later, later))
    assert stale_catalogues(catalogues) == [po]
    compile_stale_catalogues(catalogues)
    with po.with_suffix(".mo").open("rb") as handle:
        assert read_mo(handle).get("A string added later").string == "后来加的字"
