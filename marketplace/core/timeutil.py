"""One clock for the whole application, always timezone-aware UTC."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Return the current time in UTC, with tzinfo set."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime | None) -> datetime | None:
    """Attach UTC to a naive datetime read back from SQLite (which drops the offset)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)
