"""The update inbox's table: updates stored before their offset is confirmed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timestamps import to_text


@dataclass(frozen=True)
class StoredUpdate:
    """An update as it was fetched, with how often handling was started."""

    update_id: int
    payload: dict[str, Any]
    attempts: int


async def store_updates(tx: aiosqlite.Connection, updates: list[tuple[int, dict[str, Any]]], now: datetime) -> int:
    """Store fetched updates; an update fetched twice is stored once. Returns how many were new."""
    cursor = await tx.executemany(
        "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)",
        [(update_id, json.dumps(payload), to_text(now)) for update_id, payload in updates],
    )
    return cursor.rowcount


async def start_replays(tx: aiosqlite.Connection) -> list[StoredUpdate]:
    """Count one more start of handling for every update stored but not yet handled; return them, oldest first.

    Called once at start-up, before they are replayed: each restart counts, so an
    update that kills the process every time it is handled is given up on.
    """
    await tx.execute("UPDATE inbox SET attempts = attempts + 1 WHERE handled_at IS NULL")
    async with tx.execute(
        "SELECT update_id, payload, attempts FROM inbox WHERE handled_at IS NULL ORDER BY update_id"
    ) as cursor:
        rows = await cursor.fetchall()
    return [StoredUpdate(row[0], json.loads(row[1]), row[2]) for row in rows]


async def last_update_id(tx: aiosqlite.Connection) -> int | None:
    """Return the newest update id ever stored, to confirm it on the next fetch."""
    async with tx.execute("SELECT MAX(update_id) FROM inbox") as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def record_attempts(tx: aiosqlite.Connection, update_id: int, attempts: int) -> None:
    """Record how many starts of handling an update has had in this run (deferred to its first commit)."""
    await tx.execute("UPDATE inbox SET attempts = MAX(attempts, ?) WHERE update_id = ?", (attempts, update_id))


async def mark_handled(tx: aiosqlite.Connection, update_id: int, outcome: str, now: datetime) -> None:
    """Record that the update was handled (or given up on after too many attempts)."""
    await tx.execute(
        "UPDATE inbox SET handled_at = ?, outcome = ? WHERE update_id = ?",
        (to_text(now), outcome, update_id),
    )


async def prune_handled(tx: aiosqlite.Connection, before: datetime) -> int:
    """Delete handled updates older than ``before`` (keeps the newest so offsets stay known)."""
    cursor = await tx.execute(
        "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < ? "
        "AND update_id < (SELECT MAX(update_id) FROM inbox)",
        (to_text(before),),
    )
    return cursor.rowcount


async def note_effect(tx: aiosqlite.Connection, update_id: int, effect: dict[str, Any]) -> None:
    """Record what the update did, in the transaction that did it (a replay reads it back)."""
    await tx.execute("UPDATE inbox SET effect = ? WHERE update_id = ?", (json.dumps(effect), update_id))


async def effect_of(tx: aiosqlite.Connection, update_id: int) -> dict[str, Any] | None:
    """What the update already did, if a step recorded it (``note_effect``)."""
    async with tx.execute("SELECT effect FROM inbox WHERE update_id = ?", (update_id,)) as cursor:
        row = await cursor.fetchone()
    return json.loads(row[0]) if row and row[0] else None


async def forget_payload(tx: aiosqlite.Connection, update_id: int) -> None:
    """Keep only the id of a stored update whose content must not be kept (a secret ballot's choice).

    Called in the transaction that stores what the update carried; a replay after a
    crash then finds an empty update, which no handler takes.
    """
    await tx.execute(
        "UPDATE inbox SET payload = ? WHERE update_id = ?", (json.dumps({"update_id": update_id}), update_id)
    )


async def effect_of_same_tap(
    tx: aiosqlite.Connection, user_id: int, message_id: int, data: str, before_update: int
) -> dict[str, Any] | None:
    """What an earlier tap by ``user_id`` of the same button (``data``) on the same message did (``note_effect``):
    a confirm screen's "Yes" tapped twice says what it already did."""
    async with tx.execute(
        "SELECT effect FROM inbox WHERE effect IS NOT NULL AND update_id < ? "
        "AND json_extract(payload, '$.callback_query.from.id') = ? "
        "AND json_extract(payload, '$.callback_query.message.message_id') = ? "
        "AND json_extract(payload, '$.callback_query.data') = ? "
        "ORDER BY update_id DESC LIMIT 1",
        (before_update, user_id, message_id, data),
    ) as cursor:
        row = await cursor.fetchone()
    return json.loads(row[0]) if row and row[0] else None
