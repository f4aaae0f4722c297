"""What other screens borrow from the tasks: the overdue tasks on the next meeting's agenda (its
organiser's view, the invitation cards, the reminders), a meeting's task figures for its page, and
each cluster's overdue tasks for the committee's digest."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from conversations.tasks import rules
from storage import clusters, tasks
from storage.meetings import Meeting


async def overdue_titles(conn: aiosqlite.Connection, meeting: Meeting, now: datetime) -> list[str]:
    """What the overdue tasks of earlier meetings are, for ``meeting``'s agenda (due first first)."""
    timezone = (await clusters.load_cluster(conn, meeting.cluster_id)).timezone
    unfinished = await tasks.open_tasks_of_cluster(conn, meeting.cluster_id)
    today = rules.local_today(now, timezone)
    return [t.what for t in rules.on_agenda(unfinished, meeting.id, meeting.starts_at, today)]


async def meeting_figures(conn: aiosqlite.Connection, meeting: Meeting, now: datetime) -> rules.TaskFigures:
    """The meeting's tasks at a glance (its organiser's view)."""
    timezone = (await clusters.load_cluster(conn, meeting.cluster_id)).timezone
    return rules.figures(await tasks.tasks_of_meeting(conn, meeting.id), rules.local_today(now, timezone))


async def late_per_cluster(conn: aiosqlite.Connection, committee_id: int, now: datetime) -> dict[int, int]:
    """``cluster -> tasks past their due day and not done`` among the committee's clusters."""
    return rules.late_per_cluster(await tasks.open_tasks_of_committee(conn, committee_id), now)
