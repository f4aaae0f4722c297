"""An owner's side: ✅ Done and 🙋 Need help (with an optional note) under a task, each told to whoever
handed it out through the outbox; one's own open tasks; the reminder the day before."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, replayed_effect
from bot.permissions import require
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import message_of
from conversations.tasks import owner_views, rules
from conversations.tasks.assigning import pressed
from conversations.tasks.rules import Step
from storage import clusters, drafts, memberships, tasks
from storage import outbox as outbox_store
from storage.reminders import Due
from storage.tasks import Task

HELP_FLOW = "task_help"


async def _own_task(update: Update, context: RembugContext, step: Step) -> Task | None:
    """The task on the tapped ✅ / 🙋, when the sender owns it; else refused or explained."""
    if not await require(update, context, Action.DO_TASKS):
        return None
    tap = await pressed(update, context, step)
    if tap is None:
        return None
    async with context.db.read() as conn:
        task = await tasks.get_task(conn, tap.number or 0)
    if task is None or task.owner(context.user.id) is None:
        await explain_stale(update, context)
        return None
    return task


async def mark_done(update: Update, context: RembugContext) -> None:
    """✅ Done (``tk1:done:<task>``): recorded once (a replayed or second tap changes nothing); the assigner is told."""
    task = await _own_task(update, context, Step.DONE)
    if task is None:
        return
    now = context.clock.now()
    me = task.owner(context.user.id)
    assert me is not None, "checked in _own_task"
    async with context.db.transaction() as tx:
        recorded = await tasks.mark_done(tx, task.id, context.user.id, now)
        if recorded and task.assigned_by != context.user.id:
            lang = await language_of(tx, task.assigned_by, context.settings.language)
            notice = owner_views.done_notice(lang, task, me.full_name)
            await outbox_store.enqueue(
                tx,
                rules.batch(task.id, "done", context.user.id),
                [(task.assigned_by, {"kind": "text", "text": notice})],
                now,
            )
    if not recorded:  # tapped again, or the same tap replayed: done once, nothing sent twice
        await answer_tap(update.callback_query, owner_views.already_done(context.lang))
        return
    context.services.outbox.wake()
    await answer_tap(update.callback_query)
    await answer(update, *owner_views.done_recorded(context.lang, task))


async def begin_help(update: Update, context: RembugContext) -> str | int:
    """🙋 Need help (``tk1:help:<task>``): ask for a short note (or Skip)."""
    task = await _own_task(update, context, Step.HELP)
    if task is None:
        return ConversationHandler.END
    me = task.owner(context.user.id)
    if me is not None and me.status == "done":
        await answer_tap(update.callback_query, owner_views.already_done(context.lang), show_alert=True)
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, HELP_FLOW)
        await drafts.save_draft_answer(tx, context.user.id, HELP_FLOW, "task", task.id, context.clock.now())
    await answer_tap(update.callback_query)
    await answer(update, *owner_views.ask_note(context.lang, task), edit=False)
    return "note"


async def receive_note(update: Update, context: RembugContext) -> str | int:
    """The note: the request for help is recorded and sent."""
    note = rules.clean_text(message_of(update).text, rules.NOTE_LIMIT)
    if note is None:
        await message_of(update).reply_text(
            context.gettext("That is too long: at most {limit} characters. Please type a shorter answer.").format(
                limit=rules.NOTE_LIMIT
            )
        )
        return "note"
    return await _ask_help(update, context, note)


async def skip_note(update: Update, context: RembugContext) -> int:
    """Skip (``tk1:skip``): the request for help goes without a note."""
    await answer_tap(update.callback_query)
    return await _ask_help(update, context, None)


async def _ask_help(update: Update, context: RembugContext, note: str | None) -> int:
    draft = await read_draft(context, HELP_FLOW)
    effect = None if "task" in draft else await replayed_effect(context, update, HELP_FLOW)
    task_id = draft.get("task") or (effect or {}).get("task")
    async with context.db.read() as conn:
        task = await tasks.get_task(conn, task_id) if task_id else None
    me = task.owner(context.user.id) if task else None
    if task is None or me is None:
        await explain_stale(update, context)
        return ConversationHandler.END
    if "task" in draft:
        now = context.clock.now()
        async with context.db.transaction() as tx:
            if await tasks.ask_help(tx, task.id, context.user.id, note, now) and task.assigned_by != context.user.id:
                lang = await language_of(tx, task.assigned_by, context.settings.language)
                notice = owner_views.help_notice(lang, task, me.full_name, note)
                batch = rules.batch(task.id, "help", context.user.id) + f":{update.update_id}"
                await outbox_store.enqueue(tx, batch, [(task.assigned_by, {"kind": "text", "text": notice})], now)
            await finish_draft(tx, update, context.user.id, HELP_FLOW, task=task.id)
        context.services.outbox.wake()
    await answer(update, *owner_views.help_recorded(context.lang, task), edit=False)
    return ConversationHandler.END


async def my_tasks(update: Update, context: RembugContext) -> None:
    """📌 My tasks (``tk1:mine:<page>``, the menu's entry): one's own open tasks."""
    if not await require(update, context, Action.DO_TASKS):
        return
    tap = await pressed(update, context, Step.MINE)
    if tap is None:
        return
    await answer_tap(update.callback_query)
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        timezone = (await clusters.load_cluster(conn, cluster_id)).timezone
        listed = await tasks.open_tasks_of_owner(conn, cluster_id, context.user.id)
    today = rules.local_today(context.clock.now(), timezone)
    await answer(update, *owner_views.my_tasks(context.lang, listed, context.user.id, today, tap.page))


async def send_reminder(due: Due, application: RembugApplication) -> str:
    """The reminder engine's handler (the day before the due day): queue the reminder for each owner
    still a member who has not done it; nothing when every owner has."""
    services = application.services
    now = services.clock.now()
    async with services.db.transaction() as tx:
        task = await tasks.get_task(tx, due.payload["task"])
        if task is None:
            raise Skip("the task is gone")
        letters = []
        for user_id in rules.still_to_do(task):
            member = await memberships.get_membership(tx, task.cluster_id, user_id)
            if member is None or not member.active:
                continue
            lang = await language_of(tx, user_id, services.settings.language)
            text, keyboard = owner_views.reminder(lang, task, user_id)
            letters.append((user_id, {"kind": "text", "text": text, "reply_markup": keyboard.to_dict()}))
        if not letters:
            raise Skip("every owner has done it")
        added = await outbox_store.enqueue(tx, rules.batch(task.id, "reminder"), letters, now)
    services.outbox.wake()
    return f"{added} reminders queued"
