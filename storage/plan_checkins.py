"""Progress reports (check-ins) of action-plan activities: one per activity and period.

Every function takes an open connection or transaction first. Other flows may use
``overdue_check_ins(conn, cluster_id, now)`` (late reports of a cluster's published plans: their
overdue reminder fell due by ``now`` and nothing was reported for that period),
``checkins_of_plan(conn, plan_id)`` (the history) and ``OVERDUE`` (the same condition as SQL,
for queries over many clusters: ``storage.committee_figures``). Each check-in keeps every piece of
evidence (photo, voice note, document) sent with it, in order: ``add_evidence``, ``evidence_of_plan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiosqlite

from storage import action_plans
from storage.action_plans import Activity
from storage.database import inserted_id
from storage.timestamps import from_text_required, to_text

# Late reports: an overdue reminder that fell due by the first parameter, of an activity of a
# published plan, with nothing reported for its period. Joins ``r`` (reminders), ``a``, ``p``.
OVERDUE = (
    "FROM reminders r JOIN plan_activities a ON a.id = r.plan_activity_id "
    "JOIN action_plans p ON p.id = a.plan_id "
    "WHERE r.kind = 'plan.overdue' AND r.status <> 'cancelled' AND r.due_at <= ? AND p.status = 'published' "
    "AND NOT EXISTS (SELECT 1 FROM plan_checkins c WHERE c.activity_id = a.id "
    "AND c.period_start = r.plan_period)"
)


@dataclass(frozen=True)
class CheckIn:
    """One progress report of an activity's owner for one period."""

    id: int
    activity_id: int
    period_start: date
    owner_id: int
    status: str
    indicator_value: int | None
    confidence: str | None
    note: str | None
    created_at: datetime


_CHECKIN = (
    "SELECT id, activity_id, period_start, owner_id, status, indicator_value, confidence, note, created_at "
    "FROM plan_checkins "
)


def _checkin(row: aiosqlite.Row) -> CheckIn:
    return CheckIn(
        id=row[0],
        activity_id=row[1],
        period_start=date.fromisoformat(row[2]),
        owner_id=row[3],
        status=row[4],
        indicator_value=row[5],
        confidence=row[6],
        note=row[7],
        created_at=from_text_required(row[8]),
    )


async def record_checkin(
    tx: aiosqlite.Connection,
    activity_id: int,
    period_start: date,
    owner_id: int,
    answers: dict[str, Any],
    now: datetime,
) -> CheckIn | None:
    """Store a check-in for the period; None when one was already stored (answered twice)."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO plan_checkins (activity_id, period_start, owner_id, status, indicator_value, confidence, "
        "note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            activity_id,
            period_start.isoformat(),
            owner_id,
            answers["status"],
            answers.get("value"),
            answers.get("confidence"),
            answers.get("note"),
            to_text(now),
        ),
    )
    if cursor.rowcount != 1:
        return None
    return await get_checkin(tx, inserted_id(cursor))


async def get_checkin(tx: aiosqlite.Connection, checkin_id: int) -> CheckIn | None:
    """One check-in by id."""
    async with tx.execute(_CHECKIN + "WHERE id = ?", (checkin_id,)) as cursor:
        row = await cursor.fetchone()
    return _checkin(row) if row else None


async def checkin_for(tx: aiosqlite.Connection, activity_id: int, period_start: date) -> CheckIn | None:
    """The check-in of one period, if any."""
    async with tx.execute(
        _CHECKIN + "WHERE activity_id = ? AND period_start = ?", (activity_id, period_start.isoformat())
    ) as cursor:
        row = await cursor.fetchone()
    return _checkin(row) if row else None


async def checkins_of_activity(tx: aiosqlite.Connection, activity_id: int) -> list[CheckIn]:
    """The activity's check-ins, oldest first."""
    async with tx.execute(_CHECKIN + "WHERE activity_id = ? ORDER BY period_start, id", (activity_id,)) as cursor:
        return [_checkin(row) for row in await cursor.fetchall()]


async def checkins_of_plan(tx: aiosqlite.Connection, plan_id: int) -> list[CheckIn]:
    """Every check-in of the plan's activities, oldest first."""
    async with tx.execute(
        _CHECKIN + "WHERE activity_id IN (SELECT id FROM plan_activities WHERE plan_id = ?) ORDER BY created_at, id",
        (plan_id,),
    ) as cursor:
        return [_checkin(row) for row in await cursor.fetchall()]


@dataclass(frozen=True)
class Evidence:
    """One photo, voice note or document sent as evidence of a check-in (``position`` 1, 2, ... in order)."""

    id: int
    checkin_id: int
    position: int
    kind: str
    file_id: str
    file_unique_id: str
    added_at: datetime


EVIDENCE_KINDS = ("photo", "voice", "document")
_EVIDENCE = "SELECT id, checkin_id, position, kind, file_id, file_unique_id, added_at FROM plan_evidence "


def _evidence(row: aiosqlite.Row) -> Evidence:
    return Evidence(
        id=row[0],
        checkin_id=row[1],
        position=row[2],
        kind=row[3],
        file_id=row[4],
        file_unique_id=row[5],
        added_at=from_text_required(row[6]),
    )


async def add_evidence(
    tx: aiosqlite.Connection, checkin_id: int, kind: str, file_id: str, file_unique_id: str, now: datetime
) -> list[Evidence]:
    """Keep one more piece of evidence after the check-in's others; the same file sent again (an update
    replayed after a crash) is kept once. Returns every piece the check-in now has, in order."""
    await tx.execute(
        "INSERT OR IGNORE INTO plan_evidence (checkin_id, position, kind, file_id, file_unique_id, added_at) "
        "SELECT ?, COALESCE(MAX(position), 0) + 1, ?, ?, ?, ? FROM plan_evidence WHERE checkin_id = ?",
        (checkin_id, kind, file_id, file_unique_id, to_text(now), checkin_id),
    )
    return await evidence_of_checkin(tx, checkin_id)


async def evidence_of_checkin(tx: aiosqlite.Connection, checkin_id: int) -> list[Evidence]:
    """A check-in's evidence, in the order it was sent."""
    async with tx.execute(_EVIDENCE + "WHERE checkin_id = ? ORDER BY position", (checkin_id,)) as cursor:
        return [_evidence(row) for row in await cursor.fetchall()]


async def evidence_of_plan(tx: aiosqlite.Connection, plan_id: int) -> dict[int, list[Evidence]]:
    """The evidence of every check-in of a plan's activities, by check-in id, each in order."""
    found: dict[int, list[Evidence]] = {}
    async with tx.execute(
        _EVIDENCE + "WHERE checkin_id IN (SELECT c.id FROM plan_checkins c JOIN plan_activities a "
        "ON a.id = c.activity_id WHERE a.plan_id = ?) ORDER BY checkin_id, position",
        (plan_id,),
    ) as cursor:
        for row in await cursor.fetchall():
            piece = _evidence(row)
            found.setdefault(piece.checkin_id, []).append(piece)
    return found


async def get_evidence(tx: aiosqlite.Connection, evidence_id: int) -> Evidence | None:
    """One piece of evidence by id."""
    async with tx.execute(_EVIDENCE + "WHERE id = ?", (evidence_id,)) as cursor:
        row = await cursor.fetchone()
    return _evidence(row) if row else None


async def overdue_check_ins(tx: aiosqlite.Connection, cluster_id: int, now: datetime) -> list[tuple[Activity, date]]:
    """``(activity, period start)`` of late check-ins in the cluster's published plans, oldest first."""
    async with tx.execute(
        f"SELECT r.plan_activity_id, r.plan_period {OVERDUE} AND p.cluster_id = ? ORDER BY r.due_at, r.id",
        (to_text(now), cluster_id),
    ) as cursor:
        rows = await cursor.fetchall()
    found = []
    for activity_id, period in rows:
        activity = await action_plans.get_activity(tx, activity_id)
        if activity is not None:
            found.append((activity, date.fromisoformat(period)))
    return found
