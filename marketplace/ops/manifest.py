"""The manifest of a backup: what is in the archive, at which schema revision, with checksums.

Restores refuse an archive whose files do not match their checksums or whose schema
revision is not the one this code's migrations end at: restoring it would give the code
tables it does not know, or lose rows silently.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from marketplace.config import PROJECT_ROOT
from marketplace.core.errors import DomainError

FORMAT = "terroir-backup/1"
MANIFEST_NAME = "manifest.json"
DATABASE_DIR = "database"
UPLOADS_DIR = "uploads"
#: The Whoosh index's files, when the search index is not in the database.
SEARCH_INDEX_DIR = "search-index"
_CHUNK = 1 << 20


class BackupError(DomainError):
    """A backup or restore that cannot go on; the message says why and what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def code_schema_revision() -> str:
    """The revision this code's migrations end at (the one `flask db upgrade` reaches)."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_heads()
    if len(heads) != 1:
        raise BackupError(f"the migrations have {len(heads)} heads ({', '.join(heads)}): merge them first")
    return heads[0]


def database_schema_revision(connection) -> str | None:
    """The revision the database was migrated to, or None if it was never migrated."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


@dataclass
class Manifest:
    created_at: str
    schema_revision: str
    dialect: str
    database_member: str
    #: Archive member name -> {"sha256": …, "bytes": …}, for every file but the manifest.
    members: dict[str, dict] = field(default_factory=dict)
    format: str = FORMAT
    #: Documents in the archive's copy of the search index (None: the archive holds none).
    search_index_documents: int | None = None

    def add(self, member: str, sha256: str, size: int) -> None:
        self.members[member] = {"sha256": sha256, "bytes": size}

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BackupError(f"not a Terroir backup of format {FORMAT} (found {data.get('format')!r})")
            return cls(**data)
        except (ValueError, TypeError, AttributeError) as error:
            raise BackupError(f"the manifest cannot be read: {error}") from error

    @property
    def upload_members(self) -> list[str]:
        return sorted(name for name in self.members if name.startswith(UPLOADS_DIR + "/"))
