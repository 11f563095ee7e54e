"""Serving the app over HTTP in tests: to a real browser, a webhook sender, threads of clients."""
from __future__ import annotations

import threading


class LiveServer:
    """The development server on a free port of 127.0.0.1, one thread per request."""

    def __init__(self, wsgi_app):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-app", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


def buffered(app):
    """Read each response whole before the server writes it.

    The development server leaves a response's file open when the browser drops the
    connection mid-way (a page left before its photos loaded): buffered, every file is
    closed before the first byte is sent, whatever the browser does.
    """
    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return serve
