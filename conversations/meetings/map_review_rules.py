"""The participant map at a meeting, as plain rules: when the map goes out before the meeting, and
how the map's figures moved from one review to the next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.map_reviews import MapReview

# The figures a review keeps, in the order they are shown: member firms, their workers, the links of
# the value chain (firms naming who they buy from or sell to) and the confirmed outside supporters.
FIGURES = ("firms", "workers", "links", "supporters")
SEND_AHEAD = timedelta(hours=24)  # the map reaches the invitees a day before, as ANNEX-2 advises
CHANGES_LIMIT = 1000  # characters of "what changed"
HISTORY_SHOWN = 6  # reviews on the history screen (newest first): one phone screen


def map_goes_out_at(starts_at: datetime, now: datetime) -> datetime | None:
    """When the invitees get the map: a day before the start, or now when that moment passed;
    None once the meeting has started (the map is then looked at in the room)."""
    if now >= starts_at:
        return None
    return max(starts_at - SEND_AHEAD, now)


@dataclass(frozen=True)
class Step:
    """One recorded review with how each figure moved since the one before (None for the first)."""

    review: MapReview
    figures: dict[str, int]
    moved: dict[str, int] | None


def steps(reviews: list[MapReview]) -> list[Step]:
    """The map's history from reviews oldest first: each with the change since the previous one."""
    history: list[Step] = []
    previous: dict[str, int] | None = None
    for review in reviews:
        figures = {name: int(review.figures.get(name, 0)) for name in FIGURES}
        moved = {name: figures[name] - previous[name] for name in FIGURES} if previous is not None else None
        history.append(Step(review, figures, moved))
        previous = figures
    return history


def moved_since(current: dict[str, int], last: MapReview | None) -> dict[str, int] | None:
    """How the map moved since the last recorded review (None when there was none)."""
    if last is None:
        return None
    return {name: int(current.get(name, 0)) - int(last.figures.get(name, 0)) for name in FIGURES}


def clean_changes(text: str | None) -> str | None:
    """What changed, as typed, with spaces tidied; None when empty or too long."""
    cleaned = "\n".join(" ".join(line.split()) for line in (text or "").strip().splitlines()).strip()
    if not cleaned or len(cleaned) > CHANGES_LIMIT:
        return None
    return cleaned


def notes_with_review(notes: str | None, line: str) -> str:
    """The meeting's notes with the review's line added at the end (once)."""
    if notes and line in notes:
        return notes
    return f"{notes}\n{line}" if notes else line
