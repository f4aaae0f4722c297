"""UTC timestamps as ISO-8601 text, the one format the database stores."""

from __future__ import annotations

from datetime import UTC, datetime


def to_text(moment: datetime) -> str:
    """Store ``moment`` (timezone-aware) as UTC ISO-8601 text with seconds."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_text_required(text: str) -> datetime:
    """Read a timestamp from a NOT NULL column back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)


def from_text(text: str | None) -> datetime | None:
    """Read a stored timestamp back as an aware UTC datetime (``None`` stays ``None``)."""
    if text is None:
        return None
    return from_text_required(text)
