"""A throwaway redis-server on 127.0.0.1 at a free port, for tests that need a real Redis.

Started without persistence in a temp folder; `stop()` shuts it down at once (as an outage
would) and `start()` brings it back on the same port.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from tests.support.postgres import free_port


class RedisUnavailable(RuntimeError):
    pass


class RedisServer:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RedisUnavailable("redis-server is not installed")
        self.folder = Path(tempfile.mkdtemp(prefix="terroir-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        subprocess.run([self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                        "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(self.folder / "redis.pid"),
                        "--dir", str(self.folder)], check=True, capture_output=True)
        deadline = time.monotonic() + 15
        while not self.is_up():
            if time.monotonic() > deadline:
                raise RedisUnavailable("redis-server did not answer within 15 s")
            time.sleep(0.05)
        return self

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)

    def is_up(self) -> bool:
        with self.client() as client:
            try:
                return bool(client.ping())
            except redis.exceptions.ConnectionError:
                return False

    def stop(self) -> None:
        with self.client() as client:
            try:
                client.shutdown(nosave=True)
            except redis.exceptions.ConnectionError:
                pass  # the connection closes as the server goes: that is the answer
        deadline = time.monotonic() + 15
        while self.is_up() and time.monotonic() < deadline:
            time.sleep(0.05)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
