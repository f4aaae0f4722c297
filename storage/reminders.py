"""Due messages for the reminder engine (bot/reminders.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timestamps import from_text, from_text_required, to_text


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


def _due(row: aiosqlite.Row) -> Due:
    return Due(
        id=row[0],
        key=row[1],
        kind=row[2],
        due_at=from_text_required(row[3]),
        expires_at=from_text(row[4]),
        payload=json.loads(row[5]),
        status=row[6],
        outcome=row[7],
    )


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


async def reschedule(tx: aiosqlite.Connection, key: str, due_at: datetime, expires_at: datetime | None = None) -> None:
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


async def due_now(tx: aiosqlite.Connection, now: datetime, limit: int = 100) -> list[Due]:
    """The pending messages due by ``now``, oldest first (not claimed: see ``claim``)."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM reminders WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
        (to_text(now), limit),
    ) as cursor:
        return [_due(row) for row in await cursor.fetchall()]


async def claim(tx: aiosqlite.Connection, due_id: int) -> bool:
    """Mark one pending message as being sent, right before its handler runs; False if it is no longer pending."""
    cursor = await tx.execute("UPDATE reminders SET status = 'claimed' WHERE id = ? AND status = 'pending'", (due_id,))
    return cursor.rowcount == 1


async def finish(tx: aiosqlite.Connection, due_id: int, status: str, outcome: str | None, now: datetime) -> None:
    """Record how a claimed message ended: sent, skipped or failed."""
    await tx.execute(
        "UPDATE reminders SET status = ?, outcome = ?, done_at = ? WHERE id = ?",
        (status, outcome, to_text(now), due_id),
    )


async def settle_claimed(tx: aiosqlite.Connection, now: datetime) -> list[Due]:
    """After a crash: the message caught mid-send may have gone out, so it is not sent again but
    recorded as ``unknown``. Returns those messages (at most the one in flight)."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM reminders WHERE status = 'claimed' ORDER BY id") as cursor:
        caught = [_due(row) for row in await cursor.fetchall()]
    await tx.execute(
        "UPDATE reminders SET status = 'unknown', outcome = 'interrupted by a restart: may not have gone out', done_at = ? "
        "WHERE status = 'claimed'",
        (to_text(now),),
    )
    return caught


async def next_due_at(tx: aiosqlite.Connection) -> datetime | None:
    """When the next pending message falls due."""
    async with tx.execute("SELECT MIN(due_at) FROM reminders WHERE status = 'pending'") as cursor:
        row = await cursor.fetchone()
    return from_text(row[0]) if row else None


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
