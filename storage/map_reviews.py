"""Reviews of the cluster's participant map at meetings: planned on an agenda, then recorded."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import aiosqlite

from storage.timestamps import from_text, to_text


@dataclass(frozen=True)
class MapReview:
    """The map on one meeting's agenda; ``reviewed_at`` and ``figures`` once it was recorded."""

    id: int
    cluster_id: int
    meeting_id: int
    planned_by: int
    planned_at: datetime
    reviewed_at: datetime | None = None
    changes: str | None = None
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def recorded(self) -> bool:
        """Whether the review's outcome was recorded."""
        return self.reviewed_at is not None


_COLUMNS = "id, cluster_id, meeting_id, planned_by, planned_at, reviewed_at, changes, figures"


def _review(row: aiosqlite.Row | tuple) -> MapReview:
    planned_at = from_text(row[4])
    assert planned_at is not None, "map_reviews.planned_at is NOT NULL"
    return MapReview(
        row[0], row[1], row[2], row[3], planned_at, from_text(row[5]), row[6], json.loads(row[7]) if row[7] else {}
    )


async def plan_review(
    tx: aiosqlite.Connection, cluster_id: int, meeting_id: int, planned_by: int, now: datetime
) -> tuple[MapReview, bool]:
    """Put the map on the meeting's agenda (once a meeting); the review, and whether it is new."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO map_reviews (cluster_id, meeting_id, planned_by, planned_at) VALUES (?, ?, ?, ?)",
        (cluster_id, meeting_id, planned_by, to_text(now)),
    )
    review = await review_of_meeting(tx, meeting_id)
    assert review is not None, "just planned"
    return review, cursor.rowcount == 1


async def review_of_meeting(conn: aiosqlite.Connection, meeting_id: int) -> MapReview | None:
    """The map review on the meeting's agenda, if any."""
    async with conn.execute(f"SELECT {_COLUMNS} FROM map_reviews WHERE meeting_id = ?", (meeting_id,)) as cursor:
        row = await cursor.fetchone()
    return _review(row) if row else None


async def record_review(
    tx: aiosqlite.Connection,
    review_id: int,
    changes: str,
    figures: dict[str, int],
    reviewed_by: int,
    now: datetime,
    source_update_id: int,
) -> bool:
    """Record what changed and the map's figures now; a replayed update (or a second record) changes
    nothing. True when recorded by this call."""
    cursor = await tx.execute(
        "UPDATE OR IGNORE map_reviews SET reviewed_by = ?, reviewed_at = ?, changes = ?, figures = ?, "
        "source_update_id = ? WHERE id = ? AND reviewed_at IS NULL",
        (reviewed_by, to_text(now), changes, json.dumps(figures, sort_keys=True), source_update_id, review_id),
    )
    return cursor.rowcount == 1


async def recorded_reviews(conn: aiosqlite.Connection, cluster_id: int) -> list[MapReview]:
    """The cluster's recorded reviews, oldest first (the map's history)."""
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM map_reviews WHERE cluster_id = ? AND reviewed_at IS NOT NULL ORDER BY reviewed_at, id",
        (cluster_id,),
    ) as cursor:
        return [_review(row) for row in await cursor.fetchall()]
