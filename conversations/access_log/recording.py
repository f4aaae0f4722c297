"""Recording a file with people in it right after it was sent, where the work had no transaction of its own."""

from __future__ import annotations

from datetime import datetime

from bot.context import RembugContext
from bot.services import RembugApplication
from conversations.access_log.rules import Access
from storage import access_log
from storage.database import Database


async def _note(
    db: Database,
    actor_id: int,
    cluster_id: int | None,
    action: Access,
    detail: str,
    now: datetime,
    committee_id: int | None,
) -> None:
    async with db.transaction() as tx:
        await access_log.record(tx, actor_id, cluster_id, action, detail, now, committee_id=committee_id)


async def note_download(
    context: RembugContext, cluster_id: int | None, action: Access, detail: str = "", *, committee_id: int | None = None
) -> None:
    """Record that the sender of this update downloaded ``action`` (a file with people in it) just now."""
    await _note(context.db, context.user.id, cluster_id, action, detail, context.clock.now(), committee_id)


async def note_sent(
    application: RembugApplication,
    user_id: int,
    cluster_id: int | None,
    action: Access,
    detail: str = "",
    *,
    committee_id: int | None = None,
) -> None:
    """Record that the bot sent ``user_id`` a file with people in it on its own (a report, a delivery list)."""
    services = application.services
    await _note(services.db, user_id, cluster_id, action, detail, services.clock.now(), committee_id)
