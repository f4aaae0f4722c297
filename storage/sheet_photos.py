"""Photos of a meeting's signed attendance sheet, kept with the meeting in the order sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import to_text


@dataclass(frozen=True)
class SheetPhoto:
    """One photo (or an image sent as a file) of a signed attendance sheet."""

    id: int
    meeting_id: int
    position: int  # 1, 2, ... within the meeting
    kind: str  # photo or document
    file_id: str


async def add_photo(
    tx: aiosqlite.Connection,
    meeting_id: int,
    kind: str,
    file_id: str,
    file_unique_id: str,
    added_by: int,
    now: datetime,
) -> list[SheetPhoto]:
    """Keep one more photo after the meeting's others; the same file sent again (an update replayed
    after a crash) is kept once. Returns every photo the meeting now has, in order."""
    await tx.execute(
        "INSERT OR IGNORE INTO meeting_sheet_photos "
        "(meeting_id, position, kind, file_id, file_unique_id, added_by, added_at) "
        "SELECT ?, COALESCE(MAX(position), 0) + 1, ?, ?, ?, ?, ? FROM meeting_sheet_photos WHERE meeting_id = ?",
        (meeting_id, kind, file_id, file_unique_id, added_by, to_text(now), meeting_id),
    )
    return await photos_of(tx, meeting_id)


async def photos_of(conn: aiosqlite.Connection, meeting_id: int) -> list[SheetPhoto]:
    """A meeting's photos of its signed sheet, in the order they were sent."""
    async with conn.execute(
        "SELECT id, meeting_id, position, kind, file_id FROM meeting_sheet_photos WHERE meeting_id = ? "
        "ORDER BY position",
        (meeting_id,),
    ) as cursor:
        return [SheetPhoto(*row) for row in await cursor.fetchall()]


async def count_photos(conn: aiosqlite.Connection, meeting_id: int) -> int:
    """How many photos of the signed sheet the meeting has."""
    async with conn.execute("SELECT COUNT(*) FROM meeting_sheet_photos WHERE meeting_id = ?", (meeting_id,)) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0
