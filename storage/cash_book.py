"""The cluster's cash book: entries of rupiah in and out, never edited, corrected by reversal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.database import inserted_id
from storage.timestamps import to_text

INCOME_SOURCES = ("initial", "dues", "apbd", "grant", "sponsor", "sales", "other")


@dataclass(frozen=True)
class CashEntry:
    """One entry: which way, how many rupiah (negative only on a reversal), when, what for."""

    id: int
    cluster_id: int
    direction: str  # income or spending
    amount: int
    occurred_on: date
    purpose: str
    source: str | None
    activity_key: str | None
    receipt_file_id: str | None
    reverses_id: int | None
    status: str  # recorded, pending, rejected
    recorded_by: int


_COLUMNS = (
    "id, cluster_id, direction, amount, occurred_on, purpose, source, activity_key, receipt_file_id, reverses_id, "
    "status, recorded_by"
)


def _entry(row: aiosqlite.Row) -> CashEntry:
    return CashEntry(
        row[0],
        row[1],
        row[2],
        row[3],
        date.fromisoformat(row[4]),
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
    )


async def record_entry(
    tx: aiosqlite.Connection,
    cluster_id: int,
    *,
    direction: str,
    amount: int,
    occurred_on: date,
    purpose: str,
    recorded_by: int,
    now: datetime,
    source: str | None = None,
    activity_key: str | None = None,
    receipt_file_id: str | None = None,
    status: str = "recorded",
    source_update_id: int | None = None,
) -> tuple[CashEntry, bool]:
    """Record a new entry (``amount`` > 0 rupiah); return it and whether it is new (a replay returns the first)."""
    if not isinstance(amount, int) or amount <= 0:
        raise ValueError("an entry is a positive whole number of rupiah")
    if source_update_id is not None:
        async with tx.execute(
            f"SELECT {_COLUMNS} FROM cash_entries WHERE source_update_id = ?", (source_update_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None:
            return _entry(row), False
    cursor = await tx.execute(
        "INSERT INTO cash_entries (cluster_id, direction, amount, occurred_on, purpose, source, activity_key, "
        "receipt_file_id, status, recorded_by, recorded_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cluster_id,
            direction,
            amount,
            occurred_on.isoformat(),
            purpose,
            source if direction == "income" else None,
            activity_key,
            receipt_file_id,
            status,
            recorded_by,
            to_text(now),
            source_update_id,
        ),
    )
    found = await get_entry(tx, inserted_id(cursor))
    assert found is not None
    return found, True


async def get_entry(conn: aiosqlite.Connection, entry_id: int) -> CashEntry | None:
    """One entry by id."""
    async with conn.execute(f"SELECT {_COLUMNS} FROM cash_entries WHERE id = ?", (entry_id,)) as cursor:
        row = await cursor.fetchone()
    return _entry(row) if row else None


async def entries_between(conn: aiosqlite.Connection, cluster_id: int, first: date, last: date) -> list[CashEntry]:
    """The cluster's entries on local days ``first``..``last`` (pending and rejected included), in book order."""
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM cash_entries WHERE cluster_id = ? AND occurred_on BETWEEN ? AND ? "
        "ORDER BY occurred_on, id",
        (cluster_id, first.isoformat(), last.isoformat()),
    ) as cursor:
        return [_entry(row) for row in await cursor.fetchall()]


async def reverse_entry(
    tx: aiosqlite.Connection,
    entry: CashEntry,
    *,
    occurred_on: date,
    purpose: str,
    recorded_by: int,
    now: datetime,
    source_update_id: int | None = None,
) -> tuple[CashEntry, bool]:
    """Record the entry that reverses ``entry`` (the opposite amount, same way, source and activity);
    return it and whether it is new (an entry is reversed once: a second try returns the first reversal)."""
    if entry.reverses_id is not None or entry.amount <= 0:
        raise ValueError("a reversal is not reversed again")
    async with tx.execute(f"SELECT {_COLUMNS} FROM cash_entries WHERE reverses_id = ?", (entry.id,)) as cursor:
        row = await cursor.fetchone()
    if row is not None:
        return _entry(row), False
    cursor = await tx.execute(
        "INSERT INTO cash_entries (cluster_id, direction, amount, occurred_on, purpose, source, activity_key, "
        "reverses_id, status, recorded_by, recorded_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'recorded', ?, ?, ?)",
        (
            entry.cluster_id,
            entry.direction,
            -entry.amount,
            occurred_on.isoformat(),
            purpose,
            entry.source,
            entry.activity_key,
            entry.id,
            recorded_by,
            to_text(now),
            source_update_id,
        ),
    )
    found = await get_entry(tx, inserted_id(cursor))
    assert found is not None
    return found, True


async def reversal_of(conn: aiosqlite.Connection, entry_id: int) -> CashEntry | None:
    """The entry that reverses ``entry_id``, if any."""
    async with conn.execute(f"SELECT {_COLUMNS} FROM cash_entries WHERE reverses_id = ?", (entry_id,)) as cursor:
        row = await cursor.fetchone()
    return _entry(row) if row else None


async def decide_entry(tx: aiosqlite.Connection, entry_id: int, status: str, decided_by: int, now: datetime) -> bool:
    """The chair confirms (``recorded``) or rejects (``rejected``) a pending entry; False when it was not pending."""
    if status not in ("recorded", "rejected"):
        raise ValueError(status)
    cursor = await tx.execute(
        "UPDATE cash_entries SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
        (status, decided_by, to_text(now), entry_id),
    )
    return cursor.rowcount == 1


async def pending_entries(conn: aiosqlite.Connection, cluster_id: int) -> list[CashEntry]:
    """The cluster's entries waiting for the chair, oldest first."""
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM cash_entries WHERE cluster_id = ? AND status = 'pending' ORDER BY id", (cluster_id,)
    ) as cursor:
        return [_entry(row) for row in await cursor.fetchall()]


async def recent_entries(conn: aiosqlite.Connection, cluster_id: int, limit: int, offset: int = 0) -> list[CashEntry]:
    """The cluster's latest entries, newest first (a page of the list)."""
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM cash_entries WHERE cluster_id = ? ORDER BY occurred_on DESC, id DESC LIMIT ? OFFSET ?",
        (cluster_id, limit, offset),
    ) as cursor:
        return [_entry(row) for row in await cursor.fetchall()]


async def entry_count(conn: aiosqlite.Connection, cluster_id: int) -> int:
    """How many entries the cluster's book holds."""
    async with conn.execute("SELECT COUNT(*) FROM cash_entries WHERE cluster_id = ?", (cluster_id,)) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0
