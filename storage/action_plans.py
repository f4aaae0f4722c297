"""Action plans (Step 6): the plan with its nine answers, its PDM, activities and versions.

Every function takes an open connection or transaction first (``db.read()`` or
``db.transaction()``). Queries other flows (the committee report) may use:

- ``plans_of_cluster(conn, cluster_id)``: every plan of a cluster, newest first, as ``Plan``
  (``cluster_id``, ``title``, ``source_theme_id`` (a brainstorm shortlist theme or None),
  ``status`` draft/published/closed, ``budget`` in IDR, ``supporter`` (outside support or
  responsible office), ``government_role``, ``executing_level`` district/province/central,
  ``starts_on``/``ends_on``, ``version``).
- ``activities_of(conn, plan_id)``, ``indicators_of(conn, plan_id)``, ``outputs_of(conn, plan_id)``.

The progress reports (check-ins) of the activities are in ``storage.plan_checkins``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiosqlite

from storage.brainstorm_votes import ShortlistItem
from storage.database import inserted_id
from storage.timestamps import from_text, from_text_required, to_text

STATUSES = ("not_started", "on_track", "at_risk", "blocked", "done")


@dataclass(frozen=True)
class Plan:
    """An action plan of a cluster."""

    id: int
    cluster_id: int
    title: str
    source_theme_id: int | None
    status: str
    version: int
    answers: dict[str, Any]
    budget: int | None
    supporter: str | None
    government_role: str | None
    executing_level: str | None
    starts_on: date | None
    ends_on: date | None
    goal: str | None
    purpose: str | None
    inputs: str | None
    cadence: str
    created_by: int
    created_at: datetime
    published_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True)
class Output:
    """An output of the PDM."""

    id: int
    plan_id: int
    text: str


@dataclass(frozen=True)
class Indicator:
    """How an output is measured: a unit, a baseline and a target."""

    id: int
    plan_id: int
    output_id: int
    name: str
    unit: str
    baseline: int
    target: int


@dataclass(frozen=True)
class Activity:
    """An activity of the plan, with its owner (penanggung jawab) and dates."""

    id: int
    plan_id: int
    title: str
    owner_id: int | None
    owner_name: str | None
    indicator_id: int | None
    starts_on: date
    ends_on: date
    checkin_hour: int
    first_period: date | None


@dataclass(frozen=True)
class Version:
    """An earlier version of a plan, kept when the plan changed."""

    plan_id: int
    number: int
    snapshot: dict[str, Any]
    reason: str
    changed_by: int
    changed_at: datetime


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


_PLAN = (
    "id, cluster_id, title, source_theme_id, status, version, answers, budget, supporter, government_role, "
    "executing_level, starts_on, ends_on, goal, purpose, inputs, cadence, created_by, created_at, published_at, closed_at"
)


def _plan(row: aiosqlite.Row) -> Plan:
    return Plan(
        id=row[0],
        cluster_id=row[1],
        title=row[2],
        source_theme_id=row[3],
        status=row[4],
        version=row[5],
        answers=json.loads(row[6]),
        budget=row[7],
        supporter=row[8],
        government_role=row[9],
        executing_level=row[10],
        starts_on=_day(row[11]),
        ends_on=_day(row[12]),
        goal=row[13],
        purpose=row[14],
        inputs=row[15],
        cadence=row[16],
        created_by=row[17],
        created_at=from_text_required(row[18]),
        published_at=from_text(row[19]),
        closed_at=from_text(row[20]),
    )


async def create_plan(
    tx: aiosqlite.Connection, cluster_id: int, title: str, source_theme_id: int | None, created_by: int, now: datetime
) -> Plan:
    """A new draft plan."""
    cursor = await tx.execute(
        "INSERT INTO action_plans (cluster_id, title, source_theme_id, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
        (cluster_id, title, source_theme_id, created_by, to_text(now)),
    )
    return await load_plan(tx, inserted_id(cursor))


async def get_plan(tx: aiosqlite.Connection, plan_id: int) -> Plan | None:
    """The plan with this id."""
    async with tx.execute(f"SELECT {_PLAN} FROM action_plans WHERE id = ?", (plan_id,)) as cursor:
        row = await cursor.fetchone()
    return _plan(row) if row else None


async def load_plan(tx: aiosqlite.Connection, plan_id: int) -> Plan:
    """The plan with this id, which must exist (a plan is never deleted): raises LookupError otherwise."""
    plan = await get_plan(tx, plan_id)
    if plan is None:
        raise LookupError(f"no action plan {plan_id}")
    return plan


async def plans_of_cluster(tx: aiosqlite.Connection, cluster_id: int) -> list[Plan]:
    """Every plan of the cluster, newest first."""
    async with tx.execute(
        f"SELECT {_PLAN} FROM action_plans WHERE cluster_id = ? ORDER BY id DESC", (cluster_id,)
    ) as cursor:
        return [_plan(row) for row in await cursor.fetchall()]


async def published_plans(tx: aiosqlite.Connection) -> list[Plan]:
    """Every published plan of every cluster."""
    async with tx.execute(f"SELECT {_PLAN} FROM action_plans WHERE status = 'published' ORDER BY id") as cursor:
        return [_plan(row) for row in await cursor.fetchall()]


async def apply_answers(tx: aiosqlite.Connection, plan_id: int, answers: dict[str, Any]) -> None:
    """Store the nine questions' answers and the columns other flows query."""
    await tx.execute(
        "UPDATE action_plans SET title = ?, answers = ?, budget = ?, supporter = ?, government_role = ?, "
        "executing_level = ?, starts_on = ?, ends_on = ? WHERE id = ?",
        (
            answers["title"],
            json.dumps(answers),
            answers.get("budget"),
            answers.get("supporter"),
            answers.get("government_role"),
            answers.get("executing_level"),
            answers.get("starts_on"),
            answers.get("ends_on"),
            plan_id,
        ),
    )


async def set_pdm(tx: aiosqlite.Connection, plan_id: int, goal: str, purpose: str, inputs: str | None) -> None:
    """The PDM's goal, purpose and inputs."""
    await tx.execute(
        "UPDATE action_plans SET goal = ?, purpose = ?, inputs = ? WHERE id = ?", (goal, purpose, inputs, plan_id)
    )


async def set_cadence(tx: aiosqlite.Connection, plan_id: int, cadence: str) -> None:
    """How often owners report: weekly, biweekly, monthly."""
    await tx.execute("UPDATE action_plans SET cadence = ? WHERE id = ?", (cadence, plan_id))


async def set_status(tx: aiosqlite.Connection, plan_id: int, current: str, target: str, now: datetime) -> bool:
    """Move the plan from ``current`` to ``target`` (published or closed); False when it was not ``current``."""
    column = {"published": "published_at", "closed": "closed_at"}[target]
    cursor = await tx.execute(
        f"UPDATE action_plans SET status = ?, {column} = ? WHERE id = ? AND status = ?",
        (target, to_text(now), plan_id, current),
    )
    return cursor.rowcount == 1


# -- the PDM ----------------------------------------------------------------------------------------


async def add_output(tx: aiosqlite.Connection, plan_id: int, text: str) -> Output:
    """A new output."""
    cursor = await tx.execute("INSERT INTO plan_outputs (plan_id, text) VALUES (?, ?)", (plan_id, text))
    return Output(inserted_id(cursor), plan_id, text)


async def outputs_of(tx: aiosqlite.Connection, plan_id: int) -> list[Output]:
    """The plan's outputs in the order they were added."""
    async with tx.execute(
        "SELECT id, plan_id, text FROM plan_outputs WHERE plan_id = ? ORDER BY id", (plan_id,)
    ) as cursor:
        return [Output(*row) for row in await cursor.fetchall()]


async def add_indicator(
    tx: aiosqlite.Connection, plan_id: int, output_id: int, name: str, unit: str, baseline: int, target: int
) -> Indicator:
    """A new indicator of an output."""
    cursor = await tx.execute(
        "INSERT INTO plan_indicators (plan_id, output_id, name, unit, baseline, target) VALUES (?, ?, ?, ?, ?, ?)",
        (plan_id, output_id, name, unit, baseline, target),
    )
    return Indicator(inserted_id(cursor), plan_id, output_id, name, unit, baseline, target)


async def indicators_of(tx: aiosqlite.Connection, plan_id: int) -> list[Indicator]:
    """The plan's indicators in the order they were added."""
    async with tx.execute(
        "SELECT id, plan_id, output_id, name, unit, baseline, target FROM plan_indicators WHERE plan_id = ? ORDER BY id",
        (plan_id,),
    ) as cursor:
        return [Indicator(*row) for row in await cursor.fetchall()]


async def set_indicator_target(tx: aiosqlite.Connection, indicator_id: int, target: int) -> None:
    """Change an indicator's target (a plan change)."""
    await tx.execute("UPDATE plan_indicators SET target = ? WHERE id = ?", (target, indicator_id))


_ACTIVITY = (
    "SELECT a.id, a.plan_id, a.title, a.owner_id, COALESCE(m.full_name, u.first_name), a.indicator_id, a.starts_on, "
    "a.ends_on, a.checkin_hour, a.first_period FROM plan_activities a JOIN action_plans p ON p.id = a.plan_id "
    "LEFT JOIN users u ON u.id = a.owner_id "
    "LEFT JOIN memberships m ON m.cluster_id = p.cluster_id AND m.user_id = a.owner_id "
)


def _activity(row: aiosqlite.Row) -> Activity:
    return Activity(
        id=row[0],
        plan_id=row[1],
        title=row[2],
        owner_id=row[3],
        owner_name=row[4],
        indicator_id=row[5],
        starts_on=date.fromisoformat(row[6]),
        ends_on=date.fromisoformat(row[7]),
        checkin_hour=row[8],
        first_period=_day(row[9]),
    )


async def add_activity(tx: aiosqlite.Connection, plan_id: int, title: str, starts_on: str, ends_on: str) -> Activity:
    """A new activity (its owner is picked next)."""
    cursor = await tx.execute(
        "INSERT INTO plan_activities (plan_id, title, starts_on, ends_on) VALUES (?, ?, ?, ?)",
        (plan_id, title, starts_on, ends_on),
    )
    return await load_activity(tx, inserted_id(cursor))


async def get_activity(tx: aiosqlite.Connection, activity_id: int) -> Activity | None:
    """The activity with this id."""
    async with tx.execute(_ACTIVITY + "WHERE a.id = ?", (activity_id,)) as cursor:
        row = await cursor.fetchone()
    return _activity(row) if row else None


async def load_activity(tx: aiosqlite.Connection, activity_id: int) -> Activity:
    """The activity with this id, which must exist (activities are never deleted): raises LookupError otherwise."""
    activity = await get_activity(tx, activity_id)
    if activity is None:
        raise LookupError(f"no plan activity {activity_id}")
    return activity


async def activities_of(tx: aiosqlite.Connection, plan_id: int) -> list[Activity]:
    """The plan's activities in the order they were added."""
    async with tx.execute(_ACTIVITY + "WHERE a.plan_id = ? ORDER BY a.id", (plan_id,)) as cursor:
        return [_activity(row) for row in await cursor.fetchall()]


async def activities_of_owner(tx: aiosqlite.Connection, cluster_id: int, owner_id: int) -> list[Activity]:
    """The person's activities in the cluster's plans."""
    async with tx.execute(
        _ACTIVITY + "WHERE p.cluster_id = ? AND a.owner_id = ? ORDER BY a.id", (cluster_id, owner_id)
    ) as cursor:
        return [_activity(row) for row in await cursor.fetchall()]


async def update_activity(tx: aiosqlite.Connection, activity_id: int, **fields: object) -> None:
    """Change owner_id, indicator_id, checkin_hour or first_period."""
    allowed = {"owner_id", "indicator_id", "checkin_hour", "first_period"}
    if not set(fields) <= allowed:
        raise ValueError(f"unknown activity fields: {set(fields) - allowed}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    await tx.execute(f"UPDATE plan_activities SET {assignments} WHERE id = ?", (*fields.values(), activity_id))


# -- versions ---------------------------------------------------------------------------------------


async def save_version(
    tx: aiosqlite.Connection,
    plan_id: int,
    number: int,
    snapshot: dict[str, Any],
    reason: str,
    changed_by: int,
    now: datetime,
) -> bool:
    """Keep the plan as it was (version ``number``) and count the plan one version on; False if already kept."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO plan_versions (plan_id, number, snapshot, reason, changed_by, changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (plan_id, number, json.dumps(snapshot), reason, changed_by, to_text(now)),
    )
    if cursor.rowcount != 1:
        return False
    await tx.execute("UPDATE action_plans SET version = ? WHERE id = ?", (number + 1, plan_id))
    return True


async def versions_of(tx: aiosqlite.Connection, plan_id: int) -> list[Version]:
    """The plan's earlier versions, oldest first."""
    async with tx.execute(
        "SELECT plan_id, number, snapshot, reason, changed_by, changed_at FROM plan_versions WHERE plan_id = ? ORDER BY number",
        (plan_id,),
    ) as cursor:
        rows = await cursor.fetchall()
    return [Version(row[0], row[1], json.loads(row[2]), row[3], row[4], from_text_required(row[5])) for row in rows]


# -- where plans come from --------------------------------------------------------------------------


async def shortlist_of_cluster(tx: aiosqlite.Connection, cluster_id: int) -> list[ShortlistItem]:
    """The shortlisted themes of every brainstorming session of the cluster, newest session first."""
    async with tx.execute(
        "SELECT s.session_id, s.theme_id, s.title, s.dots, s.rank FROM brainstorm_shortlist s "
        "JOIN brainstorm_sessions b ON b.id = s.session_id WHERE b.cluster_id = ? ORDER BY s.session_id DESC, s.rank",
        (cluster_id,),
    ) as cursor:
        return [ShortlistItem(*row) for row in await cursor.fetchall()]
