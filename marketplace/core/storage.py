"""Files kept under UPLOAD_FOLDER, outside static/: written under random names, removed
only after the transaction that stopped using them has committed.

A file is written before its row commits; if the commit fails, the file is removed again
(`discard_on_rollback`), and a file a row no longer uses is removed only once the change
is committed (`remove_after_commit`), so a failed save never loses the old file.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.extensions import db

#: The kinds of stored files, each in its own folder under UPLOAD_FOLDER.
PHOTOS = "photos"
LAB_REPORTS = "lab-reports"
CERTIFICATION_DOCUMENTS = "certification"


def folder(kind: str) -> Path:
    """Return (and create) the folder for one kind of upload."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def random_name(extension: str) -> str:
    """A fresh unguessable file name: 32 hex characters and the extension."""
    return f"{secrets.token_hex(16)}.{extension}"


def is_stored_name(name: str | None) -> bool:
    """True if `name` has the shape of our random names (checked before any lookup by name,
    so a hostile name, a NUL byte say, never reaches the database)."""
    stem, _, extension = (name or "").partition(".")
    return (len(stem) == 32 and all(c in "0123456789abcdef" for c in stem)
            and extension.isascii() and extension.isalnum())


def path_of(kind: str, name: str) -> Path | None:
    """The path of a stored file, or None if `name` is not one of our random names."""
    return folder(kind) / name if is_stored_name(name) else None


def write(kind: str, extension: str, data: bytes) -> str:
    """Write bytes under a new random name; removed again if the session rolls back."""
    name = random_name(extension)
    target = folder(kind) / name
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    db.session.info.setdefault("files_written", []).append(target)
    return name


def remove_after_commit(kind: str, name: str | None) -> None:
    """Remove a stored file once the current transaction commits (never if it rolls back)."""
    if name:
        path = path_of(kind, name)
        if path is not None:
            db.session.info.setdefault("files_to_remove", []).append(path)


def remove_now(kind: str, names) -> None:
    """Remove stored files at once (for a save abandoned outside any session rollback)."""
    for name in names:
        path = path_of(kind, name)
        if path is not None:
            _unlink(path)


def discard_written() -> None:
    """Remove the files written in this transaction (call when the save is abandoned)."""
    for path in db.session.info.pop("files_written", []):
        _unlink(path)
    db.session.info.pop("files_to_remove", None)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def install_session_hooks() -> None:
    """Remove files when their rows' transaction commits, and new files when it rolls back."""
    if getattr(install_session_hooks, "done", False):
        return
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)
    install_session_hooks.done = True


def _after_commit(session):
    session.info.pop("files_written", None)
    for path in session.info.pop("files_to_remove", []):
        _unlink(path)


def _after_rollback(session, previous):
    if getattr(previous, "nested", False):
        return
    for path in session.info.pop("files_written", []):
        _unlink(path)
    session.info.pop("files_to_remove", None)
