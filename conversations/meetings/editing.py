"""Changing a scheduled meeting: its day and time, or its place; every invitee is told.

Editing reuses the scheduling conversation: the draft is filled from the
meeting, the answers to change are dropped, ``schedule.ask_next`` asks them
again, and the review's confirm button calls ``save_changes``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import read_button, read_draft, save_answers
from bot.replies import answer, answer_tap
from bot.update_parts import query_of
from conversations.meetings import invitations, rules
from conversations.meetings import schedule_views as views
from conversations.meetings.schedule import FLOW, ask_next, create
from storage import drafts, meetings
from storage import reminders as reminders_store


async def begin_edit(update: Update, context: RembugContext) -> str | int:
    """Change an existing meeting's day and time, or its place (``mt1:edit:<id>``)."""
    meeting = await invitations.managed_meeting(update, context, invitations.meeting_id_of(update) or 0)
    if meeting is None:
        return ConversationHandler.END
    if meeting.cancelled:
        await answer_tap(update.callback_query, context.gettext("This meeting was cancelled."), show_alert=True)
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await save_answers(
        context,
        FLOW,
        cluster_id=meeting.cluster_id,
        edit_of=meeting.id,
        kind=meeting.kind,
        topic=meeting.topic,
        day=meeting.starts_at.date().isoformat(),
        starts_at=meeting.starts_at.isoformat(),
        place=meeting.place,
        location=meeting.latitude is not None,
        latitude=meeting.latitude,
        longitude=meeting.longitude,
        agenda=meeting.agenda or "",
        audience=meeting.audience,
        capacity=meeting.capacity or 0,
        reminders=list(meeting.reminders),
    )
    await answer_tap(update.callback_query)
    await answer(update, *views.ask_what_to_change(context.lang, meeting.id))
    return "edit_choice"


async def choose_change(update: Update, context: RembugContext) -> str:
    """Ask again the day and time, or the place."""
    tap = await read_button(update, context, rules.parse_button, rules.ChangeTap)
    if tap is None:
        return "edit_choice"
    fields = rules.CHANGED_FIELDS[tap.change]
    async with context.db.transaction() as tx:
        draft = await drafts.forget_answers(tx, context.user.id, FLOW, fields, context.clock.now())
    await answer_tap(query_of(update))
    return await ask_next(update, context, draft)


async def save_changes(update: Update, context: RembugContext, draft: dict[str, Any]) -> int:
    """Apply an edit, re-plan the reminders for a new time, and tell the invitees (once)."""
    now = context.clock.now()
    async with context.db.transaction() as tx:
        before = await meetings.get_meeting(tx, draft["edit_of"])
        if before is None:  # checked by managed_meeting just before
            return ConversationHandler.END
        starts_at = datetime.fromisoformat(draft["starts_at"])
        await meetings.update_meeting(
            tx,
            before.id,
            starts_at=starts_at,
            place=draft["place"],
            latitude=draft.get("latitude") if draft.get("location") else None,
            longitude=draft.get("longitude") if draft.get("location") else None,
        )
        after = await meetings.get_meeting(tx, before.id)
        assert after is not None, "updated in this transaction"
        if after.starts_at != before.starts_at:
            await reminders_store.cancel(tx, invitations.reminder_prefix(before.id), now)
            await invitations.plan_reminders(tx, after, now)
        await invitations.plan_change_notices(tx, after, update.update_id, now, context.settings.language)
        await drafts.clear_draft(tx, context.user.id, FLOW)
    context.services.reminders.wake()
    context.services.outbox.wake()
    await invitations.show_meeting(update, context, after.id, intro=views.changes_saved(context.lang))
    return ConversationHandler.END


async def confirm_review(update: Update, context: RembugContext) -> int | str:
    """The review's ✅ button: save the changes of an edit, or create a new meeting."""
    draft = await read_draft(context, FLOW)
    if draft.get("edit_of") and "capacity" in draft:
        if not await invitations.managed_meeting(update, context, draft["edit_of"]):
            return ConversationHandler.END
        await answer_tap(update.callback_query)
        return await save_changes(update, context, draft)
    return await create(update, context)
