"""Meetings, their invitees' RSVPs, attendance and walk-in guests."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timestamps import from_text, to_text


@dataclass(frozen=True)
class Meeting:
    """A meeting of a cluster (or of some of its small groups)."""

    id: int
    cluster_id: int
    kind: str
    topic: str
    starts_at: datetime
    place: str
    latitude: float | None
    longitude: float | None
    agenda: str | None
    audience: dict[str, Any]
    capacity: int | None
    reminders: tuple[int, ...]
    checkin_code: str
    organiser_id: int
    status: str
    notes: str | None
    decisions: str | None

    @property
    def cancelled(self) -> bool:
        """Whether the meeting was called off."""
        return self.status == "cancelled"


@dataclass(frozen=True)
class Invitee:
    """One invitee with their answer, delivery and attendance; ``joined_later`` when they were
    invited after the meeting was scheduled (they joined the cluster or its small group since)."""

    user_id: int
    full_name: str
    small_group: str | None
    rsvp: str | None
    delivery: str | None
    checked_in: bool
    joined_later: bool = False
    stakeholder_type: str | None = None  # as their profile in the cluster says


@dataclass(frozen=True)
class Guest:
    """A walk-in guest recorded by name."""

    id: int
    name: str
    stakeholder_type: str | None


_COLUMNS = (
    "id, cluster_id, kind, topic, starts_at, place, latitude, longitude, agenda, audience, capacity, "
    "reminders, checkin_code, organiser_id, status, notes, decisions"
)


def _meeting(row: sqlite3.Row | tuple[Any, ...]) -> Meeting:
    starts_at = from_text(row[4])
    assert starts_at is not None, "meetings.starts_at is NOT NULL"
    return Meeting(
        row[0],
        row[1],
        row[2],
        row[3],
        starts_at,
        row[5],
        row[6],
        row[7],
        row[8],
        json.loads(row[9]),
        row[10],
        tuple(json.loads(row[11])),
        row[12],
        row[13],
        row[14],
        row[15],
        row[16],
    )


async def create_meeting(
    tx: aiosqlite.Connection,
    *,
    cluster_id: int,
    kind: str,
    topic: str,
    starts_at: datetime,
    place: str,
    latitude: float | None,
    longitude: float | None,
    agenda: str | None,
    audience: dict[str, Any],
    capacity: int | None,
    reminders: tuple[int, ...],
    checkin_code: str,
    organiser_id: int,
    invitee_ids: list[int],
    now: datetime,
    source_update_id: int,
) -> tuple[Meeting, bool]:
    """Create the meeting and its invitee list; the same update creates it once. True when new."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM meetings WHERE source_update_id = ?", (source_update_id,)) as cur:
        row = await cur.fetchone()
    if row:
        return _meeting(row), False
    cursor = await tx.execute(
        "INSERT INTO meetings (cluster_id, kind, topic, starts_at, place, latitude, longitude, agenda, audience, "
        "capacity, reminders, checkin_code, organiser_id, created_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cluster_id,
            kind,
            topic,
            to_text(starts_at),
            place,
            latitude,
            longitude,
            agenda,
            json.dumps(audience),
            capacity,
            json.dumps(list(reminders)),
            checkin_code,
            organiser_id,
            to_text(now),
            source_update_id,
        ),
    )
    meeting_id = cursor.lastrowid
    assert meeting_id is not None, "an INSERT gives a row id"
    await tx.executemany(
        "INSERT OR IGNORE INTO meeting_invitees (meeting_id, user_id) VALUES (?, ?)",
        [(meeting_id, user_id) for user_id in invitee_ids],
    )
    meeting = await get_meeting(tx, meeting_id)
    assert meeting is not None
    return meeting, True


async def get_meeting(tx: aiosqlite.Connection, meeting_id: int) -> Meeting | None:
    """The meeting with this id."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM meetings WHERE id = ?", (meeting_id,)) as cursor:
        row = await cursor.fetchone()
    return _meeting(row) if row else None


async def find_by_checkin_code(tx: aiosqlite.Connection, code: str) -> Meeting | None:
    """The meeting whose check-in link carries ``code``."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM meetings WHERE checkin_code = ?", (code,)) as cursor:
        row = await cursor.fetchone()
    return _meeting(row) if row else None


async def list_meetings(
    tx: aiosqlite.Connection, cluster_id: int, *, after: datetime | None = None, before: datetime | None = None
) -> list[Meeting]:
    """The cluster's meetings by start time, optionally within a period."""
    sql = f"SELECT {_COLUMNS} FROM meetings WHERE cluster_id = ?"
    params: list[object] = [cluster_id]
    if after is not None:
        sql += " AND starts_at >= ?"
        params.append(to_text(after))
    if before is not None:
        sql += " AND starts_at < ?"
        params.append(to_text(before))
    async with tx.execute(sql + " ORDER BY starts_at, id", params) as cursor:
        return [_meeting(row) for row in await cursor.fetchall()]


async def update_meeting(tx: aiosqlite.Connection, meeting_id: int, **fields: object) -> None:
    """Change some of a meeting's fields (starts_at, place, agenda, topic, status, notes, decisions)."""
    allowed = {"starts_at", "place", "agenda", "topic", "status", "notes", "decisions", "latitude", "longitude"}
    if not fields or set(fields) - allowed:
        raise ValueError(f"cannot update {sorted(set(fields) - allowed)}")
    values = [to_text(v) if isinstance(v, datetime) else v for v in fields.values()]
    assignments = ", ".join(f"{name} = ?" for name in fields)
    await tx.execute(f"UPDATE meetings SET {assignments} WHERE id = ?", (*values, meeting_id))


async def invitees(tx: aiosqlite.Connection, meeting_id: int) -> list[Invitee]:
    """The invitees by name, with answers, check-in, and whether their card reached them (its outbox
    row's result once it has one; before the cards went through the outbox, the recorded delivery)."""
    async with tx.execute(
        "SELECT i.user_id, COALESCE(m.full_name, u.first_name), g.name, i.rsvp, "
        "CASE WHEN o.status IN ('sent', 'blocked', 'not_started', 'failed', 'unknown') THEN o.status "
        "ELSE i.delivery END, a.user_id IS NOT NULL, i.invited_at IS NOT NULL, m.stakeholder_type "
        "FROM meeting_invitees i JOIN meetings mt ON mt.id = i.meeting_id "
        "JOIN users u ON u.id = i.user_id "
        "LEFT JOIN outbox o ON o.batch = 'meeting:' || i.meeting_id || ':invite' AND o.recipient_id = i.user_id "
        "LEFT JOIN memberships m ON m.cluster_id = mt.cluster_id AND m.user_id = i.user_id "
        "LEFT JOIN small_groups g ON g.id = m.small_group_id "
        "LEFT JOIN attendance a ON a.meeting_id = i.meeting_id AND a.user_id = i.user_id "
        "WHERE i.meeting_id = ? ORDER BY 2 COLLATE NOCASE, i.user_id",
        (meeting_id,),
    ) as cursor:
        return [Invitee(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), r[7]) for r in await cursor.fetchall()]


async def add_invitee(tx: aiosqlite.Connection, meeting_id: int, user_id: int, now: datetime) -> bool:
    """Invite someone after the meeting was scheduled (a newcomer); False if already invited."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO meeting_invitees (meeting_id, user_id, invited_at) VALUES (?, ?, ?)",
        (meeting_id, user_id, to_text(now)),
    )
    return cursor.rowcount == 1


async def invitations_of(tx: aiosqlite.Connection, user_id: int, meeting_ids: list[int]) -> dict[int, str | None]:
    """Of these meetings, those the person is invited to, with their answer (None: not yet)."""
    if not meeting_ids:
        return {}
    marks = ", ".join("?" for _ in meeting_ids)
    async with tx.execute(
        f"SELECT meeting_id, rsvp FROM meeting_invitees WHERE user_id = ? AND meeting_id IN ({marks})",
        (user_id, *meeting_ids),
    ) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


def invitation_batch(meeting_id: int) -> str:
    """The outbox batch of a meeting's invitation cards."""
    return f"meeting:{meeting_id}:invite"


async def get_invitee(tx: aiosqlite.Connection, meeting_id: int, user_id: int) -> Invitee | None:
    """One invitee, or None when the person was not invited."""
    for invitee in await invitees(tx, meeting_id):
        if invitee.user_id == user_id:
            return invitee
    return None


async def set_rsvp(tx: aiosqlite.Connection, meeting_id: int, user_id: int, answer: str, now: datetime) -> bool:
    """Record an invitee's answer (they may change it); False if they were not invited."""
    cursor = await tx.execute(
        "UPDATE meeting_invitees SET rsvp = ?, rsvp_at = ? WHERE meeting_id = ? AND user_id = ?",
        (answer, to_text(now), meeting_id, user_id),
    )
    return cursor.rowcount == 1


async def set_delivery(tx: aiosqlite.Connection, meeting_id: int, user_id: int, delivery: str) -> None:
    """Record whether the invitation card reached the invitee (cards sent through the outbox have
    their result there; ``invitees`` prefers it)."""
    await tx.execute(
        "UPDATE meeting_invitees SET delivery = ? WHERE meeting_id = ? AND user_id = ?", (delivery, meeting_id, user_id)
    )


async def check_in(tx: aiosqlite.Connection, meeting_id: int, user_id: int, method: str, now: datetime) -> bool:
    """Record attendance; True the first time, False when already checked in (it counts once)."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO attendance (meeting_id, user_id, checked_in_at, method) VALUES (?, ?, ?, ?)",
        (meeting_id, user_id, to_text(now), method),
    )
    return cursor.rowcount == 1


async def undo_check_in(tx: aiosqlite.Connection, meeting_id: int, user_id: int) -> None:
    """Remove a ticked attendance (a facilitator's mistake)."""
    await tx.execute("DELETE FROM attendance WHERE meeting_id = ? AND user_id = ?", (meeting_id, user_id))


async def present(tx: aiosqlite.Connection, meeting_id: int) -> set[int]:
    """User ids checked in or ticked."""
    async with tx.execute("SELECT user_id FROM attendance WHERE meeting_id = ?", (meeting_id,)) as cursor:
        return {row[0] for row in await cursor.fetchall()}


async def add_guest(
    tx: aiosqlite.Connection,
    meeting_id: int,
    name: str,
    stakeholder_type: str | None,
    added_by: int,
    now: datetime,
    source_update_id: int,
) -> None:
    """Record a walk-in guest (once per update)."""
    await tx.execute(
        "INSERT OR IGNORE INTO meeting_guests (meeting_id, name, stakeholder_type, added_by, added_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (meeting_id, name, stakeholder_type, added_by, to_text(now), source_update_id),
    )


async def guests(tx: aiosqlite.Connection, meeting_id: int) -> list[Guest]:
    """The meeting's walk-in guests in the order they came."""
    async with tx.execute(
        "SELECT id, name, stakeholder_type FROM meeting_guests WHERE meeting_id = ? ORDER BY id", (meeting_id,)
    ) as cursor:
        return [Guest(*row) for row in await cursor.fetchall()]


async def attendance_history(
    tx: aiosqlite.Connection, cluster_id: int, user_id: int
) -> list[tuple[Meeting, str | None, bool]]:
    """Each of the cluster's meetings the person was invited to or attended: (meeting, answer, attended)."""
    async with tx.execute(
        f"SELECT {', '.join('mt.' + c.strip() for c in _COLUMNS.split(','))}, i.rsvp, a.user_id IS NOT NULL "
        "FROM meetings mt LEFT JOIN meeting_invitees i ON i.meeting_id = mt.id AND i.user_id = ? "
        "LEFT JOIN attendance a ON a.meeting_id = mt.id AND a.user_id = ? "
        "WHERE mt.cluster_id = ? AND (i.user_id IS NOT NULL OR a.user_id IS NOT NULL) ORDER BY mt.starts_at",
        (user_id, user_id, cluster_id),
    ) as cursor:
        return [(_meeting(row[:17]), row[17], bool(row[18])) for row in await cursor.fetchall()]
