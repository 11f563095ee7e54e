"""Read standard files into a Catalogue: all or nothing.

A catalogue with one broken file is not loaded at all, and every problem of every file is
reported at once: a half-loaded catalogue would validate batches against a standard that
silently lacks a limit.
"""
from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path

from .catalogue import Catalogue
from .counties import county_index
from .errors import CatalogueError, Problem
from .fields import Reader
from .model import Standard
from .schema import build_standard

DATA_DIR = Path(__file__).parent / "data"
#: Larger uploads are refused before parsing; the biggest real file is a few kilobytes.
MAX_FILE_BYTES = 256 * 1024


def parse_standard(text: str | bytes, filename: str, *,
                   known_counties: Collection[str] | None = None) -> Standard:
    """Parse one standard file (e.g. a supervisor's upload); raise CatalogueError if bad.

    `known_counties`, when given, is the set of county codes the shop knows; codes outside
    it are then problems too.
    """
    reader = Reader(filename)
    standard = _parse(text, reader, known_counties)
    if reader.problems or standard is None:
        raise CatalogueError(reader.problems)
    return standard


def load_catalogue(path: str | Path | None = None, *,
                   known_counties: Collection[str] | None = None) -> Catalogue:
    """Load the packaged catalogue, every *.toml file of a folder, or one file.

    The packaged catalogue is also checked against the packaged county table, since the
    web app offers counties from that table.
    """
    if path is None:
        path = DATA_DIR
        if known_counties is None:
            known_counties = county_index().keys()
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            raise CatalogueError([Problem(path.name, "(file)", "folder holds no *.toml file")])
    elif path.is_file():
        files = [path]
    else:
        raise CatalogueError([Problem(path.name, "(file)", "no such file or folder")])
    problems: list[Problem] = []
    standards: list[Standard] = []
    first_file: dict[str, str] = {}
    for file in files:
        reader = Reader(file.name)
        try:
            raw = file.read_bytes()
        except OSError as error:
            reader.problem("(file)", f"cannot be read: {error.strerror or error}")
            raw = None
        standard = _parse(raw, reader, known_counties) if raw is not None else None
        problems.extend(reader.problems)
        if standard is None:
            continue
        if standard.slug in first_file:
            problems.append(Problem(file.name, "slug", f"duplicate slug {standard.slug!r}, "
                                                       f"also in {first_file[standard.slug]}"))
            continue
        first_file[standard.slug] = file.name
        standards.append(standard)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(standards)


def _parse(text: str | bytes, reader: Reader, known_counties) -> Standard | None:
    if isinstance(text, (bytes, bytearray)):
        if len(text) > MAX_FILE_BYTES:
            reader.problem("(file)", f"is larger than {MAX_FILE_BYTES // 1024} KiB")
            return None
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            reader.problem("(file)", f"is not UTF-8 text (byte {error.start})")
            return None
    elif not isinstance(text, str):
        reader.problem("(file)", f"must be text or bytes, not {type(text).__name__}")
        return None
    text = text.removeprefix("\ufeff")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:
        reader.problem("(file)", f"holds an invalid character at position {error.start}")
        return None
    if size > MAX_FILE_BYTES:
        reader.problem("(file)", f"is larger than {MAX_FILE_BYTES // 1024} KiB")
        return None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reader.problem("(file)", f"is not valid TOML: {error}")
        return None
    except RecursionError:
        reader.problem("(file)", "is not valid TOML: nested too deeply")
        return None
    except ValueError as error:
        # tomllib lets Python's own conversions fail through, e.g. an integer of more
        # digits than int() accepts (sys.get_int_max_str_digits()).
        reader.problem("(file)", f"is not valid TOML: {error}")
        return None
    try:
        return build_standard(doc, reader, text, known_counties)
    except (ValueError, TypeError, ArithmeticError, RecursionError) as error:
        # A value no rule above foresaw (a number too large for a float, say) is still a
        # problem of the file, never a crash of whoever loads it.
        reader.problem("(file)", f"holds a value that cannot be used: {error}")
        return None
