"""Compile the translation catalogues a fresh install lacks, when the app starts.

Compiled catalogues (.mo) are build output, ignored by git: without this, an install that
skipped `make` would serve English to every Chinese reader without a word. A catalogue is
compiled when its .mo is missing or older than its .po. Several workers may start at once:
each writes its own temporary file and renames it into place, so a reader only ever sees a
complete catalogue (the rename is atomic), and the last writer's identical copy wins.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)


def stale_catalogues(folder: Path) -> list[Path]:
    """The .po files under `folder` whose .mo is missing or older."""
    stale = []
    for po in sorted(folder.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


def compile_catalogue(po: Path) -> Path:
    """Write `po`'s compiled catalogue beside it, atomically; return its path."""
    locale = po.parent.parent.name
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    mo = po.with_suffix(".mo")
    fd, draft = tempfile.mkstemp(prefix=f".{mo.name}.", dir=po.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
        os.chmod(draft, 0o644)
        os.replace(draft, mo)
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise
    return mo


def compile_stale_catalogues(folder: Path) -> list[Path]:
    """Compile every catalogue under `folder` that needs it; return the .mo files written.

    A folder the app cannot write to (a read-only install) is reported, not fatal: the site
    then serves the catalogues it has, and the log says how to build the others.
    """
    written = []
    for po in stale_catalogues(folder):
        try:
            written.append(compile_catalogue(po))
        except OSError as error:
            log.warning("Cannot compile %s (%s): run `pybabel compile -d %s` as the install's owner",
                        po, error, folder)
    return written
