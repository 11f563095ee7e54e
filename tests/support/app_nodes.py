"""App server nodes for tests: gunicorn processes on free 127.0.0.1 ports, sharing one database and Redis.

Each node has its own instance folder (nothing on one node's disk is seen by the other),
as two machines would. Nodes are stopped by their own process group, never by name.
"""
from __future__ import annotations

import os
import re
import signal
import secrets
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import requests

from tests.support.polling import wait_for
from tests.support.postgres import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Settings both nodes share, like the .env file of a real deployment.
SHARED = {"PUBLIC_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1", "SEARCH_BACKEND": "postgres",
          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes"}


class AppNode:
    def __init__(self, name: str, folder: Path, settings: dict, workers: int = 2):
        self.name, self.folder, self.workers = name, folder / name, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environment = {key: value for key, value in os.environ.items()
                            if not key.startswith(("DATABASE_", "REDIS_", "TERROIR_", "SEARCH_"))}
        self.environment.update(SHARED, **settings, TERROIR_INSTANCE_PATH=str(self.folder / "instance"),
                                PYTHONUNBUFFERED="1")
        self.process: subprocess.Popen | None = None
        self.log = None

    def start(self) -> "AppNode":
        self.launch()
        return self.wait_until_up()

    def launch(self) -> None:
        """Start the server process (see `wait_until_up`: starting several at once is quicker)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log = open(self.folder / "server.log", "wb")
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--graceful-timeout", "5", "--no-control-socket", "wsgi:app"],
            cwd=PROJECT_ROOT, env=self.environment, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait_until_up(self) -> "AppNode":
        # Every worker answers before the test starts: a first page on a busy machine is slow.
        wait_for(lambda: self.process.poll() is not None or all(self.answers() for _ in range(self.workers)),
                 timeout=240, interval=0.2)
        if self.process.poll() is not None or not self.answers():
            self.stop()
            raise RuntimeError(f"node {self.name} did not start:\n{self.log_text()[-3000:]}")
        return self

    def answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/", timeout=60).status_code == 200
        except requests.RequestException:
            return False

    def log_text(self) -> str:
        return (self.folder / "server.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)  # quick shutdown of this node's arbiter and workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        if self.log is not None:
            self.log.close()


@contextmanager
def nodes_sharing(database_url: str, folder: Path, names=("node-a", "node-b"), **settings):
    """A fresh Redis and nodes on one database, as a module's tests share them (starting is the slow part).

    `settings` are the extra environment both nodes get, as a deployment's .env would give them.
    """
    from tests.support import services

    redis = services.redis_server()
    shared = {"DATABASE_URL": database_url, "REDIS_URL": redis.url, "SECRET_KEY": secrets.token_hex(32),
              **settings}
    nodes = [AppNode(name, folder, shared) for name in names]
    try:
        for node in nodes:
            node.launch()
        for node in nodes:
            node.wait_until_up()
        yield SimpleNamespace(url=database_url, redis_url=redis.url, nodes=nodes)
    finally:
        for node in nodes:
            node.stop()
        redis.remove()


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def browser() -> requests.Session:
    """A visitor's HTTP session that reads English."""
    session = requests.Session()
    session.headers["Accept-Language"] = "en"
    return session
