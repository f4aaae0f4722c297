"""Rows of the outbox: one per recipient of a batch, with what happened to it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from storage.timestamps import to_text

FINAL = ("sent", "blocked", "not_started", "failed", "unknown", "cancelled")


@dataclass(frozen=True)
class Letter:
    """One message for one recipient."""

    id: int
    batch: str
    recipient_id: int
    payload: dict[str, Any]
    status: str
    attempts: int
    reason: str | None


_AT_ONCE = to_text(datetime(1970, 1, 1, tzinfo=UTC))


async def enqueue(
    tx: aiosqlite.Connection, batch: str, letters: list[tuple[int, dict[str, Any]]], now: datetime
) -> int:
    """Add one row per recipient (a recipient already in the batch is left alone); return how many were added.

    New rows are due at once, whatever ``now`` says: only retries wait, on the outbox's own
    (machine) clock, so a business clock ahead of it (tests, the sandbox) never holds a message back.
    """
    before = tx.total_changes
    await tx.executemany(
        "INSERT OR IGNORE INTO outbox (batch, recipient_id, payload, next_attempt_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(batch, recipient, json.dumps(payload), _AT_ONCE, to_text(now)) for recipient, payload in letters],
    )
    return tx.total_changes - before


async def due(tx: aiosqlite.Connection, now: datetime, limit: int) -> list[Letter]:
    """Up to ``limit`` pending rows whose time has come, oldest first (not yet claimed)."""
    async with tx.execute(
        "SELECT id, batch, recipient_id, payload, status, attempts, reason FROM outbox "
        "WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
        (to_text(now), limit),
    ) as cursor:
        rows = await cursor.fetchall()
    return [Letter(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6]) for r in rows]


async def claim(tx: aiosqlite.Connection, letter_id: int, now: datetime) -> bool:
    """Mark one pending row as being sent, right before its request; False if it is no longer pending."""
    cursor = await tx.execute(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'pending'",
        (to_text(now), letter_id),
    )
    return cursor.rowcount == 1


async def record(
    tx: aiosqlite.Connection,
    letter_id: int,
    status: str,
    now: datetime,
    *,
    reason: str | None = None,
    message_id: int | None = None,
    retry_at: datetime | None = None,
) -> None:
    """Record a result; ``retry_at`` puts the row back as pending until then."""
    if retry_at is not None:
        await tx.execute(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?, reason = ?, updated_at = ? WHERE id = ?",
            (to_text(retry_at), reason, to_text(now), letter_id),
        )
    else:
        await tx.execute(
            "UPDATE outbox SET status = ?, reason = ?, message_id = ?, updated_at = ? WHERE id = ?",
            (status, reason, message_id, to_text(now), letter_id),
        )


async def settle_interrupted(tx: aiosqlite.Connection, now: datetime) -> list[str]:
    """After a crash: rows caught mid-send may or may not have arrived. They are not sent again
    (never twice) but marked ``unknown`` so the sender's report names them. Returns their batches."""
    async with tx.execute("SELECT DISTINCT batch FROM outbox WHERE status = 'sending'") as cursor:
        batches = [row[0] for row in await cursor.fetchall()]
    await tx.execute(
        "UPDATE outbox SET status = 'unknown', reason = 'interrupted while sending', updated_at = ? WHERE status = 'sending'",
        (to_text(now),),
    )
    return batches


async def resend_unknown(tx: aiosqlite.Connection, batch: str, now: datetime) -> int:
    """Put the batch's rows that may not have arrived back in line (the sender chose to send them again)."""
    cursor = await tx.execute(
        "UPDATE outbox SET status = 'pending', attempts = 0, reason = NULL, next_attempt_at = ?, updated_at = ? "
        "WHERE batch = ? AND status = 'unknown'",
        (_AT_ONCE, to_text(now), batch),
    )
    return cursor.rowcount


async def cancel_batch(tx: aiosqlite.Connection, batch: str, now: datetime) -> int:
    """Cancel what has not gone out yet."""
    cursor = await tx.execute(
        "UPDATE outbox SET status = 'cancelled', updated_at = ? WHERE batch = ? AND status = 'pending'",
        (to_text(now), batch),
    )
    return cursor.rowcount


async def counts(tx: aiosqlite.Connection, batch: str) -> dict[str, int]:
    """How many rows of the batch are in each status."""
    async with tx.execute("SELECT status, COUNT(*) FROM outbox WHERE batch = ? GROUP BY status", (batch,)) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


def finished(counts: dict[str, int]) -> bool:
    """Nothing of the batch is waiting or being sent."""
    return not counts.get("pending") and not counts.get("sending")


async def letters(tx: aiosqlite.Connection, batch: str) -> list[Letter]:
    """Every row of the batch."""
    async with tx.execute(
        "SELECT id, batch, recipient_id, payload, status, attempts, reason FROM outbox WHERE batch = ? ORDER BY id",
        (batch,),
    ) as cursor:
        return [Letter(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6]) for r in await cursor.fetchall()]


async def next_due(tx: aiosqlite.Connection) -> str | None:
    """When the next pending row may go (UTC text), if any."""
    async with tx.execute("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'") as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None
