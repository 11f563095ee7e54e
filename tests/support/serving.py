"""Serving the app over HTTP to a real browser in tests."""


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
