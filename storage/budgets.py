"""The cluster's budget per year (expected income by source, planned spending per activity) and the
threshold over which an entry of the cash book waits for the chair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import to_text

OTHER = "other"  # the budget's "other / general" spending line (entries with no activity)


@dataclass(frozen=True)
class BudgetLine:
    """One line of a year's budget: income from a source, or spending on an activity (or ``other``)."""

    direction: str  # income or spending
    line: str  # income: a source; spending: an activity key or ``other``
    amount: int  # rupiah


async def set_line(
    tx: aiosqlite.Connection,
    cluster_id: int,
    year: int,
    direction: str,
    line: str,
    amount: int,
    set_by: int,
    now: datetime,
) -> None:
    """Set (or replace) one line of the year's budget, in whole rupiah."""
    if not isinstance(amount, int) or amount < 0:
        raise ValueError("a budget line is a whole number of rupiah, not negative")
    await tx.execute(
        "INSERT INTO budget_lines (cluster_id, year, direction, line, amount, set_by, set_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cluster_id, year, direction, line) "
        "DO UPDATE SET amount = excluded.amount, set_by = excluded.set_by, set_at = excluded.set_at",
        (cluster_id, year, direction, line, amount, set_by, to_text(now)),
    )


async def lines_of(conn: aiosqlite.Connection, cluster_id: int, year: int) -> list[BudgetLine]:
    """The year's budget lines, income first."""
    async with conn.execute(
        "SELECT direction, line, amount FROM budget_lines WHERE cluster_id = ? AND year = ? ORDER BY direction, line",
        (cluster_id, year),
    ) as cursor:
        return [BudgetLine(row[0], row[1], row[2]) for row in await cursor.fetchall()]


async def threshold_of(conn: aiosqlite.Connection, cluster_id: int) -> int | None:
    """The amount over which an entry waits for the chair (None: none set)."""
    async with conn.execute("SELECT threshold FROM books_settings WHERE cluster_id = ?", (cluster_id,)) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def set_threshold(
    tx: aiosqlite.Connection, cluster_id: int, threshold: int | None, set_by: int, now: datetime
) -> None:
    """Set the confirmation threshold in rupiah (None: entries never wait)."""
    await tx.execute(
        "INSERT INTO books_settings (cluster_id, threshold, set_by, set_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (cluster_id) DO UPDATE SET threshold = excluded.threshold, set_by = excluded.set_by, "
        "set_at = excluded.set_at",
        (cluster_id, threshold, set_by, to_text(now)),
    )
