"""The cluster's annual plan: every activity of a year, the key the budget and the cash book refer to.

``plan_activities`` is the one list both the annual plan's calendar and the budget read. Each activity has a
stable ``key``: ``activity:<plan_activities.id>`` for an activity of a published action plan,
``meeting:<meetings.id>`` for a scheduled meeting, and ``event:<annual_events.id>`` for what the facilitator
adds to the year (a training, a study tour, a month a regular coordination meeting is intended).

The plan is adopted like the vision and mission: a version is a snapshot of the list, members answer it
until it closes, a meeting adopts it; every version is kept and numbered.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiosqlite

from storage.database import inserted_id
from storage.timestamps import from_text, from_text_required, to_text


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
    found += [event.activity for event in await events_of(tx, cluster_id, year)]
    return sorted(found, key=lambda item: (item.starts_on, item.key))


# -- what the facilitator adds to the year ---------------------------------------------------


@dataclass(frozen=True)
class Event:
    """A training, a study tour, or a month a regular coordination meeting is intended."""

    id: int
    cluster_id: int
    year: int
    kind: str  # training, study_tour, coordination
    title: str
    month: int
    starts_on: date | None  # None: some time in the month
    ends_on: date | None

    @property
    def activity(self) -> PlanActivity:
        """The event as one of the year's activities (a whole month when it has no dates)."""
        first = self.starts_on or date(self.year, self.month, 1)
        last = self.ends_on or date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return PlanActivity(f"event:{self.id}", self.kind, self.title, first, last)


_EVENT = "id, cluster_id, year, kind, title, month, starts_on, ends_on"


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _event(row: aiosqlite.Row) -> Event:
    return Event(row[0], row[1], row[2], row[3], row[4], row[5], _day(row[6]), _day(row[7]))


async def events_of(tx: aiosqlite.Connection, cluster_id: int, year: int) -> list[Event]:
    """The year's trainings, study tours and intended coordination months (not removed), by month."""
    async with tx.execute(
        f"SELECT {_EVENT} FROM annual_events WHERE cluster_id = ? AND year = ? AND removed_at IS NULL "
        "ORDER BY month, COALESCE(starts_on, ''), id",
        (cluster_id, year),
    ) as cursor:
        return [_event(row) for row in await cursor.fetchall()]


async def get_event(tx: aiosqlite.Connection, event_id: int) -> Event | None:
    """One event by id, also a removed one (None when there is none)."""
    async with tx.execute(f"SELECT {_EVENT} FROM annual_events WHERE id = ?", (event_id,)) as cursor:
        row = await cursor.fetchone()
    return _event(row) if row else None


async def add_event(
    tx: aiosqlite.Connection,
    cluster_id: int,
    year: int,
    kind: str,
    title: str,
    month: int,
    days: tuple[date, date] | None,
    author_id: int,
    now: datetime,
    source_update_id: int,
) -> Event:
    """Add a training, a study tour or an intended coordination month; once per update."""
    await tx.execute(
        "INSERT INTO annual_events (cluster_id, year, kind, title, month, starts_on, ends_on, created_by, "
        "created_at, source_update_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (source_update_id) DO NOTHING",
        (
            cluster_id,
            year,
            kind,
            title,
            month,
            days[0].isoformat() if days else None,
            days[1].isoformat() if days else None,
            author_id,
            to_text(now),
            source_update_id,
        ),
    )
    async with tx.execute(f"SELECT {_EVENT} FROM annual_events WHERE source_update_id = ?", (source_update_id,)) as cur:
        row = await cur.fetchone()
    assert row is not None
    return _event(row)


async def remove_event(tx: aiosqlite.Connection, event_id: int, now: datetime, source_update_id: int) -> bool:
    """Take an event off the year (kept for the versions that show it); False when already off."""
    cursor = await tx.execute(
        "UPDATE annual_events SET removed_at = ?, removed_update_id = ? WHERE id = ? AND removed_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM annual_events WHERE removed_update_id = ?)",
        (to_text(now), source_update_id, event_id, source_update_id),
    )
    return cursor.rowcount == 1


async def toggle_coordination(
    tx: aiosqlite.Connection,
    cluster_id: int,
    year: int,
    month: int,
    title: str,
    author_id: int,
    now: datetime,
    source_update_id: int,
) -> None:
    """Intend a regular coordination meeting in ``month``, or no longer; a replayed update changes nothing."""
    async with tx.execute(
        "SELECT 1 FROM annual_events WHERE source_update_id = ? OR removed_update_id = ?",
        (source_update_id, source_update_id),
    ) as cursor:
        if await cursor.fetchone():
            return
    async with tx.execute(
        "SELECT id FROM annual_events WHERE cluster_id = ? AND year = ? AND month = ? AND kind = 'coordination' "
        "AND removed_at IS NULL",
        (cluster_id, year, month),
    ) as cursor:
        row = await cursor.fetchone()
    if row:
        await remove_event(tx, row[0], now, source_update_id)
    else:
        await add_event(tx, cluster_id, year, "coordination", title, month, None, author_id, now, source_update_id)


# -- versions: a snapshot members answer and a meeting adopts --------------------------------


@dataclass(frozen=True)
class PlanVersion:
    """One numbered version of a year's plan: the activities as they were when it was published."""

    id: int
    cluster_id: int
    year: int
    number: int
    entries: tuple[PlanActivity, ...]
    author_id: int
    created_at: datetime
    closes_at: datetime
    status: str  # consulting, superseded, adopted
    adopted_at: datetime | None
    meeting_id: int | None


@dataclass(frozen=True)
class PlanResponse:
    """A member's answer to a version."""

    user_id: int
    full_name: str
    answer: str  # agree, change
    comment: str | None


_VERSION = "id, cluster_id, year, number, entries, author_id, created_at, closes_at, status, adopted_at, meeting_id"


def _version(row: aiosqlite.Row) -> PlanVersion:
    entries = tuple(
        PlanActivity(key, kind, title, date.fromisoformat(first), date.fromisoformat(last))
        for key, kind, title, first, last in json.loads(row[4])
    )
    return PlanVersion(
        row[0],
        row[1],
        row[2],
        row[3],
        entries,
        row[5],
        from_text_required(row[6]),
        from_text_required(row[7]),
        row[8],
        from_text(row[9]),
        row[10],
    )


async def post_version(
    tx: aiosqlite.Connection,
    cluster_id: int,
    year: int,
    author_id: int,
    closes_at: datetime,
    now: datetime,
    source_update_id: int,
) -> tuple[PlanVersion, bool]:
    """Snapshot the year's activities as its next numbered version (an open one is superseded); once per
    update. True when new."""
    async with tx.execute(
        f"SELECT {_VERSION} FROM annual_plan_versions WHERE source_update_id = ?", (source_update_id,)
    ) as cursor:
        row = await cursor.fetchone()
    if row:
        return _version(row), False
    entries = [
        [a.key, a.kind, a.title, a.starts_on.isoformat(), a.ends_on.isoformat()]
        for a in await plan_activities(tx, cluster_id, year)
    ]
    await tx.execute(
        "UPDATE annual_plan_versions SET status = 'superseded' WHERE cluster_id = ? AND year = ? "
        "AND status = 'consulting'",
        (cluster_id, year),
    )
    cursor = await tx.execute(
        "INSERT INTO annual_plan_versions (cluster_id, year, number, entries, author_id, created_at, closes_at, "
        "source_update_id) VALUES (?, ?, (SELECT COALESCE(MAX(number), 0) + 1 FROM annual_plan_versions "
        "WHERE cluster_id = ? AND year = ?), ?, ?, ?, ?, ?)",
        (
            cluster_id,
            year,
            cluster_id,
            year,
            json.dumps(entries, ensure_ascii=False),
            author_id,
            to_text(now),
            to_text(closes_at),
            source_update_id,
        ),
    )
    version = await get_version(tx, inserted_id(cursor))
    assert version is not None
    return version, True


async def get_version(tx: aiosqlite.Connection, version_id: int) -> PlanVersion | None:
    """One version by id."""
    async with tx.execute(f"SELECT {_VERSION} FROM annual_plan_versions WHERE id = ?", (version_id,)) as cursor:
        row = await cursor.fetchone()
    return _version(row) if row else None


async def versions_of(tx: aiosqlite.Connection, cluster_id: int, year: int) -> list[PlanVersion]:
    """Every version of the year's plan, newest first."""
    async with tx.execute(
        f"SELECT {_VERSION} FROM annual_plan_versions WHERE cluster_id = ? AND year = ? ORDER BY number DESC",
        (cluster_id, year),
    ) as cursor:
        return [_version(row) for row in await cursor.fetchall()]


async def adopt_version(tx: aiosqlite.Connection, version: PlanVersion, meeting_id: int, now: datetime) -> None:
    """Record ``version`` as adopted at ``meeting_id`` (its window closes; an open later one is superseded)."""
    await tx.execute(
        "UPDATE annual_plan_versions SET status = 'superseded' WHERE cluster_id = ? AND year = ? "
        "AND status = 'consulting' AND id <> ?",
        (version.cluster_id, version.year, version.id),
    )
    await tx.execute(
        "UPDATE annual_plan_versions SET status = 'adopted', adopted_at = ?, meeting_id = ?, "
        "closes_at = MIN(closes_at, ?) WHERE id = ?",
        (to_text(now), meeting_id, to_text(now), version.id),
    )


async def answer_version(tx: aiosqlite.Connection, version_id: int, user_id: int, answer: str, now: datetime) -> None:
    """Record (or change) a member's answer; a comment given earlier stays with "change"."""
    await tx.execute(
        "INSERT INTO annual_plan_responses (version_id, user_id, answer, answered_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (version_id, user_id) DO UPDATE SET answer = excluded.answer, "
        "answered_at = excluded.answered_at, "
        "comment = CASE WHEN excluded.answer = 'change' THEN annual_plan_responses.comment END",
        (version_id, user_id, answer, to_text(now)),
    )


async def comment_version(tx: aiosqlite.Connection, version_id: int, user_id: int, comment: str, now: datetime) -> bool:
    """Attach a typed comment to a member's "change"; False when they have not answered so."""
    cursor = await tx.execute(
        "UPDATE annual_plan_responses SET comment = ?, answered_at = ? WHERE version_id = ? AND user_id = ? "
        "AND answer = 'change'",
        (comment, to_text(now), version_id, user_id),
    )
    return cursor.rowcount == 1


async def responses_to(tx: aiosqlite.Connection, version_id: int) -> list[PlanResponse]:
    """Every answer to a version, by name."""
    async with tx.execute(
        "SELECT r.user_id, COALESCE(m.full_name, u.first_name), r.answer, r.comment FROM annual_plan_responses r "
        "JOIN annual_plan_versions v ON v.id = r.version_id JOIN users u ON u.id = r.user_id "
        "LEFT JOIN memberships m ON m.cluster_id = v.cluster_id AND m.user_id = r.user_id "
        "WHERE r.version_id = ? ORDER BY 2 COLLATE NOCASE, r.user_id",
        (version_id,),
    ) as cursor:
        return [PlanResponse(*row) for row in await cursor.fetchall()]


async def answer_of(tx: aiosqlite.Connection, version_id: int, user_id: int) -> str | None:
    """A member's answer to a version (None before they answer)."""
    async with tx.execute(
        "SELECT answer FROM annual_plan_responses WHERE version_id = ? AND user_id = ?", (version_id, user_id)
    ) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None
