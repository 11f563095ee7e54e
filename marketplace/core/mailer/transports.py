"""Where a message goes: an SMTP relay (with connect and read timeouts) or a folder of .eml files."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path


class PermanentFailure(Exception):
    """The relay refused the message for good (a 5xx answer): retrying cannot help."""


class SmtpRelay:
    """Hand messages to a relay; every wait on the network is bounded by a timeout."""

    def __init__(self, host: str, port: int, *, connect_timeout: float, read_timeout: float,
                 starttls: bool = False, username: str | None = None, password: str | None = None):
        self.host, self.port = host, port
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.starttls, self.username, self.password = starttls, username, password

    def send(self, message: EmailMessage, _name_hint: str) -> None:
        try:
            with _TimedSMTP(self.host, self.port, self.connect_timeout, self.read_timeout) as server:
                if self.starttls:
                    server.starttls()
                if self.username:
                    server.login(self.username, self.password or "")
                server.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(str(error)) from error
            raise
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500:
                raise PermanentFailure(f"{error.smtp_code} {error.smtp_error!r}") from error
            raise


class _TimedSMTP(smtplib.SMTP):
    """smtplib with one timeout for connecting and another for every read and write."""

    def __init__(self, host: str, port: int, connect_timeout: float, read_timeout: float):
        self._read_timeout = read_timeout
        super().__init__(host, port, timeout=connect_timeout)

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        sock.settimeout(self._read_timeout)
        return sock


class FolderTransport:
    """Write each message as an .eml file (development and tests: no relay needed).

    Files are named by the mail's creation time and id, so the folder lists mail in the
    order it was written, whichever sender thread delivered it first.
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def send(self, message: EmailMessage, name_hint: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        final = self.folder / f"{name_hint}.eml"
        draft = self.folder / f".{name_hint}.part"
        draft.write_bytes(message.as_bytes(policy=default_policy))
        draft.replace(final)  # readers never see half a message


def transport_from_config(config):
    """The relay named by SMTP_HOST, or the outbox folder when none is set."""
    if config.get("SMTP_HOST"):
        return SmtpRelay(config["SMTP_HOST"], int(config["SMTP_PORT"]),
                         connect_timeout=float(config["SMTP_CONNECT_TIMEOUT"]),
                         read_timeout=float(config["SMTP_READ_TIMEOUT"]),
                         starttls=bool(config.get("SMTP_STARTTLS")),
                         username=config.get("SMTP_USERNAME"), password=config.get("SMTP_PASSWORD"))
    return FolderTransport(config["MAIL_OUTBOX"])
