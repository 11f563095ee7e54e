"""A real headless Chromium driving the app served over HTTP on 127.0.0.1.

Debian's chromium is used (Playwright never downloads a browser here). The flags below are
needed as root and on a machine without network access.
"""
from __future__ import annotations

import shutil

import pytest

from tests.support.serving import LiveServer, buffered

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def live_server(app):
    """Serve the test's app on a free port; yield its base URL, which is also the app's
    public address (the links it mails and prints, such as QR codes, point there)."""
    server = LiveServer(buffered(app))
    # The site's public address is the served one, as in a deployment (labels, mails).
    app.config["PUBLIC_URL"] = server.url
    server.start()
    try:
        yield server.url
    finally:
        server.stop()

