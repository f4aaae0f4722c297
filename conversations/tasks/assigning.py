"""Handing out tasks at a meeting (a facilitator, the secretary, or the meeting's organiser): what, who
(members ticked on a paged list), by when; each owner gets the task through the outbox, and a due
message (``task:<id>:reminder``) reminds those not done the day before at 09.00 in the cluster's zone."""

from __future__ import annotations

from datetime import date, timedelta

import aiosqlite
from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, read_tap, replayed_effect, save_answers
from bot.permissions import require
from bot.recipients import language_of
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import message_of
from conversations.supporters.rules import read_date
from conversations.tasks import owner_views, rules, views
from conversations.tasks.rules import PREFIX, Step, TaskTap
from storage import clusters, drafts, meetings, memberships, tasks
from storage import outbox as outbox_store
from storage import reminders as due_messages
from storage.meetings import Meeting
from storage.tasks import Task

FLOW = "meeting_task"
REMINDER = "tasks.reminder"


def _parse(step: Step):
    """A parser for ``read_tap`` that takes only ``step``'s buttons."""

    def parse(parts: list[str] | None) -> TaskTap | None:
        tap = rules.parse_tap(":".join([PREFIX, *parts])) if parts else None
        return tap if tap is not None and tap.step is step else None

    return parse


async def pressed(update: Update, context: RembugContext, step: Step) -> TaskTap | None:
    """The ``tk1`` button of ``step`` tapped; a stale or forged one is answered and None comes back."""
    return await read_tap(update, context, PREFIX, _parse(step))


async def meeting_for(update: Update, context: RembugContext, meeting_id: int) -> Meeting | None:
    """The meeting, when the sender may hand out tasks there; else the role message (or why the button is old)."""
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
    here = meeting is not None and meeting.cluster_id == context.standing.cluster_id
    if meeting is not None and here and rules.may_assign(context.standing, meeting.organiser_id):
        return meeting
    if await require(update, context, Action.ASSIGN_TASKS):  # allowed in general: the meeting is not theirs
        await explain_stale(update, context)
    return None


async def show_meetings(update: Update, context: RembugContext) -> None:
    """📌 Tasks from meetings (``tk1:m:<page>``): the cluster's meetings, newest first."""
    if not await require(update, context, Action.ASSIGN_TASKS):
        return
    tap = await pressed(update, context, Step.MEETINGS)
    if tap is None:
        return
    await answer_tap(update.callback_query)
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        timezone = (await clusters.load_cluster(conn, cluster_id)).timezone
        listed = [m for m in await meetings.list_meetings(conn, cluster_id) if not m.cancelled]
    await answer(update, *views.meetings(context.lang, listed[::-1], timezone, tap.page))


async def show_meeting_tasks_of(update: Update, context: RembugContext, meeting: Meeting, page: int = 0) -> None:
    """A meeting's tasks with each owner's status."""
    async with context.db.read() as conn:
        timezone = (await clusters.load_cluster(conn, meeting.cluster_id)).timezone
        listed = await tasks.tasks_of_meeting(conn, meeting.id)
    today = rules.local_today(context.clock.now(), timezone)
    back = rules.may_manage_meeting(context.standing, meeting.organiser_id)
    await answer(
        update, *views.meeting_tasks(context.lang, meeting, timezone, listed, today, page, back_to_meeting=back)
    )


async def show_meeting_tasks(update: Update, context: RembugContext) -> int:
    """📌 Tasks of one meeting (``tk1:t:<meeting>:<page>``); from inside the conversation it leaves the draft."""
    tap = await pressed(update, context, Step.MEETING)
    meeting = await meeting_for(update, context, tap.number or 0) if tap else None
    if tap is None or meeting is None:
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await answer_tap(update.callback_query)
    await show_meeting_tasks_of(update, context, meeting, tap.page)
    return ConversationHandler.END


async def begin(update: Update, context: RembugContext) -> str | int:
    """➕ Task (``tk1:add:<meeting>``): ask what the task is."""
    tap = await pressed(update, context, Step.ADD)
    meeting = await meeting_for(update, context, tap.number or 0) if tap else None
    if meeting is None:
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
        await drafts.save_draft_answers(
            tx, context.user.id, FLOW, {"meeting": meeting.id, "owners": []}, context.clock.now()
        )
    await answer_tap(update.callback_query)
    await answer(update, *views.ask_what(context.lang, meeting))
    return "what"


async def _members(context: RembugContext) -> list[memberships.Membership]:
    async with context.db.read() as conn:
        members, _total = await memberships.directory(conn, context.standing.current_cluster_id)
    return members


async def receive_what(update: Update, context: RembugContext) -> str:
    """What the task is; then who will do it."""
    what = rules.clean_text(message_of(update).text, rules.WHAT_LIMIT)
    if what is None:
        await message_of(update).reply_text(
            context.gettext("That is too long: at most {limit} characters. Please type a shorter answer.").format(
                limit=rules.WHAT_LIMIT
            )
        )
        return "what"
    draft = await save_answers(context, FLOW, what=what, page=0)
    await answer(update, *views.ask_owners(context.lang, what, await _members(context), draft.get("owners", []), 0))
    return "owners"


async def toggle_owner(update: Update, context: RembugContext) -> str:
    """Tick or untick a member (``tk1:o:<user>:<page>``)."""
    tap = await pressed(update, context, Step.OWNER)
    draft = await read_draft(context, FLOW)
    members = await _members(context)
    if tap is None or "what" not in draft:
        return "owners"
    if not any(m.user_id == tap.number for m in members):
        await explain_stale(update, context)
        return "owners"
    chosen = rules.toggled(draft.get("owners", []), tap.number or 0)
    await save_answers(context, FLOW, owners=chosen, page=tap.page)
    await answer_tap(update.callback_query)
    await answer(update, *views.ask_owners(context.lang, draft["what"], members, chosen, tap.page))
    return "owners"


async def turn_page(update: Update, context: RembugContext) -> str:
    """Another page of the members (``tk1:op:<page>``)."""
    tap = await pressed(update, context, Step.OWNERS)
    draft = await read_draft(context, FLOW)
    if tap is None or "what" not in draft:
        return "owners"
    await save_answers(context, FLOW, page=tap.page)
    await answer_tap(update.callback_query)
    await answer(
        update, *views.ask_owners(context.lang, draft["what"], await _members(context), draft["owners"], tap.page)
    )
    return "owners"


async def owners_done(update: Update, context: RembugContext) -> str:
    """✅ Done (``tk1:od``): by when? (at least one member ticked)."""
    draft = await read_draft(context, FLOW)
    if not draft.get("owners") or "what" not in draft:
        await answer_tap(update.callback_query, views.pick_first(context.lang), show_alert=True)
        return "owners"
    await answer_tap(update.callback_query)
    names = [m.full_name for m in await _members(context) if m.user_id in draft["owners"]]
    await answer(update, *views.ask_due(context.lang, draft["what"], names))
    return "due"


async def _zone(context: RembugContext) -> str:
    async with context.db.read() as conn:
        return (await clusters.load_cluster(conn, context.standing.current_cluster_id)).timezone


async def choose_due(update: Update, context: RembugContext) -> str | int:
    """In a week, two weeks, a month (``tk1:d:<days>``): the task is saved."""
    tap = await pressed(update, context, Step.DUE)
    if tap is None:
        return "due"
    await answer_tap(update.callback_query)
    today = rules.local_today(context.clock.now(), await _zone(context))
    return await _save(update, context, today + timedelta(days=tap.number or 0))


async def type_due(update: Update, context: RembugContext) -> str | int:
    """A typed due date (today or later, within a year): the task is saved."""
    today = rules.local_today(context.clock.now(), await _zone(context))
    day = read_date(message_of(update).text, today)
    why = "no_date" if day is None else rules.due_problem(day, today)
    if day is None or why:
        await message_of(update).reply_text(views.problem(context.lang, why or "no_date"))
        return "due"
    return await _save(update, context, day)


async def queue_cards(tx: aiosqlite.Connection, task: Task, assigner: str, default_language: str, now) -> None:
    """Each owner's task card, in their language, in the task's outbox batch (once per owner)."""
    letters = []
    for owner in task.owners:
        lang = await language_of(tx, owner.user_id, default_language)
        text, keyboard = owner_views.task_card(lang, task, owner.user_id, assigner)
        letters.append((owner.user_id, {"kind": "text", "text": text, "reply_markup": keyboard.to_dict()}))
    await outbox_store.enqueue(tx, rules.batch(task.id, "assigned"), letters, now)


async def _save(update: Update, context: RembugContext, due_on: date) -> int:
    """Store the task, queue its cards and plan its reminder, in one transaction; then say so."""
    draft = await read_draft(context, FLOW)
    edit = update.callback_query is not None
    if "what" not in draft or not draft.get("owners"):
        effect = await replayed_effect(context, update, FLOW)
        async with context.db.read() as conn:
            again = await tasks.get_task(conn, effect["task"]) if effect else None
        if again is None:
            await explain_stale(update, context)
        else:
            timezone = await _zone(context)
            when = rules.reminder_at(again.due_on, timezone, again.created_at)
            await answer(update, *views.saved(context.lang, again, when, timezone), edit=edit)
        return ConversationHandler.END
    now = context.clock.now()
    async with context.db.transaction() as tx:
        meeting = await meetings.get_meeting(tx, draft["meeting"])
        assert meeting is not None, "the draft names a meeting of the cluster"
        cluster = await clusters.load_cluster(tx, meeting.cluster_id)
        active = {m.user_id for m in (await memberships.directory(tx, cluster.id))[0]}
        owners = [user_id for user_id in draft["owners"] if user_id in active]
        task, new = await tasks.add_task(
            tx, cluster.id, meeting.id, draft["what"], due_on, owners, context.user.id, now, update.update_id
        )
        when = rules.reminder_at(task.due_on, cluster.timezone, now)
        if new:
            me = await memberships.get_membership(tx, cluster.id, context.user.id)
            assigner = me.full_name if me and me.full_name else context.user.first_name
            await queue_cards(tx, task, assigner, context.settings.language, now)
            if when is not None:
                expires = rules.reminder_expires(task.due_on, cluster.timezone)
                await due_messages.schedule(
                    tx, rules.reminder_key(task.id), REMINDER, when, {"task": task.id}, now, expires_at=expires
                )
        await finish_draft(tx, update, context.user.id, FLOW, task=task.id)
    context.services.outbox.wake()
    context.services.reminders.wake()
    await answer(update, *views.saved(context.lang, task, when, cluster.timezone), edit=edit)
    return ConversationHandler.END


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Text where the step asks for a button."""
    await message_of(update).reply_text(context.gettext("Please choose with the buttons below."))
