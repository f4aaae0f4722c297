"""Survey rules (plain functions): closing dates, round titles, who is still to answer."""

from __future__ import annotations

from datetime import datetime, timedelta

PREFIX = "sv1"
FORM_ID = "annex1"
CLOSING_CHOICES = {"none": None, "1w": timedelta(weeks=1), "2w": timedelta(weeks=2), "1m": timedelta(days=30)}
TITLE_LIMIT = 80


def closing_time(choice: str, now: datetime) -> tuple[bool, datetime | None]:
    """``(valid, closes_at)`` for a closing button (``none``, ``1w``, ``2w``, ``1m``)."""
    if choice not in CLOSING_CHOICES:
        return False, None
    delta = CLOSING_CHOICES[choice]
    return True, (now + delta if delta else None)


def accepting(status: str, closes_at: datetime | None, now: datetime) -> bool:
    """A round takes answers while open and before its closing time."""
    return status == "open" and (closes_at is None or now < closes_at)


def clean_title(text: str | None) -> str | None:
    """A round title: trimmed, 1 to 80 characters."""
    cleaned = " ".join((text or "").split())
    return cleaned if 0 < len(cleaned) <= TITLE_LIMIT else None


def not_yet_answered(members: list[int], submitted: list[int]) -> list[int]:
    """Members who have not sent their answers (in member order)."""
    done = set(submitted)
    return [m for m in members if m not in done]
