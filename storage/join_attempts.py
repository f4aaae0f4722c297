"""Wrong invitation codes: who tried one and when (the attempt limit and the facilitator's count)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import from_text_required, to_text


@dataclass(frozen=True)
class WrongCodes:
    """Wrong invitation codes typed anywhere in the bot over a period, and by how many people."""

    tries: int
    people: int


async def record_wrong_code(tx: aiosqlite.Connection, user_id: int, now: datetime, update_id: int) -> None:
    """Count one wrong code by ``user_id`` (a replayed update counts once)."""
    await tx.execute(
        "INSERT OR IGNORE INTO wrong_invitation_codes (user_id, tried_at, source_update_id) VALUES (?, ?, ?)",
        (user_id, to_text(now), update_id),
    )


async def wrong_codes_of(tx: aiosqlite.Connection, user_id: int, since: datetime) -> list[datetime]:
    """When ``user_id`` typed a wrong code since ``since``, oldest first."""
    async with tx.execute(
        "SELECT tried_at FROM wrong_invitation_codes WHERE user_id = ? AND tried_at >= ? ORDER BY tried_at",
        (user_id, to_text(since)),
    ) as cursor:
        return [from_text_required(row[0]) for row in await cursor.fetchall()]


async def wrong_codes_since(tx: aiosqlite.Connection, since: datetime) -> WrongCodes:
    """Every wrong code typed in the bot since ``since`` (no cluster can be told from a wrong code)."""
    async with tx.execute(
        "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM wrong_invitation_codes WHERE tried_at >= ?", (to_text(since),)
    ) as cursor:
        row = await cursor.fetchone()
    return WrongCodes(row[0], row[1]) if row else WrongCodes(0, 0)


async def prune_wrong_codes(tx: aiosqlite.Connection, before: datetime) -> int:
    """Delete wrong codes tried before ``before``; return how many."""
    cursor = await tx.execute("DELETE FROM wrong_invitation_codes WHERE tried_at < ?", (to_text(before),))
    return cursor.rowcount
