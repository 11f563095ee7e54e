"""Tables of the search package: the outbox of listings to re-index, and the PostgreSQL index.

`SearchOutbox` rows are written in the same transaction as the change they follow, so a
worker that dies between its commit and its index write loses nothing: the next drain
(after any later commit, or `flask search sync`) applies them.

`SearchDocument` and `SearchWord` are used by the PostgreSQL backend only (they exist,
empty, elsewhere). The text arrives segmented by Python (jieba words, pinyin, English
stems), so the 'simple' text search configuration is enough and no Chinese parser
extension is needed. The GIN indexes exist on PostgreSQL only; the trigram one needs the
pg_trgm extension, created before the table when the server offers it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, BigInteger, Boolean, Index, String, Text, event, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.core.timeutil import utcnow

#: The tsvector of PostgreSQL; plain text where the table is only a bystander (SQLite).
SearchVector = Text().with_variant(TSVECTOR(), "postgresql")


class SearchOutbox(db.Model):
    """A listing whose search document must be brought in step (written in the change's transaction)."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(index=True)
    #: Which committed transaction wrote the row; its own after-commit step removes them.
    commit_token: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SearchDocument(db.Model):
    """One live listing as the PostgreSQL backend finds it."""

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_document", "document", postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    listing_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    fingerprint: Mapped[str] = mapped_column(String(40))
    #: Weighted words: A title and GI names, B cooperative, place and category,
    #: C description, D words inside longer words and pinyin.
    document: Mapped[str] = mapped_column(SearchVector)
    gi_slug: Mapped[str] = mapped_column(String(80), default="", index=True)
    province: Mapped[str] = mapped_column(String(60), default="", index=True)
    county_code: Mapped[str] = mapped_column(String(6), default="", index=True)
    category: Mapped[str] = mapped_column(String(20), default="", index=True)
    certified: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    price_minor: Mapped[int] = mapped_column(index=True)
    #: Seconds since the epoch (UTC) of the listing's creation, for "newest first".
    created: Mapped[int] = mapped_column(BigInteger, index=True)
    harvest: Mapped[int] = mapped_column(default=0)


class SearchWord(db.Model):
    """A spelling seen in some listing, for typo tolerance and "did you mean" (trigram-indexed)."""

    __tablename__ = "search_words"
    __table_args__ = (
        Index("ix_search_words_word_trgm", "word", postgresql_using="gin",
              postgresql_ops={"word": "gin_trgm_ops"}).ddl_if(callable_=lambda *a, **kw: _has_trgm(*a, **kw)),
    )

    word: Mapped[str] = mapped_column(String(80), primary_key=True)


def _has_trgm(ddl, target, bind, **kw) -> bool:
    """True on PostgreSQL servers that ship the pg_trgm extension."""
    if bind is None or bind.dialect.name != "postgresql":
        return False
    return bool(bind.execute(text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar())


event.listen(
    SearchWord.__table__, "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(callable_=_has_trgm),
)
