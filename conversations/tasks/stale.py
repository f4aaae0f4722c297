"""Old task buttons speak: ✅ / 🙋 under a task that is gone, or that someone else owns, says so."""

from __future__ import annotations

import aiosqlite

from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons, belongs_here
from conversations.tasks.rules import PREFIX, Step, parse_tap
from conversations.tasks.views import b
from storage import tasks


async def explain_task(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """What happened to the task an old ``tk1:done`` / ``tk1:help`` button names."""
    parsed = parse_tap(tap.data)
    if parsed is None or parsed.step not in (Step.DONE, Step.HELP):
        return None
    _ = translator(tap.lang).gettext
    mine = (b(_("📌 My tasks"), Step.MINE, 0),)
    task = await tasks.get_task(conn, parsed.number or 0)
    if task is None:
        return Explanation(_("This task is no longer there."), _("This task is no longer there."), mine)
    here = await belongs_here(conn, tap, task.cluster_id)
    if here is not True:
        return here or None
    if task.owner(tap.user_id) is None:
        return Explanation(
            _("This task is not yours."), _("This task was handed out to other members, not to you."), mine
        )
    return None


def register(application: RembugApplication) -> None:
    """Let old task buttons speak."""
    application.services.state(StaleButtons).add(PREFIX, explain_task)
