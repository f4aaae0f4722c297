"""Dues: the terms the cluster set (amount, monthly or yearly, from which month) and the periods each member paid."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.database import inserted_id
from storage.timestamps import from_text_required, to_text


@dataclass(frozen=True)
class DuesTerms:
    """The dues in force: whole rupiah a period, monthly or yearly, counted from ``starts_on``."""

    id: int
    cluster_id: int
    amount: int
    cadence: str  # monthly or yearly
    starts_on: date
    set_by: int
    set_at: datetime


@dataclass(frozen=True)
class DuesPayment:
    """One period a member paid (at the price of the setting in force then), and the cash book entry it went into."""

    terms_id: int
    user_id: int
    period: date
    amount: int
    cash_entry_id: int


_TERMS = "id, cluster_id, amount, cadence, starts_on, set_by, set_at"


def _terms(row: aiosqlite.Row) -> DuesTerms:
    return DuesTerms(row[0], row[1], row[2], row[3], date.fromisoformat(row[4]), row[5], from_text_required(row[6]))


async def set_terms(
    tx: aiosqlite.Connection,
    cluster_id: int,
    *,
    amount: int,
    cadence: str,
    starts_on: date,
    set_by: int,
    now: datetime,
    source_update_id: int | None = None,
) -> tuple[DuesTerms, bool]:
    """Put new dues in force; return them and whether they are new (a replayed update returns the first)."""
    if source_update_id is not None:
        async with tx.execute(
            f"SELECT {_TERMS} FROM dues_terms WHERE source_update_id = ?", (source_update_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None:
            return _terms(row), False
    cursor = await tx.execute(
        "INSERT INTO dues_terms (cluster_id, amount, cadence, starts_on, set_by, set_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (cluster_id, amount, cadence, starts_on.isoformat(), set_by, to_text(now), source_update_id),
    )
    found = await get_terms(tx, inserted_id(cursor))
    assert found is not None
    return found, True


async def get_terms(conn: aiosqlite.Connection, terms_id: int) -> DuesTerms | None:
    """Dues by id (also ones no longer in force)."""
    async with conn.execute(f"SELECT {_TERMS} FROM dues_terms WHERE id = ?", (terms_id,)) as cursor:
        row = await cursor.fetchone()
    return _terms(row) if row else None


async def current_terms(conn: aiosqlite.Connection, cluster_id: int) -> DuesTerms | None:
    """The dues in force in the cluster (the latest set), or None when it has set none."""
    async with conn.execute(
        f"SELECT {_TERMS} FROM dues_terms WHERE cluster_id = ? ORDER BY id DESC LIMIT 1", (cluster_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return _terms(row) if row else None


async def settings_of(conn: aiosqlite.Connection, cluster_id: int) -> list[DuesTerms]:
    """Every setting of the cluster's dues, in the order they were made."""
    async with conn.execute(
        f"SELECT {_TERMS} FROM dues_terms WHERE cluster_id = ? ORDER BY id", (cluster_id,)
    ) as cursor:
        return [_terms(row) for row in await cursor.fetchall()]


async def record_payments(
    tx: aiosqlite.Connection,
    terms: DuesTerms,
    user_id: int,
    periods: Iterable[tuple[date, int]],
    cash_entry_id: int,
    recorded_by: int,
    now: datetime,
) -> list[date]:
    """Mark ``periods`` (first day, rupiah) paid by the member, while ``terms`` are in force (a period
    already paid is left alone); return the periods newly marked."""
    added = []
    for period, amount in sorted(set(periods)):
        cursor = await tx.execute(
            "INSERT OR IGNORE INTO dues_payments (cluster_id, terms_id, user_id, period, amount, cash_entry_id, "
            "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (terms.cluster_id, terms.id, user_id, period.isoformat(), amount, cash_entry_id, recorded_by, to_text(now)),
        )
        if cursor.rowcount == 1:
            added.append(period)
    return added


async def paid_periods(conn: aiosqlite.Connection, cluster_id: int, user_id: int) -> frozenset[date]:
    """The periods the member paid in the cluster."""
    async with conn.execute(
        "SELECT period FROM dues_payments WHERE cluster_id = ? AND user_id = ?", (cluster_id, user_id)
    ) as cursor:
        return frozenset(date.fromisoformat(row[0]) for row in await cursor.fetchall())


async def paid_by_member(conn: aiosqlite.Connection, cluster_id: int) -> dict[int, frozenset[date]]:
    """Every member's paid periods in the cluster (members who paid nothing are absent)."""
    found: dict[int, set[date]] = {}
    async with conn.execute("SELECT user_id, period FROM dues_payments WHERE cluster_id = ?", (cluster_id,)) as cursor:
        for user_id, period in await cursor.fetchall():
            found.setdefault(user_id, set()).add(date.fromisoformat(period))
    return {user_id: frozenset(periods) for user_id, periods in found.items()}


async def payments_of_entry(conn: aiosqlite.Connection, cash_entry_id: int) -> list[DuesPayment]:
    """The periods one cash book entry paid, in order."""
    async with conn.execute(
        "SELECT terms_id, user_id, period, amount, cash_entry_id FROM dues_payments WHERE cash_entry_id = ? "
        "ORDER BY period",
        (cash_entry_id,),
    ) as cursor:
        rows = await cursor.fetchall()
    return [DuesPayment(r[0], r[1], date.fromisoformat(r[2]), r[3], r[4]) for r in rows]
