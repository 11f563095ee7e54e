"""A production start with several workers and no Redis says, on every start, that each
worker counts limits on its own (an attacker would get every limit once per worker)."""
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marketplace import create_app

PROJECT = Path(__file__).resolve().parent.parent
WARNING = "REDIS_URL is not set and 2 workers are running"


def _gunicorn_log(tmp_path, **env) -> str:
    """Start gunicorn with two workers as a deployment would; return its log up to listening.

    The start-up hook runs before gunicorn listens, so the log up to "Listening at" holds
    any warning it gave.
    """
    environment = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "WEB_CONCURRENCY")}
    environment.update(PUBLIC_URL="http://127.0.0.1", TERROIR_INSTANCE_PATH=str(tmp_path),
                       DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **env)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", "127.0.0.1:0", "--no-control-socket",
         "wsgi:app"], cwd=PROJECT, env=environment, stderr=subprocess.PIPE, text=True)
    # The master loads the app and its dictionaries before it listens (preload): on a machine
    # whose cores are busy that takes minutes, so the wait is bounded by the suite's timeout.
    log, deadline = [], time.monotonic() + 240
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    try:
        while not any("Listening at" in line for line in log) and time.monotonic() < deadline:
            if selector.select(timeout=1):
                line = process.stderr.readline()
                if not line:
                    break
                log.append(line)
    finally:
        selector.close()
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        process.stderr.close()
    assert any("Listening at" in line for line in log), "".join(log) or "gunicorn wrote nothing in 240 s"
    return "".join(log)


def test_gunicorn_with_several_workers_and_no_redis_warns(tmp_path):
    assert WARNING in _gunicorn_log(tmp_path)


def test_gunicorn_with_redis_does_not_warn(tmp_path):
    assert "REDIS_URL is not set" not in _gunicorn_log(tmp_path, REDIS_URL="redis://127.0.0.1:9/0")


@pytest.mark.parametrize("workers,warned", [("4", True), ("1", False)])
def test_each_worker_warns_when_web_concurrency_says_several(app_config, monkeypatch, caplog, workers, warned):
    monkeypatch.setenv("WEB_CONCURRENCY", workers)
    create_app({**app_config, "TESTING": False, "REDIS_URL": None})
    assert ("REDIS_URL is not set and 4 workers" in caplog.text) is warned
