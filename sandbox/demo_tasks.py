"""The demo cluster's tasks from meetings: two handed out at last quarter's meeting, one still not done
long after its day (so it is on next week's agenda and in the committee's digest), and one due in a few
days for the demo member (so their /menu shows 📌 My tasks (1) and the day before brings its reminder)."""

from __future__ import annotations

from datetime import datetime, timedelta

from conversations.tasks import assigning
from conversations.tasks import rules as task_rules
from storage import meetings, tasks
from storage import reminders as due_messages

OVERDUE = "Menghubungi Dinas Perindustrian soal pelatihan pewarna alam"
OPEN = "Mengumpulkan contoh motif untuk katalog bersama"


async def seed_tasks(
    tx, cluster_id: int, timezone: str, assigner: int, late: list[int], member: int, now: datetime, source: int
) -> None:
    """The two tasks, at the cluster's earliest meeting (the one last quarter); ``late`` did not finish theirs."""
    held = [m for m in await meetings.list_meetings(tx, cluster_id) if m.starts_at < now]
    if not held:
        return
    meeting = held[0]
    first, new = await tasks.add_task(
        tx,
        cluster_id,
        meeting.id,
        OVERDUE,
        (now - timedelta(days=60)).date(),
        late,
        assigner,
        meeting.starts_at,
        source,
    )
    if not new:
        return
    await tasks.mark_done(tx, first.id, late[0], meeting.starts_at + timedelta(days=20))
    due_on = task_rules.local_today(now, timezone) + timedelta(days=5)
    second, _new = await tasks.add_task(
        tx, cluster_id, meeting.id, OPEN, due_on, [member], assigner, meeting.starts_at, source - 1
    )
    at = task_rules.reminder_at(due_on, timezone, now)
    if at is not None:
        await due_messages.schedule(
            tx,
            task_rules.reminder_key(second.id),
            assigning.REMINDER,
            at,
            {"task": second.id},
            now,
            expires_at=task_rules.reminder_expires(due_on, timezone),
        )
