"""Published versions of GI standards.

The packaged catalogue (gi_standards/data) is version 1 of each standard; supervisors
publish revisions. Every version's file is kept, so the version that validated a batch can
always be shown with that batch.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class StandardVersion(db.Model):
    __tablename__ = "standard_versions"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column()
    #: Hash of the file's content; republishing an identical file creates no new version.
    fingerprint: Mapped[str] = mapped_column(String(64))
    #: The standard's code as published, e.g. "GB/T 18650-2008".
    code: Mapped[str] = mapped_column(String(80))
    source_text: Mapped[str] = mapped_column(Text)
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def label(self) -> str:
        """How the version is cited next to a batch: "GB/T 18650-2008 · v2"."""
        return f"{self.code} · v{self.version}"
