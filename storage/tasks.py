"""Tasks handed out at meetings: what, by when, and each owner's status (open, needs help, done)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.timestamps import from_text, from_text_required, to_text

STATUSES = ("open", "help", "done")


@dataclass(frozen=True)
class Owner:
    """One owner of a task and how far they got."""

    user_id: int
    full_name: str
    status: str  # open | help | done
    help_note: str | None = None
    changed_at: datetime | None = None


@dataclass(frozen=True)
class Task:
    """A task from a meeting, with its owners (by name)."""

    id: int
    cluster_id: int
    meeting_id: int
    what: str
    due_on: date
    assigned_by: int
    created_at: datetime
    owners: tuple[Owner, ...] = ()
    meeting_topic: str = ""
    meeting_starts_at: datetime | None = None

    @property
    def finished(self) -> bool:
        """Whether every owner has done it."""
        return bool(self.owners) and all(o.status == "done" for o in self.owners)

    def owner(self, user_id: int) -> Owner | None:
        """The owner ``user_id``, if they are one."""
        return next((o for o in self.owners if o.user_id == user_id), None)


_SELECT = (
    "SELECT t.id, t.cluster_id, t.meeting_id, t.what, t.due_on, t.assigned_by, t.created_at, m.topic, m.starts_at "
    "FROM meeting_tasks t JOIN meetings m ON m.id = t.meeting_id "
)


async def _owners(conn: aiosqlite.Connection, task_ids: list[int]) -> dict[int, list[Owner]]:
    if not task_ids:
        return {}
    marks = ", ".join("?" for _ in task_ids)
    async with conn.execute(
        "SELECT o.task_id, o.user_id, COALESCE(ms.full_name, u.first_name, ''), o.status, o.help_note, o.changed_at "
        "FROM meeting_task_owners o JOIN meeting_tasks t ON t.id = o.task_id "
        "LEFT JOIN memberships ms ON ms.cluster_id = t.cluster_id AND ms.user_id = o.user_id "
        "LEFT JOIN users u ON u.id = o.user_id "
        f"WHERE o.task_id IN ({marks}) ORDER BY o.task_id, COALESCE(ms.full_name, u.first_name) COLLATE NOCASE",
        task_ids,
    ) as cursor:
        rows = await cursor.fetchall()
    found: dict[int, list[Owner]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(Owner(row[1], row[2], row[3], row[4], from_text(row[5])))
    return found


async def _tasks(conn: aiosqlite.Connection, where: str, params: tuple) -> list[Task]:
    async with conn.execute(_SELECT + where, params) as cursor:
        rows = await cursor.fetchall()
    owners = await _owners(conn, [row[0] for row in rows])
    return [
        Task(
            row[0],
            row[1],
            row[2],
            row[3],
            date.fromisoformat(row[4]),
            row[5],
            from_text_required(row[6]),
            tuple(owners.get(row[0], ())),
            row[7],
            from_text(row[8]),
        )
        for row in rows
    ]


async def add_task(
    tx: aiosqlite.Connection,
    cluster_id: int,
    meeting_id: int,
    what: str,
    due_on: date,
    owner_ids: list[int],
    assigned_by: int,
    now: datetime,
    source_update_id: int,
) -> tuple[Task, bool]:
    """Save a task with its owners; a replayed update returns the task it saved. The task, and whether it is new."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO meeting_tasks (cluster_id, meeting_id, what, due_on, assigned_by, created_at, "
        "source_update_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (cluster_id, meeting_id, what, due_on.isoformat(), assigned_by, to_text(now), source_update_id),
    )
    new = cursor.rowcount == 1
    found = await _tasks(tx, "WHERE t.source_update_id = ?", (source_update_id,))
    task = found[0]
    if new:
        await tx.executemany(
            "INSERT OR IGNORE INTO meeting_task_owners (task_id, user_id, changed_at) VALUES (?, ?, ?)",
            [(task.id, user_id, to_text(now)) for user_id in owner_ids],
        )
        task = (await _tasks(tx, "WHERE t.id = ?", (task.id,)))[0]
    return task, new


async def get_task(conn: aiosqlite.Connection, task_id: int) -> Task | None:
    """One task with its owners."""
    found = await _tasks(conn, "WHERE t.id = ?", (task_id,))
    return found[0] if found else None


async def tasks_of_meeting(conn: aiosqlite.Connection, meeting_id: int) -> list[Task]:
    """The tasks handed out at a meeting, by due day."""
    return await _tasks(conn, "WHERE t.meeting_id = ? ORDER BY t.due_on, t.id", (meeting_id,))


async def open_tasks_of_cluster(conn: aiosqlite.Connection, cluster_id: int) -> list[Task]:
    """The cluster's tasks some owner has not done yet, by due day."""
    return await _tasks(
        conn,
        "WHERE t.cluster_id = ? AND EXISTS (SELECT 1 FROM meeting_task_owners o WHERE o.task_id = t.id "
        "AND o.status != 'done') ORDER BY t.due_on, t.id",
        (cluster_id,),
    )


async def open_tasks_of_owner(conn: aiosqlite.Connection, cluster_id: int, user_id: int) -> list[Task]:
    """The tasks ``user_id`` owns in the cluster and has not done, by due day."""
    return await _tasks(
        conn,
        "WHERE t.cluster_id = ? AND EXISTS (SELECT 1 FROM meeting_task_owners o WHERE o.task_id = t.id "
        "AND o.user_id = ? AND o.status != 'done') ORDER BY t.due_on, t.id",
        (cluster_id, user_id),
    )


async def count_open_of_owner(conn: aiosqlite.Connection, cluster_id: int, user_id: int) -> int:
    """How many tasks ``user_id`` owns in the cluster and has not done (the menu's count)."""
    async with conn.execute(
        "SELECT COUNT(*) FROM meeting_task_owners o JOIN meeting_tasks t ON t.id = o.task_id "
        "WHERE t.cluster_id = ? AND o.user_id = ? AND o.status != 'done'",
        (cluster_id, user_id),
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def mark_done(tx: aiosqlite.Connection, task_id: int, user_id: int, now: datetime) -> bool:
    """The owner has done the task; True when this call recorded it (a replay or a second tap does nothing)."""
    cursor = await tx.execute(
        "UPDATE meeting_task_owners SET status = 'done', changed_at = ? "
        "WHERE task_id = ? AND user_id = ? AND status != 'done'",
        (to_text(now), task_id, user_id),
    )
    return cursor.rowcount == 1


async def ask_help(tx: aiosqlite.Connection, task_id: int, user_id: int, note: str | None, now: datetime) -> bool:
    """The owner needs help (with an optional note); True when recorded (a done task stays done)."""
    cursor = await tx.execute(
        "UPDATE meeting_task_owners SET status = 'help', help_note = ?, changed_at = ? "
        "WHERE task_id = ? AND user_id = ? AND status != 'done'",
        (note, to_text(now), task_id, user_id),
    )
    return cursor.rowcount == 1


@dataclass(frozen=True)
class OpenTask:
    """A task some owner has not done, with its cluster's zone (the digest's overdue count)."""

    cluster_id: int
    timezone: str
    due_on: date


async def open_tasks_of_committee(conn: aiosqlite.Connection, committee_id: int) -> list[OpenTask]:
    """The unfinished tasks of a committee's clusters, with each cluster's zone."""
    async with conn.execute(
        "SELECT t.cluster_id, c.timezone, t.due_on FROM meeting_tasks t JOIN clusters c ON c.id = t.cluster_id "
        "WHERE t.cluster_id IN (SELECT cluster_id FROM committee_clusters WHERE committee_id = ?) "
        "AND EXISTS (SELECT 1 FROM meeting_task_owners o WHERE o.task_id = t.id AND o.status != 'done')",
        (committee_id,),
    ) as cursor:
        rows = await cursor.fetchall()
    return [OpenTask(row[0], row[1], date.fromisoformat(row[2])) for row in rows]
