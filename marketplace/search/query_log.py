"""What shoppers searched for, counted for the demand figures of the public index (Art. 13).

One row per search that asked for words (the first page only, so paging adds nothing),
holding the normalised words, how many listings were found and the GI product chosen as a
facet. No user, session, address or agent is stored: a row cannot be traced to a person.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.core.timeutil import utcnow

#: Longest normalised query kept; longer ones are cut (the figures count the common ones).
QUERY_MAX_CHARS = 100


class SearchQueryLog(db.Model):
    __tablename__ = "search_query_log"
    __table_args__ = (Index("ix_search_query_log_searched_at", "searched_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    searched_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Lower case, width-folded (NFKC), single spaces: "西湖 龙井", "longjing tea".
    query: Mapped[str] = mapped_column(String(QUERY_MAX_CHARS))
    result_count: Mapped[int] = mapped_column()
    #: The GI product facet the shopper chose ("" for none).
    gi_product: Mapped[str] = mapped_column(String(80), default="")


def normalise_query(text: str | None) -> str:
    """Fold width and case and collapse spaces, so that 'ＬongJing  Tea' counts as 'longjing tea'."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"\s+", " ", folded).strip()[:QUERY_MAX_CHARS]


def log_search(text: str | None, result_count: int, gi_product: str | None) -> None:
    """Count one search with words; searches without words (facets only) are not demand for a word."""
    from marketplace.core.database import write_transaction

    query = normalise_query(text)
    if not query:
        return
    with write_transaction():
        db.session.add(SearchQueryLog(query=query, result_count=max(int(result_count), 0),
                                      gi_product=(gi_product or "")[:80]))
