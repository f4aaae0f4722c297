"""Broadcasts and members' mutes."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timestamps import from_text, to_text


@dataclass(frozen=True)
class Broadcast:
    """A message composed for many members of a cluster."""

    id: int
    cluster_id: int
    sender_id: int
    content: dict[str, Any]
    audience: dict[str, Any]
    urgent: bool
    status: str
    send_at: datetime
    report_message_id: int | None

    @property
    def batch(self) -> str:
        """Its outbox batch name."""
        return f"broadcast:{self.id}"


_COLUMNS = "id, cluster_id, sender_id, content, audience, urgent, status, send_at, report_message_id"


def _broadcast(row: sqlite3.Row) -> Broadcast:
    send_at = from_text(row[7])
    assert send_at is not None, "broadcasts.send_at is NOT NULL"
    return Broadcast(
        row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]), bool(row[5]), row[6], send_at, row[8]
    )


async def create_broadcast(
    tx: aiosqlite.Connection,
    *,
    cluster_id: int,
    sender_id: int,
    content: dict[str, Any],
    audience: dict[str, Any],
    urgent: bool,
    send_at: datetime,
    now: datetime,
    source_update_id: int,
) -> tuple[Broadcast, bool]:
    """Store a confirmed broadcast (once per update); True when new."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM broadcasts WHERE source_update_id = ?", (source_update_id,)
    ) as cursor:
        row = await cursor.fetchone()
    if row:
        return _broadcast(row), False
    cursor = await tx.execute(
        "INSERT INTO broadcasts (cluster_id, sender_id, content, audience, urgent, send_at, created_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cluster_id,
            sender_id,
            json.dumps(content),
            json.dumps(audience),
            int(urgent),
            to_text(send_at),
            to_text(now),
            source_update_id,
        ),
    )
    assert cursor.lastrowid is not None, "an INSERT gives a row id"
    created = await get_broadcast(tx, cursor.lastrowid)
    assert created is not None, "inserted in this transaction"
    return created, True


async def get_broadcast(tx: aiosqlite.Connection, broadcast_id: int) -> Broadcast | None:
    """The broadcast with this id."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)) as cursor:
        row = await cursor.fetchone()
    return _broadcast(row) if row else None


async def scheduled_of(tx: aiosqlite.Connection, cluster_id: int) -> list[Broadcast]:
    """The cluster's broadcasts that have not started yet."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM broadcasts WHERE cluster_id = ? AND status = 'scheduled' ORDER BY send_at",
        (cluster_id,),
    ) as cursor:
        return [_broadcast(row) for row in await cursor.fetchall()]


async def set_status(tx: aiosqlite.Connection, broadcast_id: int, status: str) -> None:
    """Move a broadcast on: scheduled → sending → done, or cancelled."""
    await tx.execute("UPDATE broadcasts SET status = ? WHERE id = ?", (status, broadcast_id))


async def set_report_message(tx: aiosqlite.Connection, broadcast_id: int, message_id: int) -> None:
    """Remember the sender's progress message."""
    await tx.execute("UPDATE broadcasts SET report_message_id = ? WHERE id = ?", (message_id, broadcast_id))


async def set_muted(tx: aiosqlite.Connection, cluster_id: int, user_id: int, muted: bool, now: datetime) -> None:
    """Mute or unmute non-urgent broadcasts of a cluster for a member."""
    if muted:
        await tx.execute(
            "INSERT OR IGNORE INTO broadcast_mutes (cluster_id, user_id, muted_at) VALUES (?, ?, ?)",
            (cluster_id, user_id, to_text(now)),
        )
    else:
        await tx.execute("DELETE FROM broadcast_mutes WHERE cluster_id = ? AND user_id = ?", (cluster_id, user_id))


async def muted_ids(tx: aiosqlite.Connection, cluster_id: int) -> set[int]:
    """Members of the cluster who muted broadcasts."""
    async with tx.execute("SELECT user_id FROM broadcast_mutes WHERE cluster_id = ?", (cluster_id,)) as cursor:
        return {row[0] for row in await cursor.fetchall()}
