"""Setting the dues (the treasurer or a facilitator): the amount in whole rupiah, monthly or yearly,
from which month. New dues are in force at once, and book their first overdue reminder."""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers, start_draft
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import message_of
from conversations.dues import ledger, reminding, rules, views
from conversations.dues.home import pressed
from conversations.dues.rules import Step
from storage import clusters, dues

FLOW = "dues_set"


async def begin(update: Update, context: RembugContext) -> str | int:
    """⚙️ Set the dues (``du1:set``): how much?"""
    if await pressed(update, context, Action.MANAGE_DUES, Step.SET) is None:
        return ConversationHandler.END
    if await start_draft(update, context, Action.MANAGE_DUES, FLOW, cluster_id=context.standing.cluster_id) is None:
        return ConversationHandler.END
    await answer(update, *views.ask_amount(context.lang))
    return "amount"


async def receive_amount(update: Update, context: RembugContext) -> str:
    """The typed amount; then monthly or yearly."""
    amount = rules.parse_amount(message_of(update).text)
    if amount is None:
        await message_of(update).reply_text(views.bad_amount(context.lang))
        return "amount"
    await save_answers(context, FLOW, amount=amount)
    await answer(update, *views.ask_cadence(context.lang, amount))
    return "cadence"


async def choose_cadence(update: Update, context: RembugContext) -> str:
    """Monthly or yearly; then the first month."""
    tap = await pressed(update, context, Action.MANAGE_DUES, Step.CADENCE)
    if tap is None:
        return "cadence"
    await save_answers(context, FLOW, cadence=tap.key)
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        zone = (await clusters.load_cluster(conn, context.standing.current_cluster_id)).timezone
    today = ledger.local_day(context.clock.now(), zone)
    await answer(update, *views.ask_start(context.lang, rules.start_choices(today)))
    return "start"


async def choose_start(update: Update, context: RembugContext) -> int | str:
    """The first month: the dues are stored, in force at once, and their first reminder booked."""
    tap = await pressed(update, context, Action.MANAGE_DUES, Step.START)
    if tap is None:
        return "start"
    draft = await read_draft(context, FLOW)
    if "cadence" not in draft or draft.get("cluster_id") != context.standing.cluster_id:
        effect = await replayed_effect(context, update, FLOW)
        async with context.db.read() as conn:
            again = await dues.get_terms(conn, effect["terms"]) if effect else None
        if again is None:
            await explain_stale(update, context)
        else:
            await answer_tap(update.callback_query)
            await answer(update, *views.terms_set(context.lang, ledger.terms_of(again)))
        return ConversationHandler.END
    now = context.clock.now()
    starts_on: date = tap.period or now.date()
    async with context.db.transaction() as tx:
        cluster = await clusters.load_cluster(tx, draft["cluster_id"])
        stored, new = await dues.set_terms(
            tx,
            cluster.id,
            amount=draft["amount"],
            cadence=draft["cadence"],
            starts_on=starts_on,
            set_by=context.user.id,
            now=now,
            source_update_id=update.update_id,
        )
        found = await ledger.ledger_of(tx, cluster.id, now)
        if new and found is not None:
            await reminding.plan_reminders(tx, found, now)
        await finish_draft(tx, update, context.user.id, FLOW, terms=stored.id)
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await answer(update, *views.terms_set(context.lang, ledger.terms_of(stored)))
    return ConversationHandler.END


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Text where the step asks for a button."""
    await message_of(update).reply_text(context.gettext("Please choose with the buttons below."))
