"""Letters between a member and their cluster's facilitators: kept, sent on the member's tap, answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import from_text, from_text_required, to_text


@dataclass(frozen=True)
class Letter:
    """A member's message to the facilitators, or a facilitator's answer to one (``in_reply_to``)."""

    id: int
    cluster_id: int
    member_id: int
    sender_id: int
    in_reply_to: int | None
    body: str
    status: str
    created_at: datetime
    sent_at: datetime | None


_COLUMNS = "id, cluster_id, member_id, sender_id, in_reply_to, body, status, created_at, sent_at"


def _letter(row: aiosqlite.Row) -> Letter:
    return Letter(
        id=row[0],
        cluster_id=row[1],
        member_id=row[2],
        sender_id=row[3],
        in_reply_to=row[4],
        body=row[5],
        status=row[6],
        created_at=from_text_required(row[7]),
        sent_at=from_text(row[8]),
    )


async def _by_update(tx: aiosqlite.Connection, source_update_id: int) -> Letter:
    async with tx.execute(f"SELECT {_COLUMNS} FROM letters WHERE source_update_id = ?", (source_update_id,)) as cur:
        row = await cur.fetchone()
    assert row is not None  # just written, or written by the same update before a replay
    return _letter(row)


async def keep_letter(
    tx: aiosqlite.Connection, cluster_id: int, member_id: int, body: str, now: datetime, source_update_id: int
) -> Letter:
    """Keep a member's text until they choose to send it (the same update twice keeps it once)."""
    await tx.execute(
        "INSERT OR IGNORE INTO letters (cluster_id, member_id, sender_id, body, status, created_at, source_update_id) "
        "VALUES (?, ?, ?, ?, 'kept', ?, ?)",
        (cluster_id, member_id, member_id, body, to_text(now), source_update_id),
    )
    return await _by_update(tx, source_update_id)


async def get_letter(tx: aiosqlite.Connection, letter_id: int) -> Letter | None:
    """One letter, or None."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM letters WHERE id = ?", (letter_id,)) as cursor:
        row = await cursor.fetchone()
    return _letter(row) if row else None


async def mark_sent(tx: aiosqlite.Connection, letter_id: int, member_id: int, now: datetime) -> bool:
    """Send the member's kept letter; False when it is not theirs or no longer kept (sent or dropped already)."""
    cursor = await tx.execute(
        "UPDATE letters SET status = 'sent', sent_at = ? WHERE id = ? AND member_id = ? AND sender_id = member_id "
        "AND status = 'kept'",
        (to_text(now), letter_id, member_id),
    )
    return cursor.rowcount == 1


async def drop_letter(tx: aiosqlite.Connection, letter_id: int, member_id: int) -> bool:
    """Forget the member's kept letter unsent; False when it is not theirs or no longer kept."""
    cursor = await tx.execute(
        "UPDATE letters SET status = 'dropped' WHERE id = ? AND member_id = ? AND sender_id = member_id "
        "AND status = 'kept'",
        (letter_id, member_id),
    )
    return cursor.rowcount == 1


async def add_answer(
    tx: aiosqlite.Connection, letter: Letter, sender_id: int, body: str, now: datetime, source_update_id: int
) -> tuple[Letter, bool]:
    """A facilitator's answer to ``letter``, sent at once; ``(answer, new)``: not new when this update wrote it before."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO letters "
        "(cluster_id, member_id, sender_id, in_reply_to, body, status, created_at, sent_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, 'sent', ?, ?, ?)",
        (letter.cluster_id, letter.member_id, sender_id, letter.id, body, to_text(now), to_text(now), source_update_id),
    )
    return await _by_update(tx, source_update_id), cursor.rowcount == 1
