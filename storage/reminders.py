"""Due messages for the reminder engine (bot/reminders.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timestamps import from_text, to_text


@dataclass(frozen=True)
class Due:
    """A message that is (or will be) due."""

    id: int
    key: str
    kind: str
    due_at: datetime
    expires_at: datetime | None
    payload: dict[str, Any]
    status: str
    outcome: str | None


_COLUMNS = "id, key, kind, due_at, expires_at, payload, status, outcome"


def _due(row: tuple) -> Due:
    return Due(row[0], row[1], row[2], from_text(row[3]), from_text(row[4]), json.loads(row[5]), row[6], row[7])


async def schedule(
    tx: aiosqlite.Connection,
    key: str,
    kind: str,
    due_at: datetime,
    payload: dict[str, Any],
    now: datetime,
    expires_at: datetime | None = None,
) -> bool:
    """Add a due message; a key already scheduled (in any status) is left as it is. True if added."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO reminders (key, kind, due_at, expires_at, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (key, kind, to_text(due_at), to_text(expires_at) if expires_at else None, json.dumps(payload), to_text(now)),
    )
    return cursor.rowcount == 1


async def reschedule(
    tx: aiosqlite.Connection, key: str, due_at: datetime, expires_at: datetime | None = None
) -> None:
    """Move a pending due message (e.g. a meeting moved); sent ones stay sent."""
    await tx.execute(
        "UPDATE reminders SET due_at = ?, expires_at = ? WHERE key = ? AND status = 'pending'",
        (to_text(due_at), to_text(expires_at) if expires_at else None, key),
    )


async def cancel(tx: aiosqlite.Connection, key_prefix: str, now: datetime) -> int:
    """Cancel every pending due message whose key starts with ``key_prefix``; return how many."""
    cursor = await tx.execute(
        "UPDATE reminders SET status = 'cancelled', done_at = ? WHERE status = 'pending' AND key LIKE ? ESCAPE '\\'",
        (to_text(now), _like_prefix(key_prefix)),
    )
    return cursor.rowcount


async def claim_due(tx: aiosqlite.Connection, now: datetime, limit: int = 100) -> list[Due]:
    """Mark the pending messages due by ``now`` as claimed and return them, oldest first."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM reminders WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
        (to_text(now), limit),
    ) as cursor:
        rows = [_due(row) for row in await cursor.fetchall()]
    await tx.executemany("UPDATE reminders SET status = 'claimed' WHERE id = ?", [(due.id,) for due in rows])
    return rows


async def finish(tx: aiosqlite.Connection, due_id: int, status: str, outcome: str | None, now: datetime) -> None:
    """Record how a claimed message ended: sent, skipped or failed."""
    await tx.execute(
        "UPDATE reminders SET status = ?, outcome = ?, done_at = ? WHERE id = ?",
        (status, outcome, to_text(now), due_id),
    )


async def abandon_claimed(tx: aiosqlite.Connection, now: datetime) -> int:
    """After a crash: claimed but unfinished messages may have gone out, so they are not sent again."""
    cursor = await tx.execute(
        "UPDATE reminders SET status = 'failed', outcome = 'interrupted by a restart', done_at = ? "
        "WHERE status = 'claimed'",
        (to_text(now),),
    )
    return cursor.rowcount


async def next_due_at(tx: aiosqlite.Connection) -> datetime | None:
    """When the next pending message falls due."""
    async with tx.execute("SELECT MIN(due_at) FROM reminders WHERE status = 'pending'") as cursor:
        row = await cursor.fetchone()
    return from_text(row[0])


async def get_by_key(tx: aiosqlite.Connection, key: str) -> Due | None:
    """The due message with this key."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM reminders WHERE key = ?", (key,)) as cursor:
        row = await cursor.fetchone()
    return _due(row) if row else None


async def list_by_prefix(tx: aiosqlite.Connection, key_prefix: str) -> list[Due]:
    """Every due message whose key starts with ``key_prefix``, by due time."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM reminders WHERE key LIKE ? ESCAPE '\\' ORDER BY due_at, id",
        (_like_prefix(key_prefix),),
    ) as cursor:
        return [_due(row) for row in await cursor.fetchall()]


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
