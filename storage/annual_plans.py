"""The cluster's annual plan: every activity of a year, the key the budget and the cash book refer to.

``plan_activities`` is the one list both the annual plan's calendar and the budget read. Each activity has a
stable ``key``: ``activity:<plan_activities.id>`` for an activity of a published action plan, and
``meeting:<meetings.id>`` for a scheduled meeting. The annual plan adds its own entries (trainings, study tours,
the regular meetings intended) under further prefixes, keeping this signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiosqlite


@dataclass(frozen=True)
class PlanActivity:
    """One activity of the cluster's year, with the local days it spans."""

    key: str  # activity:<id>, meeting:<id>, ...
    kind: str  # action_plan, or a meeting's kind (regular, workshop, study_tour, ...)
    title: str
    starts_on: date
    ends_on: date


async def plan_activities(tx: aiosqlite.Connection, cluster_id: int, year: int) -> list[PlanActivity]:
    """The activities of ``cluster_id`` that touch ``year`` (local calendar), earliest first."""
    async with tx.execute("SELECT timezone FROM clusters WHERE id = ?", (cluster_id,)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return []
    zone = ZoneInfo(row[0])
    first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    found: list[PlanActivity] = []
    async with tx.execute(
        "SELECT a.id, a.title, a.starts_on, a.ends_on FROM plan_activities a "
        "JOIN action_plans p ON p.id = a.plan_id "
        "WHERE p.cluster_id = ? AND p.status = 'published' AND a.starts_on <= ? AND a.ends_on >= ?",
        (cluster_id, last, first),
    ) as cursor:
        async for activity_id, title, starts_on, ends_on in cursor:
            found.append(
                PlanActivity(
                    f"activity:{activity_id}",
                    "action_plan",
                    title,
                    date.fromisoformat(starts_on),
                    date.fromisoformat(ends_on),
                )
            )
    async with tx.execute(
        "SELECT id, kind, topic, starts_at FROM meetings WHERE cluster_id = ? AND status = 'scheduled'",
        (cluster_id,),
    ) as cursor:
        async for meeting_id, kind, topic, starts_at in cursor:
            day = datetime.fromisoformat(starts_at).astimezone(zone).date()
            if day.year == year:
                found.append(PlanActivity(f"meeting:{meeting_id}", kind, topic, day, day))
    return sorted(found, key=lambda item: (item.starts_on, item.key))
