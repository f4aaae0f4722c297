"""Delivering a confirmed broadcast through the outbox, and the sender's live report."""

from __future__ import annotations

from typing import Any

from telegram.error import BadRequest

from bot.audience import Audience, select
from bot.delivery_report import report_counts, send_unreached, unreached_of
from bot.recipients import language_of, people_of
from bot.reminders import Skip
from bot.services import RembugApplication, Services
from conversations.access_log.recording import note_sent
from conversations.access_log.rules import Access
from conversations.broadcasts import views
from conversations.meetings.meeting_views import rsvp_keyboard
from storage import broadcasts, meetings
from storage import outbox as outbox_store
from storage.broadcasts import Broadcast
from storage.reminders import Due

START = "broadcast.start"


def with_rsvp(content: dict[str, Any], meeting_id: int | None, lang: str) -> dict[str, Any]:
    """The payload with a meeting's RSVP buttons under it (marked as a broadcast's, so answering
    keeps the message as written), or as it is."""
    if not meeting_id:
        return content
    return {**content, "reply_markup": rsvp_keyboard(lang, meeting_id, None, in_broadcast=True).to_dict()}


async def start_delivery(application: RembugApplication, broadcast: Broadcast) -> int:
    """Enqueue one outbox row per recipient (chosen now, at sending time) and open the sender's report."""
    db = application.services.db
    now = application.services.clock.now()
    async with db.transaction() as tx:
        fresh = await broadcasts.get_broadcast(tx, broadcast.id)
        if fresh is None or fresh.status != "scheduled":
            return 0
        chosen = select(
            Audience.from_json(fresh.audience),
            await people_of(tx, fresh.cluster_id),
            leave_out=fresh.sender_id,
            mutes_count=not fresh.urgent,
        ).chosen
        letters = [(uid, fresh.content) for uid in chosen]
        if fresh.content.get("rsvp"):  # the meeting's RSVP buttons, in each invitee's language
            invited = {i.user_id for i in await meetings.invitees(tx, fresh.content["rsvp"])}
            default = application.services.settings.language
            letters = [
                (
                    uid,
                    with_rsvp(content, content["rsvp"], await language_of(tx, uid, default))
                    if uid in invited
                    else content,
                )
                for uid, content in letters
            ]
        await outbox_store.enqueue(tx, fresh.batch, letters, now)
        await broadcasts.set_status(tx, fresh.id, "sending")
        lang = await language_of(tx, fresh.sender_id, application.services.settings.language)
        figures = report_counts(await outbox_store.counts(tx, fresh.batch))
    report = await application.bot.send_message(fresh.sender_id, views.progress(lang, figures, finished=False))
    async with db.transaction() as tx:
        await broadcasts.set_report_message(tx, fresh.id, report.message_id)
        counts = await outbox_store.counts(tx, fresh.batch)
    application.services.outbox.wake()
    if outbox_store.finished(counts):
        # Delivery finished while the report itself was on its way (a slow or retried send):
        # its end-of-delivery callback waited for the report, so it runs now.
        await report_progress(application, fresh.batch, counts, True)
    return len(chosen)


async def start_scheduled(due: Due, application: RembugApplication) -> str:
    """The reminder engine's handler: a scheduled broadcast's time has come."""
    async with application.services.db.read() as conn:
        broadcast = await broadcasts.get_broadcast(conn, due.payload["broadcast"])
    if broadcast is None or broadcast.status != "scheduled":
        raise Skip("cancelled or already started")
    count = await start_delivery(application, broadcast)
    return f"{count} recipients"


async def send_again(services: Services, broadcast_id: int, sender_id: int) -> int | None:
    """Put the letters that may not have arrived back in the outbox; how many, or None when not the sender's."""
    db = services.db
    async with db.transaction() as tx:
        broadcast = await broadcasts.get_broadcast(tx, broadcast_id)
        if broadcast is None or broadcast.sender_id != sender_id:
            return None
        count = await outbox_store.resend_unknown(tx, broadcast.batch, services.clock.now())
        if count:
            await broadcasts.set_status(tx, broadcast.id, "sending")
    services.outbox.wake()
    return count


async def report_progress(application: RembugApplication, batch: str, counts: dict[str, int], done: bool) -> None:
    """The outbox's progress callback: edit the sender's one report message; at the end, whom to reach otherwise."""
    db = application.services.db
    broadcast_id = int(batch.split(":")[1])
    async with db.transaction() as tx:
        broadcast = await broadcasts.get_broadcast(tx, broadcast_id)
        if broadcast is None or broadcast.report_message_id is None:
            return  # the report is not out yet: start_delivery reports a finished batch once it is
        if done:
            await broadcasts.set_status(tx, broadcast_id, "done")
        lang = await language_of(tx, broadcast.sender_id, application.services.settings.language)
        unreachable = await unreached_of(tx, broadcast.cluster_id, batch) if done else []
    figures = report_counts(counts)
    text = views.progress(lang, figures, done)
    keyboard = views.progress_keyboard(lang, broadcast_id, figures, done)
    try:
        await application.bot.edit_message_text(
            text, chat_id=broadcast.sender_id, message_id=broadcast.report_message_id, reply_markup=keyboard
        )
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
    if done:
        await send_unreached(
            application.bot, broadcast.sender_id, lang, unreachable, f"broadcast-{broadcast_id}-unreached.csv"
        )
        if unreachable:  # a file of phones went to the sender
            await note_sent(application, broadcast.sender_id, broadcast.cluster_id, Access.UNREACHED)
