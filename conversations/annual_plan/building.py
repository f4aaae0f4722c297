"""The facilitator builds the year: adds a training or a study tour (name, then a month or the dates),
ticks the months a regular coordination meeting is intended, and removes what was added."""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers, start_draft
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import message_of, query_of
from conversations.annual_plan import views
from conversations.annual_plan.calendar import show_year, year_tap
from conversations.annual_plan.rules import (
    EVENT_KINDS,
    TITLE_LIMIT,
    coordination,
    intended_months,
    parse_days,
    parse_tap,
)
from conversations.membership.views import use_the_buttons
from conversations.organisation.rules import clean_text
from conversations.organisation.views import typed_problem
from storage import annual_plans

FLOW = "annual_plan_event"
TITLE, WHEN = "event_title", "event_when"


async def begin_add(update: Update, context: RembugContext) -> str | int:
    """Ask the name of a training or a study tour (``ap1:add:<year>:<kind>``)."""
    tap = parse_tap(query_of(update).data)
    if tap is None:
        await explain_stale(update, context)
        return ConversationHandler.END
    kind = EVENT_KINDS[tap.second]
    cluster_id = context.standing.current_cluster_id if context.standing.cluster_id else 0
    if (
        await start_draft(update, context, Action.PLAN_YEAR, FLOW, cluster_id=cluster_id, year=tap.first, kind=kind)
        is None
    ):
        return ConversationHandler.END
    await answer(update, *views.ask_title(context.lang, kind, tap.first))
    return TITLE


async def receive_title(update: Update, context: RembugContext) -> str:
    """The typed name: keep it and ask the month or the dates."""
    title, problem = clean_text(message_of(update).text, TITLE_LIMIT)
    if title is None:
        await message_of(update).reply_text(typed_problem(context.lang, problem or "empty", TITLE_LIMIT))
        return TITLE
    draft = await save_answers(context, FLOW, title=title)
    text, keyboard = views.ask_month(context.lang, draft["kind"], title, draft["year"])
    await message_of(update).reply_text(text, reply_markup=keyboard)
    return WHEN


async def _store(update: Update, context: RembugContext, month: int, days: tuple[date, date] | None) -> int:
    """Add the event the draft describes (once per update) and show the year's page."""
    done = await replayed_effect(context, update, FLOW)
    draft = await read_draft(context, FLOW)
    if done is None and (not draft.get("title") or draft.get("cluster_id") != context.standing.cluster_id):
        await explain_stale(update, context)
        return ConversationHandler.END
    event: annual_plans.Event | None
    if done is None:
        async with context.db.transaction() as tx:
            event = await annual_plans.add_event(
                tx,
                draft["cluster_id"],
                draft["year"],
                draft["kind"],
                draft["title"],
                month,
                days,
                context.user.id,
                context.clock.now(),
                update.update_id,
            )
            await finish_draft(tx, update, context.user.id, FLOW, event=event.id)
    else:
        async with context.db.read() as conn:
            event = await annual_plans.get_event(conn, done["event"])
    if update.callback_query:
        await answer_tap(update.callback_query)
    intro = views.added(context.lang, event.activity) if event else None
    await show_year(update, context, draft.get("year") or (event.year if event else 0), intro)
    return ConversationHandler.END


async def pick_month(update: Update, context: RembugContext) -> int:
    """Some time in the tapped month (``ap1:mo:<month>``)."""
    tap = parse_tap(query_of(update).data)
    if tap is None:
        await explain_stale(update, context)
        return ConversationHandler.END
    return await _store(update, context, tap.first, None)


async def receive_dates(update: Update, context: RembugContext) -> str | int:
    """Typed dates (``12-14/3``): the event spans them."""
    draft = await read_draft(context, FLOW)
    days = parse_days(message_of(update).text, draft.get("year", 0)) if draft.get("year") else None
    if days is None:
        await message_of(update).reply_text(views.dates_not_understood(context.lang))
        return WHEN
    return await _store(update, context, days[0].month, days)


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Something other than what the step asks for."""
    await message_of(update).reply_text(use_the_buttons(context.lang))


async def show_coordination(update: Update, context: RembugContext) -> None:
    """The months a regular coordination meeting is intended (``ap1:rg:<year>``)."""
    tap = await year_tap(update, context, Action.PLAN_YEAR)
    if tap is None:
        return
    await _coordination_page(update, context, tap.first)


async def _coordination_page(update: Update, context: RembugContext, year: int) -> None:
    async with context.db.read() as conn:
        activities = await annual_plans.plan_activities(conn, context.standing.current_cluster_id, year)
    await answer_tap(update.callback_query)
    await answer(
        update, *views.coordination_page(context.lang, year, intended_months(activities), coordination(activities))
    )


async def toggle_month(update: Update, context: RembugContext) -> None:
    """Tick or untick a month (``ap1:rt:<year>:<month>``); a replayed tap changes nothing."""
    tap = await year_tap(update, context, Action.PLAN_YEAR)
    if tap is None:
        return
    async with context.db.transaction() as tx:
        await annual_plans.toggle_coordination(
            tx,
            context.standing.current_cluster_id,
            tap.first,
            tap.second,
            context.gettext("Regular coordination meeting"),
            context.user.id,
            context.clock.now(),
            update.update_id,
        )
    await _coordination_page(update, context, tap.first)


async def show_events(update: Update, context: RembugContext, intro: str | None = None, year: int = 0) -> None:
    """The trainings and study tours added, to remove one (``ap1:ev:<year>``)."""
    if not year:
        tap = await year_tap(update, context, Action.PLAN_YEAR)
        if tap is None:
            return
        year = tap.first
    async with context.db.read() as conn:
        events = await annual_plans.events_of(conn, context.standing.current_cluster_id, year)
    await answer_tap(update.callback_query)
    await answer(update, *views.events_page(context.lang, year, events, intro))


async def remove(update: Update, context: RembugContext) -> None:
    """Take a training or a study tour off the year (``ap1:rm:<event>``)."""
    tap = await year_tap(update, context, Action.PLAN_YEAR)
    if tap is None:
        return
    async with context.db.transaction() as tx:
        event = await annual_plans.get_event(tx, tap.first)
        mine = event is not None and event.cluster_id == context.standing.cluster_id
        removed = (
            mine
            and event is not None
            and await annual_plans.remove_event(tx, event.id, context.clock.now(), update.update_id)
        )
    if not removed or event is None:  # another cluster's, or removed already (the stale engine says which)
        await explain_stale(update, context)
        return
    await show_events(update, context, views.removed(context.lang, event.title), event.year)
