"""The Whoosh backend: an index on this machine's disk, the default for one machine.

Layout under SEARCH_INDEX_DIR: `current` is a symbolic link to the generation folder in
use (`gen-…`). A rebuild writes a new generation beside it (with SEARCH_REINDEX_WORKERS
writer processes, one segment each) and then replaces the link in one atomic rename, so
searches keep being answered from the old one meanwhile. Writes that land during a
rebuild are noted in `rebuild.log` and applied to the new generation after the switch,
and a write that finds the generation switched under it writes again to the new one.

How writers share the index. Several gunicorn workers write after their commits, and
Whoosh allows one writer at a time (a lock file). Measured on this machine, eight
processes each writing 40 one-listing updates at once (`bench/search.py --writers`,
figures in bench/RESULTS.md):
- a plain `ix.writer()` raises LockError at once in the losers: their updates are lost;
- `AsyncWriter` never raises, but when the lock is taken it commits in a thread after
  the call returns, so a worker that exits, or a shopper who reloads, may not see it;
- `BufferedWriter` keeps the lock for its whole life: no other process can write at all;
- `ix.writer(timeout=…, delay=…)` waits its turn and keeps every update, but eight
  writers queue one behind the other.
So each commit's update takes the lock with `writer(timeout, delay)`, reads the listings
from the database only once it holds the lock (the last writer always writes what the
database held last), and takes up whatever the outbox holds for other workers too
(sync.py): under load the index commits in groups rather than in a long queue, and a
worker whose rows another one applied stops waiting. If the lock is not had within
SEARCH_WRITER_TIMEOUT, the ids stay in the durable outbox for the next drain; the
shopper's action has committed and sees no error.

Searching itself is in whoosh_search.py (bitmaps over this index's postings).
"""
from __future__ import annotations

import fcntl
import gc
import logging
import os
import pickle
import shutil
import struct
import threading
import uuid
import warnings
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer, Token, Tokenizer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.util.filelock import try_for

from marketplace.search.backends.base import Loader, SearchBackend, SearchUnavailable
from marketplace.search.backends.whoosh_search import BitmapSearch
from marketplace.search.documents import Document
from marketplace.search.query import FACETS, SearchHits, SearchPlan

log = logging.getLogger(__name__)

CURRENT = "current"
MARKER = "rebuilding"
REBUILD_LOG = "rebuild.log"


class PositionsTokenizer(Tokenizer):
    """Read words written by `analysis.encode_positions`: one position per space, "|" shares one."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, slot in enumerate(value.split()):
            for word in slot.split("|"):
                if not word:  # a bare "|" only keeps phrases from running across two parts
                    continue
                token.text = word
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = word
                if positions:
                    token.pos = start_pos + pos
                if chars:
                    token.startchar = token.endchar = start_char
                yield token


def make_schema() -> Schema:
    def text():
        return TEXT(analyzer=PositionsTokenizer(), phrase=True)

    return Schema(
        listing_id=ID(stored=True, unique=True),
        fingerprint=STORED,
        # The zones of a document (see documents.Document); ranking asks which one matched.
        title=text(), gi=text(), other=text(), description=text(),
        pinyin=TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False),
        spelling=TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False),
        gi_slug=ID, province=ID, county_code=ID, category=ID, certified=ID, poverty_lifted=ID,
        # One term per price (no numeric tiers): bands are few and prices repeat a lot.
        price_minor=NUMERIC(int, bits=32, shift_step=0, sortable=True),
        # Only sorted on, never searched: a column without postings.
        created=COLUMN(NumericColumn("q")),
        listing_number=COLUMN(NumericColumn("q")),
    )


def _fields(document: Document) -> dict:
    values = {
        "listing_id": str(document.listing_id), "listing_number": document.listing_id,
        "fingerprint": document.fingerprint,
        "title": document.title, "gi": document.gi, "other": document.other,
        "description": document.description, "pinyin": document.pinyin,
        "spelling": document.spelling, "gi_slug": document.gi_slug, "province": document.province,
        "county_code": document.county_code, "category": document.category,
        "certified": "1" if document.certified else "0",
        "poverty_lifted": "1" if document.poverty_lifted else "0",
        "price_minor": document.price_minor, "created": document.created,
    }
    return {key: value for key, value in values.items() if value not in ("", None)}


class WhooshBackend(SearchBackend):
    name = "whoosh"
    single_writer = True
    index_in_database = False

    def __init__(self, index_dir: str, writer_timeout: float = 15.0, rebuild_processes: int = 1):
        self.root = Path(index_dir)
        self.writer_timeout = writer_timeout
        self.rebuild_processes = rebuild_processes
        self._indexes: dict[str, whoosh_index.FileIndex] = {}
        self._local = threading.local()
        self._bitmaps = BitmapSearch()

    # --- the folder and its generations ------------------------------------------------

    def _current(self) -> Path | None:
        try:
            return self.root / os.readlink(self.root / CURRENT)
        except (FileNotFoundError, OSError):
            return None

    def _generation_name(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        return self.root / f"gen-{stamp}-{uuid.uuid4().hex[:8]}"

    def _new_generation(self) -> Path:
        folder = self._generation_name()
        folder.mkdir()
        whoosh_index.create_in(str(folder), make_schema())
        return folder

    def _point_to(self, folder: Path) -> None:
        """Make `current` name `folder`, in one atomic rename."""
        temporary = self.root / f".current-{uuid.uuid4().hex}"
        os.symlink(folder.name, temporary)
        os.replace(temporary, self.root / CURRENT)

    def _ensure_current(self) -> Path:
        current = self._current()
        if current is not None and current.exists():
            return current
        with self._exclusive("create.lock"):
            current = self._current()
            if current is None or not current.exists():
                current = self._new_generation()
                self._point_to(current)
        return current

    @contextmanager
    def _exclusive(self, name: str, wait: bool = True):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / name, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError as error:
                raise SearchUnavailable("another rebuild of the search index is running") from error
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _open(self, folder: Path) -> whoosh_index.FileIndex:
        key = str(folder)
        index = self._indexes.get(key)
        if index is None:
            index = whoosh_index.open_dir(key)
            self._indexes[key] = index
        return index

    def _searcher(self):
        folder = self._current()
        if folder is None or not folder.exists():
            return None
        cached = getattr(self._local, "searcher", None)
        if cached is not None and self._local.folder == folder and cached.up_to_date():
            return cached
        if cached is not None:
            # Not `refresh()`: its reader reuse keeps merged-away segments and old deletions
            # (whoosh-reloaded 2.7.5), which shows a changed listing twice.
            cached.close()
        searcher = self._open(folder).searcher()
        self._local.searcher, self._local.folder = searcher, folder
        return searcher

    # --- writing ----------------------------------------------------------------------

    def _writer(self, index, timeout: float | None = None):
        try:
            return index.writer(timeout=self.writer_timeout if timeout is None else timeout, delay=0.02)
        except LockError as error:
            raise SearchUnavailable("the search index stayed locked by another writer") from error

    def apply(self, listing_ids, loader: Loader, timeout: float | None = None) -> None:
        """Write the listings' documents; `listing_ids` may be a callable asked once the lock is held.

        A callable lets one writer take up what others are still waiting to write (the
        outbox), so under many writers the index commits in groups instead of queueing.
        """
        folder = self._ensure_current()
        writer = self._writer(self._open(folder), timeout)
        try:
            ids = sorted({int(i) for i in (listing_ids() if callable(listing_ids) else listing_ids)})
            if ids and (self.root / MARKER).exists():
                # A rebuild is reading the database: it replays these after its switch.
                with open(self.root / REBUILD_LOG, "a") as handle:
                    handle.write("".join(f"{i}\n" for i in ids))
            if not ids:
                _let_go(writer)
                return
            self._fill(writer, ids, loader)
        except BaseException:
            _let_go(writer)
            raise
        _commit(writer)
        current = self._current()
        if current is not None and current != folder:
            # A rebuild switched generations while this wrote to the old one.
            self._write(self._open(current), ids, loader)

    def _fill(self, writer, ids: list[int], loader: Loader) -> None:
        documents, gone = loader(ids)
        for listing_id in sorted(gone):
            writer.delete_by_term("listing_id", str(listing_id))
        for document in documents:
            writer.update_document(**_fields(document))

    def _write(self, index, ids: list[int], loader: Loader) -> None:
        writer = self._writer(index)
        try:
            self._fill(writer, ids, loader)
        except BaseException:
            _let_go(writer)
            raise
        _commit(writer)

    def rebuild(self, chunks: Iterable[list[int]], loader: Loader,
                progress: Callable[[int], None] | None = None) -> int:
        with self._exclusive("rebuild.lock", wait=False):
            folder = self._new_generation()
            (self.root / REBUILD_LOG).write_text("")
            (self.root / MARKER).write_text(folder.name)
            count = 0
            try:
                # Several writer processes, one segment each (no final merge): on two cores
                # this halves the rebuild; queries read the segments side by side.
                options = {"procs": self.rebuild_processes, "multisegment": True} if self.rebuild_processes > 1 else {}
                writer = whoosh_index.open_dir(str(folder)).writer(limitmb=128, **options)
                try:
                    for chunk in chunks:
                        documents, _gone = loader(chunk)
                        for document in documents:
                            writer.add_document(**_fields(document))
                        count += len(documents)
                        if progress:
                            progress(len(chunk))
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit()
                previous = self._current()
                self._point_to(folder)
            except BaseException:
                (self.root / MARKER).unlink(missing_ok=True)
                shutil.rmtree(folder, ignore_errors=True)
                raise
            (self.root / MARKER).unlink(missing_ok=True)
            replay = self.root / REBUILD_LOG
            missed = {int(line) for line in replay.read_text().split() if line.isdigit()}
            if missed:
                self._write(self._open(folder), sorted(missed), loader)
            replay.unlink(missing_ok=True)
            self._remove_old_generations(keep={folder, previous})
            return count

    def _remove_old_generations(self, keep: set) -> None:
        """Delete generations older than the previous one (readers of that one may linger)."""
        for folder in self.root.glob("gen-*"):
            if folder not in keep:
                self._indexes.pop(str(folder), None)
                shutil.rmtree(folder, ignore_errors=True)

    # --- backups ----------------------------------------------------------------------

    def snapshot(self, destination: Path) -> int | None:
        """Copy the index in use into `destination`, whole; return its document count (None: no index yet).

        The copy is made holding the index's write lock, the one every writer takes, so no
        commit adds or deletes a segment file halfway through; the copy is then opened and
        must hold as many documents as the index did under the lock.
        """
        folder = self._current()
        if folder is None or not folder.exists():
            return None
        index = self._open(folder)
        lock = index.lock("WRITELOCK")
        if not try_for(lock.acquire, timeout=self.writer_timeout, delay=0.02):
            raise SearchUnavailable("the search index stayed locked by a writer; try again")
        try:
            expected = index.doc_count()
            shutil.copytree(folder, destination, ignore=shutil.ignore_patterns("*_WRITELOCK", "*.tmp"))
        finally:
            lock.release()
        copied = _documents_in(destination)
        if copied != expected:
            raise SearchUnavailable(f"the copy of the search index holds {copied} documents, not {expected}")
        return copied

    def install_snapshot(self, source: Path) -> int:
        """Make a copy `snapshot` took the index in use, in one switch of `current`; return its documents.

        The index it replaces stays beside it as the previous generation (as after a rebuild).
        """
        count = self.check_snapshot(source)  # refuse a copy Whoosh cannot open before touching anything
        folder = self._generation_name()
        shutil.copytree(source, folder)
        with self._exclusive("create.lock"):
            previous = self._current()
            self._point_to(folder)
        self.close()  # this process's readers of the replaced index
        self._remove_old_generations(keep={folder, previous})
        return count

    def check_snapshot(self, source: Path) -> int:
        return _documents_in(source)

    # --- reading ----------------------------------------------------------------------

    def search(self, plan: SearchPlan) -> SearchHits:
        searcher = self._searcher()
        if searcher is None or (not plan.clauses and not plan.filters.active):
            return SearchHits(0, [], {name: {} for name in FACETS})
        return self._bitmaps.run(searcher, plan)

    def known_words(self, words: Iterable[str]) -> set[str]:
        searcher = self._searcher()
        if searcher is None:
            return set()
        reader = searcher.reader()
        return {word for word in words
                if reader.doc_frequency("spelling", word) or reader.doc_frequency("pinyin", word)}

    def close_words(self, word: str, max_edits: int) -> list[tuple[str, int]]:
        searcher = self._searcher()
        if searcher is None or max_edits < 1:
            return []
        reader = searcher.reader()
        found = {}
        for field in ("spelling", "pinyin"):
            for candidate in reader.terms_within(field, word, max_edits, prefix=1):
                if candidate != word:
                    found[candidate] = max(found.get(candidate, 0), reader.doc_frequency(field, candidate))
        return list(found.items())

    def fingerprints(self) -> dict[int, str]:
        searcher = self._searcher()
        if searcher is None:
            return {}
        return {int(fields["listing_id"]): fields.get("fingerprint", "")
                for fields in searcher.reader().all_stored_fields()}

    def close(self) -> None:
        cached = getattr(self._local, "searcher", None)
        if cached is not None:
            cached.close()
            self._local.searcher = None
        for index in self._indexes.values():
            index.close()
        self._indexes.clear()


def _documents_in(folder: Path) -> int:
    """How many documents the Whoosh index in `folder` holds (raises if it does not open)."""
    reason = None
    with warnings.catch_warnings():
        # Whoosh leaves the table of contents open when it cannot read it: closed here, quietly.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            index = whoosh_index.open_dir(str(folder))
        except (whoosh_index.IndexError, OSError, ValueError, EOFError, pickle.UnpicklingError,
                struct.error) as error:  # a missing or damaged table of contents
            reason = f"{type(error).__name__}: {error}"
        gc.collect()
    if reason is not None:
        raise SearchUnavailable(f"the search index in {folder.name} does not open ({reason})")
    try:
        return index.doc_count()
    finally:
        index.close()


def _commit(writer) -> None:
    """Commit the writer; if Whoosh fails half-way, still let go of the index's lock.

    A commit that raises (a full disk, a segment name already on disk) leaves Whoosh's
    writer open with the lock held, and every later writer in this process would then wait
    its whole timeout, until the garbage collector happened to close the lock file.
    """
    try:
        writer.commit()
    except BaseException:
        _let_go(writer)
        raise


def _let_go(writer) -> None:
    """Cancel the writer; when even that fails, release its lock by hand."""
    if writer.is_closed:
        return
    try:
        writer.cancel()
    except Exception:
        log.warning("search index writer could not cancel; releasing its lock", exc_info=True)
        lock = getattr(writer, "writelock", None)
        if lock is not None and lock.locked:
            lock.release()
        writer.is_closed = True
