"""Visits and calls a facilitator recorded, to a supporter or to a member firm, with the next step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.database import fetch_int, inserted_id
from storage.timestamps import to_text


@dataclass(frozen=True)
class Visit:
    """One visit or call: to whom, on which local day, what was agreed, and the next step with its day."""

    id: int
    cluster_id: int
    supporter_id: int | None
    member_id: int | None
    firm_id: int | None
    who: str
    kind: str  # visit or call
    visited_on: date
    agreed: str
    next_step: str | None
    next_on: date | None
    follow_up_of: int | None
    recorded_by: int


_COLUMNS = (
    "id, cluster_id, supporter_id, member_id, firm_id, who, kind, visited_on, agreed, next_step, next_on, "
    "follow_up_of, recorded_by"
)


def _visit(row: aiosqlite.Row) -> Visit:
    return Visit(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        date.fromisoformat(row[7]),
        row[8],
        row[9],
        date.fromisoformat(row[10]) if row[10] else None,
        row[11],
        row[12],
    )


async def record_visit(
    tx: aiosqlite.Connection, cluster_id: int, fields: dict, recorded_by: int, now: datetime, source_update_id: int
) -> tuple[Visit, bool]:
    """Store a visit (``fields``: supporter_id, member_id or firm_id, who, kind, visited_on, agreed, next_step,
    next_on, follow_up_of); return it and whether it is new (a replayed update returns the first)."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM visits WHERE source_update_id = ?", (source_update_id,)) as cursor:
        row = await cursor.fetchone()
    if row is not None:
        return _visit(row), False
    cursor = await tx.execute(
        "INSERT INTO visits (cluster_id, supporter_id, member_id, firm_id, who, kind, visited_on, agreed, next_step, "
        "next_on, follow_up_of, recorded_by, created_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cluster_id,
            fields.get("supporter_id"),
            fields.get("member_id"),
            fields.get("firm_id"),
            fields["who"],
            fields["kind"],
            fields["visited_on"],
            fields["agreed"],
            fields.get("next_step"),
            fields.get("next_on") if fields.get("next_step") else None,
            fields.get("follow_up_of"),
            recorded_by,
            to_text(now),
            source_update_id,
        ),
    )
    found = await get_visit(tx, inserted_id(cursor))
    assert found is not None
    return found, True


async def get_visit(conn: aiosqlite.Connection, visit_id: int) -> Visit | None:
    """One visit by id."""
    async with conn.execute(f"SELECT {_COLUMNS} FROM visits WHERE id = ?", (visit_id,)) as cursor:
        row = await cursor.fetchone()
    return _visit(row) if row else None


async def visits_to_supporter(conn: aiosqlite.Connection, supporter_id: int) -> list[Visit]:
    """A supporter's visits and calls, newest first."""
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM visits WHERE supporter_id = ? ORDER BY visited_on DESC, id DESC", (supporter_id,)
    ) as cursor:
        return [_visit(row) for row in await cursor.fetchall()]


async def count_in_period(conn: aiosqlite.Connection, cluster_id: int, since: datetime, until: datetime) -> int:
    """How many visits and calls were recorded in the cluster in ``[since, until)``."""
    return await fetch_int(
        conn,
        "SELECT COUNT(*) FROM visits WHERE cluster_id = ? AND created_at >= ? AND created_at < ?",
        (cluster_id, to_text(since), to_text(until)),
    )
