"""The catalogue in force: the packaged standards, overlaid by the versions supervisors publish.

Every version is a row of `standard_versions` holding the file it came from, so the version
that validated a batch can always be shown with it. The parsed catalogue is cached per
process and rebuilt when a newer version appears in the database (one cheap query per
call), so every worker follows a publication at once.
"""
from __future__ import annotations

import logging
import threading

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from gi_standards import Catalogue, CatalogueError, Standard, load_catalogue, parse_standard
from gi_standards.loader import MAX_FILE_BYTES
from marketplace.core.audit import record
from marketplace.core.counties import County
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError
from marketplace.extensions import db
from marketplace.standards.models import StandardVersion


logger = logging.getLogger(__name__)


class StandardFileRefused(DomainError):
    """A standard file that cannot be published; `problems` lists each problem found in it."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


_cache_lock = threading.Lock()
_cache: dict = {"key": None, "catalogue": None}


def packaged_catalogue() -> Catalogue:
    """The standards shipped with the code (gi_standards/data), parsed once per process."""
    if "packaged" not in _cache:
        _cache["packaged"] = load_catalogue()
    return _cache["packaged"]


def catalogue_key_columns():
    """What tells whether the cached catalogue is current: (latest version id, count).

    A page that reads its rows in one statement can add these two scalar subqueries to it
    and pass the values to `current_catalogue(key=…)`, saving a query.
    """
    return (select(func.max(StandardVersion.id)).scalar_subquery(),
            select(func.count(StandardVersion.id)).scalar_subquery())


def current_catalogue(key: tuple | None = None) -> Catalogue:
    """Return the catalogue in force now (`key`: see `catalogue_key_columns`)."""
    if key is None:
        key = db.session.execute(select(func.max(StandardVersion.id), func.count(StandardVersion.id))).one()
    key = tuple(key)
    with _cache_lock:
        if _cache["key"] == key and _cache["catalogue"] is not None:
            return _cache["catalogue"]
    standards = {slug: packaged_catalogue()[slug] for slug in packaged_catalogue()}
    rows = db.session.scalars(select(StandardVersion).where(StandardVersion.is_current))
    for row in rows:
        try:
            standards[row.slug] = parse_standard(row.source_text, f"{row.slug}.toml")
        except CatalogueError as error:
            # A version published before the format grew stricter (physical bounds, retired
            # codes): the packaged file, which the stricter rules were written with, stands
            # in until `flask standards import` publishes it; never a page that fails.
            if row.slug not in standards:
                raise
            logger.warning("standard %s v%s no longer loads, packaged file used: %s",
                           row.slug, row.version, error)
    catalogue = Catalogue(standards.values())
    with _cache_lock:
        _cache["key"], _cache["catalogue"] = key, catalogue
    return catalogue


def current_version(slug: str) -> StandardVersion:
    """Return the row of the version in force for `slug`, recording the packaged one if needed.

    A batch stores this row's id, so it must exist before the first validation.
    """
    row = db.session.scalar(
        select(StandardVersion).where(StandardVersion.slug == slug, StandardVersion.is_current)
    )
    if row is not None:
        return row
    standard = packaged_catalogue()[slug]
    row = StandardVersion(slug=slug, version=standard.version, fingerprint=standard.fingerprint,
                          code=standard.code, source_text=standard.source_text, is_current=True)
    db.session.add(row)
    db.session.flush()
    return row


def versions(slug: str | None = None) -> list[StandardVersion]:
    query = select(StandardVersion).order_by(StandardVersion.slug, StandardVersion.version.desc())
    if slug:
        query = query.where(StandardVersion.slug == slug)
    return list(db.session.scalars(query))


def check_file(content: bytes, filename: str) -> Standard:
    """Parse an uploaded standard file; raise DomainError listing every problem."""
    if len(content) > MAX_FILE_BYTES:
        raise StandardFileRefused(_l("The file is larger than %(n)d KB.", n=MAX_FILE_BYTES // 1024))
    if not filename.lower().endswith(".toml"):
        raise StandardFileRefused(_l("A standard file is a .toml file."))
    known = set(db.session.scalars(select(County.code)))
    try:
        return parse_standard(content, filename, known_counties=known)
    except CatalogueError as error:
        raise StandardFileRefused(_l("The file has problems; nothing was changed."), error.problems) from error


def publish_standard(content: bytes, filename: str, publisher=None) -> tuple[StandardVersion, bool]:
    """Publish a new or revised standard; return its version and whether it is new.

    Publishing the same content again changes nothing. The previous version stays on
    record (batches validated with it keep pointing at it).
    """
    standard = check_file(content, filename)
    with write_transaction():
        current = db.session.scalar(
            select(StandardVersion).where(StandardVersion.slug == standard.slug, StandardVersion.is_current)
        )
        if current is not None and current.fingerprint == standard.fingerprint:
            return current, False
        return _publish_version(standard, publisher), True


def _publish_version(standard: Standard, publisher) -> StandardVersion:
    """Make `standard` the current version of its product, the earlier ones kept on record."""
    latest = db.session.scalar(
        select(func.max(StandardVersion.version)).where(StandardVersion.slug == standard.slug)
    ) or 0
    db.session.execute(
        update(StandardVersion).where(StandardVersion.slug == standard.slug).values(is_current=False)
    )
    version = StandardVersion(
        slug=standard.slug, version=latest + 1 if latest else standard.version,
        fingerprint=standard.fingerprint, code=standard.code, source_text=standard.source_text,
        is_current=True, published_by_id=getattr(publisher, "id", None),
    )
    db.session.add(version)
    db.session.flush()
    record("standard.published", "standard", standard.slug, actor=publisher,
           standard_version=version.label, public=True, fingerprint=standard.fingerprint,
           version=version.version)
    return version


def problem_lines(error: DomainError) -> list[str]:
    """Each problem as one line: file, key path, reason."""
    return [f"{p.file} · {p.key}: {p.reason}" for p in getattr(error, "problems", ())]


def record_packaged_versions() -> int:
    """Make sure every packaged standard has its version row (used by demo data)."""
    created = 0
    with write_transaction():
        for slug in packaged_catalogue():
            before = db.session.scalar(select(func.count()).select_from(StandardVersion)
                                       .where(StandardVersion.slug == slug))
            current_version(slug)
            created += 0 if before else 1
    return created
