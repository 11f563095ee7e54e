"""After a commit, deliver the mail it stored in a background thread: the request never waits.

Each app (and each worker process, after a fork) has a small thread pool. Every wait on
the relay is bounded by the SMTP timeouts, so a hung relay ties up a sender thread for
seconds, never a request. Mail the thread cannot deliver stays in the table for the
next attempt. After its own mail, a job that reached the relay also takes a few other
due mails, so that mail held back by an outage leaves as soon as the relay is back,
even before cron runs `flask mail send`.
"""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import click
from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from marketplace.core.mailer.delivery import deliver

PENDING = "terroir_pending_mail"
_EXTENSION = "terroir_mail_sender"
_COMMAND_MAIL = "terroir_command_mail"


class _Sender:
    def __init__(self, threads: int):
        self.pid = os.getpid()
        self.executor = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="mail-sender")
        self.lock = threading.Lock()
        self.in_flight = 0

    def submit(self, app: Flask, ids: list[int]) -> None:
        with self.lock:
            self.in_flight += 1
        try:
            self.executor.submit(self._run, app, ids)
        except RuntimeError:  # shut down (the app is closing): cron delivers it later
            with self.lock:
                self.in_flight -= 1

    def _run(self, app: Flask, ids: list[int]) -> None:
        try:
            with app.app_context():
                report = deliver(ids)
                if report.sent and app.config["MAIL_CATCH_UP_PER_JOB"] > 0:
                    deliver(limit=app.config["MAIL_CATCH_UP_PER_JOB"])
        except Exception:  # a sender thread must never die noisily: the rows stay for cron
            app.logger.exception("Mail delivery in the background failed for %s", ids)
        finally:
            with self.lock:
                self.in_flight -= 1


def _sender(app: Flask) -> _Sender:
    sender = app.extensions.get(_EXTENSION)
    if sender is None or sender.pid != os.getpid():  # a forked worker needs its own threads
        sender = app.extensions[_EXTENSION] = _Sender(app.config["MAIL_SENDER_THREADS"])
    return sender


def deliver_soon(app: Flask, ids: list[int]) -> None:
    """Deliver these stored (and committed) mails in a background thread, or at the end of
    the command that stored them."""
    if ids and not _kept_for_end_of_command(app, ids):
        _sender(app).submit(app, ids)


def _kept_for_end_of_command(app: Flask, ids: list[int]) -> bool:
    """In a command (`flask demo load`, `flask orders expire` …), keep its mail until it ends.

    A command commits one transaction after another in one thread; on SQLite, a sender
    thread writing between two of them would make the command's next read-then-write fail
    with "database is locked". Nothing waits on a command's mail, so it leaves when the
    command is done, still bounded by the SMTP timeouts.
    """
    command = click.get_current_context(silent=True)
    if command is None:
        return False
    kept = command.meta.get(_COMMAND_MAIL)
    if kept is None:
        kept = command.meta[_COMMAND_MAIL] = []
        command.call_on_close(lambda: _deliver_now(app, kept))
    kept.extend(ids)
    return True


def _deliver_now(app: Flask, ids: list[int]) -> None:
    try:
        with app.app_context():
            deliver(ids)
    except Exception:  # the rows stay for `flask mail send`
        app.logger.exception("Mail delivery after the command failed for %s", ids)


def is_idle(app: Flask) -> bool:
    """Tell whether no background delivery is queued or running in this process."""
    sender = app.extensions.get(_EXTENSION)
    return sender is None or sender.in_flight == 0


def wait_until_idle(app: Flask, timeout: float) -> bool:
    """Wait (at most `timeout` seconds) for background deliveries to finish."""
    deadline = time.monotonic() + timeout
    while not is_idle(app):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def shutdown(app: Flask, wait: bool = True) -> None:
    """Stop the app's sender threads (tests, before their database goes away)."""
    sender = app.extensions.pop(_EXTENSION, None)
    if sender is not None and sender.pid == os.getpid():
        sender.executor.shutdown(wait=wait)


def remember(session: Session, mail) -> None:
    """Deliver `mail` (an OutgoingMail added to `session`) once the session commits."""
    session.info.setdefault(PENDING, []).append(mail)


def install_session_hooks() -> None:
    """Listen to every session's commits and rollbacks (once per process)."""
    if getattr(install_session_hooks, "done", False):
        return

    @event.listens_for(Session, "after_commit")
    def _deliver_committed(session):
        pending = session.info.pop(PENDING, [])
        if not pending or not has_app_context():
            return
        ids = []
        for mail in pending:
            identity = inspect(mail).identity  # known without a query once flushed
            if identity is not None:
                ids.append(identity[0])
        try:
            deliver_soon(current_app._get_current_object(), ids)
        except Exception:  # mail must never undo or hide a committed decision
            current_app.logger.exception("Could not start delivering mail %s", ids)

    @event.listens_for(Session, "after_soft_rollback")
    def _forget(session, _previous_transaction):
        if not session.in_transaction():
            session.info.pop(PENDING, None)

    install_session_hooks.done = True
