"""Mail relays for tests, on 127.0.0.1: one that works (aiosmtpd), one that hangs.

`SilentRelay` accepts connections and never says a word (not even the SMTP greeting), as
a relay stuck behind a firewall rule or an exhausted server does. `RecordingRelay` is a
real SMTP server that keeps what it receives.
"""
from __future__ import annotations

import socket
import threading

from tests.support.postgres import free_port


class SilentRelay:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name="silent-relay", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            self.accepted.append(connection)  # held open, never answered

    def stop(self) -> None:
        self.sock.close()
        for connection in self.accepted:
            connection.close()
        self._thread.join(timeout=5)


class RecordingRelay:
    """aiosmtpd on 127.0.0.1; `messages` holds (recipients, message) of every mail taken."""

    def __init__(self, port: int | None = None, refuse_with: str | None = None):
        from aiosmtpd.controller import Controller

        relay = self
        self.messages: list[tuple[list[str], bytes]] = []
        self.port = port or free_port()

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if refuse_with:
                    return refuse_with
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                relay.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, ready_timeout=30)

    def start(self) -> "RecordingRelay":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
