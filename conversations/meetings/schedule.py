"""Scheduling a meeting: kind, topic, day, time, place, agenda, audience, capacity, review.

A named, persistent conversation; each answer is committed to the draft
(flow "meeting") the moment it is given. Creating the meeting stores it with
its invitees and hands the invitations and reminders to the reminder engine.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date, datetime
from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import ConversationHandler

from bot.audience import Allowed, Audience, PickAction, apply_pick, parse_pick, select
from bot.audience_views import PickerChoices
from bot.context import RembugContext
from bot.flows import finish_draft, read_button, read_draft, replayed_effect, save_answers, start_draft
from bot.i18n import format_local_date
from bot.permissions import require
from bot.recipients import audience_text, people_of
from bot.replies import answer, answer_tap
from bot.roles import Action, Role
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.meetings import invitations, rules
from conversations.meetings import schedule_views as views
from conversations.membership.views import use_the_buttons
from storage import clusters, committees, drafts, meetings, small_groups

FLOW = "meeting"
FIELDS = ("kind", "topic", "day", "starts_at", "place", "location", "agenda", "audience", "capacity")


async def _timezone(context: RembugContext) -> str:
    async with context.db.read() as conn:
        return (await clusters.load_cluster(conn, context.standing.current_cluster_id)).timezone


async def _allowed(context: RembugContext) -> Allowed:
    """A facilitator invites anyone (and committees that follow the cluster); a group leader their own groups."""
    if not _is_facilitator(context):
        return Allowed(whole_cluster=False, group_ids=frozenset(context.standing.led_group_ids))
    async with context.db.read() as conn:
        following = await committees.following(conn, context.standing.current_cluster_id)
    return Allowed(whole_cluster=True, committee_ids=frozenset(c.id for c in following))


def _is_facilitator(context: RembugContext) -> bool:
    return Role.FACILITATOR in context.standing.roles


async def begin(update: Update, context: RembugContext) -> str | int:
    """Check the sender may schedule, then ask the kind of meeting."""
    draft = await start_draft(update, context, Action.SCHEDULE_MEETING, FLOW, cluster_id=context.standing.cluster_id)
    return ConversationHandler.END if draft is None else await ask_next(update, context, draft)


async def ask_next(update: Update, context: RembugContext, draft: dict[str, Any]) -> str:
    """Ask the first question the draft has no answer for, or show the review."""
    lang = context.lang
    missing = next((field for field in FIELDS if field not in draft), None)
    if missing == "kind":
        await answer(update, *views.ask_kind(lang))
    elif missing == "topic":
        await answer(update, *views.ask_topic(lang))
    elif missing == "day":
        today = rules.local_today(context.clock.now(), await _timezone(context))
        await answer(update, *views.ask_date(lang, today.year, today.month, today))
    elif missing == "starts_at":
        day_text = format_local_date(date.fromisoformat(draft["day"]), lang)
        await answer(update, *views.ask_time(lang, day_text))
    elif missing == "place":
        await answer(update, *views.ask_place(lang))
    elif missing == "location":
        text, keyboard = views.ask_location(lang)
        await chat_of(update).send_message(text, reply_markup=keyboard)
    elif missing == "agenda":
        await answer(update, *views.ask_agenda(lang))
    elif missing == "audience":
        await _show_audience(update, context, Audience.from_json(draft.get("audience_choice", {})))
    elif missing == "capacity":
        await answer(update, *views.ask_capacity(lang))
    else:
        await _show_review(update, context, draft)
        return "review"
    return missing


async def _show_audience(update: Update, context: RembugContext, chosen: Audience) -> None:
    cluster_id = context.standing.current_cluster_id
    facilitator = _is_facilitator(context)
    async with context.db.read() as conn:
        groups = await small_groups.list_groups(conn, cluster_id)
        following = await committees.following(conn, cluster_id) if facilitator else []
    allowed = Allowed(whole_cluster=facilitator, group_ids=frozenset(context.standing.led_group_ids))
    choices = PickerChoices(
        whole_cluster=facilitator,
        groups=tuple((g.id, g.name) for g in groups if allowed.may_pick_group(g.id)),
        committees=tuple((c.id, c.name) for c in following),
        roles_inline=True,
    )
    await answer(update, *views.ask_audience(context.lang, chosen, choices))


async def _show_review(update: Update, context: RembugContext, draft: dict[str, Any]) -> None:
    audience = Audience.from_json(draft["audience"])
    async with context.db.read() as conn:
        invited = select(
            audience, await people_of(conn, context.standing.current_cluster_id, with_committees=True)
        ).chosen
        text_of_audience = await audience_text(conn, context.lang, audience)
    text, keyboard = views.review(
        context.lang,
        draft,
        await _timezone(context),
        text_of_audience,
        len(invited),
        editing=bool(draft.get("edit_of")),
    )
    await answer(update, text, keyboard)


async def choose_kind(update: Update, context: RembugContext) -> str:
    """Store the tapped kind."""
    tap = await read_button(update, context, rules.parse_button, rules.KindTap)
    if tap is None:
        return "kind"
    draft = await save_answers(context, FLOW, kind=tap.kind)
    await answer_tap(query_of(update))
    return await ask_next(update, context, draft)


def receive_text(field: str, limit: int) -> Callable[[Update, RembugContext], Coroutine[Any, Any, str]]:
    """A handler storing a typed answer of at most ``limit`` characters."""

    async def receive(update: Update, context: RembugContext) -> str:
        text = (
            " ".join((message_of(update).text or "").split())
            if field != "agenda"
            else (message_of(update).text or "").strip()
        )
        problem = rules.check_text(text, limit)
        if problem:
            await message_of(update).reply_text(views.problem(context.lang, problem))
            return field
        return await ask_next(update, context, await save_answers(context, FLOW, **{field: text}))

    receive.__name__ = f"receive_{field}"
    receive.__doc__ = f"Store the typed {field}."
    return receive


async def change_month(update: Update, context: RembugContext) -> str:
    """Show another month of the calendar."""
    query = query_of(update)
    tap = rules.parse_button(query.data)
    await answer_tap(query)
    if isinstance(tap, rules.MonthTap):
        today = rules.local_today(context.clock.now(), await _timezone(context))
        if rules.month_shown(tap, today):
            await answer(update, *views.ask_date(context.lang, tap.year, tap.month, today))
    return "day"


async def pick_day(update: Update, context: RembugContext) -> str:
    """Store a tapped day."""
    query = query_of(update)
    tap = rules.parse_button(query.data)
    today = rules.local_today(context.clock.now(), await _timezone(context))
    day = tap.day if isinstance(tap, rules.DayTap) else None
    if day is None or rules.check_day(day, today):
        await answer_tap(query, views.past_day(context.lang))
        return "day"
    await answer_tap(query)
    return await ask_next(update, context, await save_answers(context, FLOW, day=day.isoformat()))


async def type_day(update: Update, context: RembugContext) -> str:
    """Store a typed day (31 February and past days are refused)."""
    day, problem = rules.parse_date(message_of(update).text or "")
    problem = problem or rules.check_day(day, rules.local_today(context.clock.now(), await _timezone(context)))
    if problem or day is None:
        await message_of(update).reply_text(views.problem(context.lang, problem or rules.Problem.NOT_A_DATE))
        return "day"
    return await ask_next(update, context, await save_answers(context, FLOW, day=day.isoformat()))


async def _store_time(update: Update, context: RembugContext, text: str) -> str:
    draft = await read_draft(context, FLOW)
    start, problem = rules.check_start(
        date.fromisoformat(draft["day"]), text, await _timezone(context), context.clock.now()
    )
    if problem or start is None:
        shown = views.problem(context.lang, problem or rules.Problem.NOT_A_TIME)
        if update.callback_query:
            await answer_tap(update.callback_query, shown[:200], show_alert=True)
        else:
            await message_of(update).reply_text(shown)
        return "starts_at"
    draft = await save_answers(context, FLOW, starts_at=start.isoformat())
    if update.callback_query:
        await answer_tap(update.callback_query)
    return await ask_next(update, context, draft)


async def tap_time(update: Update, context: RembugContext) -> str:
    """A tapped time button (``mt1:t:1400``)."""
    tap = rules.parse_button(query_of(update).data)
    return await _store_time(update, context, tap.text if isinstance(tap, rules.TimeTap) else "")


async def type_time(update: Update, context: RembugContext) -> str:
    """A typed time such as 14.30."""
    return await _store_time(update, context, message_of(update).text or "")


async def receive_location(update: Update, context: RembugContext) -> str:
    """A shared map location."""
    location = message_of(update).location
    await message_of(update).reply_text(context.gettext("Noted."), reply_markup=ReplyKeyboardRemove())
    if location is None:  # the state's filter lets only locations through
        return await ask_next(update, context, await save_answers(context, FLOW, location=False))
    draft = await save_answers(context, FLOW, location=True, latitude=location.latitude, longitude=location.longitude)
    return await ask_next(update, context, draft)


async def skip_location(update: Update, context: RembugContext) -> str:
    """Skip, or any text, at the location question."""
    await message_of(update).reply_text(context.gettext("Noted."), reply_markup=ReplyKeyboardRemove())
    return await ask_next(update, context, await save_answers(context, FLOW, location=False))


async def skip_agenda(update: Update, context: RembugContext) -> str:
    """No agenda."""
    await answer_tap(update.callback_query)
    return await ask_next(update, context, await save_answers(context, FLOW, agenda=""))


async def choose_audience(update: Update, context: RembugContext) -> str:
    """Toggle a part of the audience, or finish choosing (the picker of ``bot.audience``)."""
    query = query_of(update)
    pick = parse_pick(query.data, rules.PREFIX)
    draft = await read_draft(context, FLOW)
    chosen = Audience.from_json(draft.get("audience_choice", {}))
    if pick is not None and pick.action is PickAction.DONE:
        if chosen.empty:
            await answer_tap(query, views.nobody_invited(context.lang), show_alert=True)
            return "audience"
        await answer_tap(query)
        return await ask_next(update, context, await save_answers(context, FLOW, audience=chosen.to_json()))
    changed = apply_pick(chosen, pick, await _allowed(context)) if pick is not None else None
    if changed is None:
        await explain_stale(update, context)
        return "audience"
    await save_answers(context, FLOW, audience_choice=changed.to_json())
    await answer_tap(query)
    await _show_audience(update, context, changed)
    return "audience"


async def type_capacity(update: Update, context: RembugContext) -> str:
    """A typed capacity."""
    capacity, problem = rules.parse_capacity(message_of(update).text or "")
    if problem:
        await message_of(update).reply_text(views.problem(context.lang, problem))
        return "capacity"
    return await ask_next(update, context, await save_answers(context, FLOW, capacity=capacity))


async def no_capacity(update: Update, context: RembugContext) -> str:
    """No limit."""
    await answer_tap(update.callback_query)
    return await ask_next(update, context, await save_answers(context, FLOW, capacity=0))


async def toggle_reminder(update: Update, context: RembugContext) -> str:
    """Turn one reminder time on or off on the review."""
    query = query_of(update)
    tap = rules.parse_button(query.data)
    if isinstance(tap, rules.ReminderTap):
        draft = await read_draft(context, FLOW)
        offsets = rules.toggle(tuple(draft.get("reminders", rules.DEFAULT_REMINDERS)), tap.minutes)
        draft = await save_answers(context, FLOW, reminders=list(offsets))
        await _show_review(update, context, draft)
    await answer_tap(query)
    return "review"


async def create(update: Update, context: RembugContext) -> int | str:
    """Create the meeting (or save an edit), then hand invitations and reminders to the reminder engine."""
    query = query_of(update)
    if not await require(update, context, Action.SCHEDULE_MEETING):
        return ConversationHandler.END
    done = await replayed_effect(context, update, FLOW)
    if done is not None:  # created before a crash: show it again
        await answer_tap(query)
        await invitations.show_meeting(
            update, context, done["meeting"], intro=invitations.created_intro(context.lang, done["invited"])
        )
        return ConversationHandler.END
    draft = await read_draft(context, FLOW)
    if not draft or "capacity" not in draft:
        await explain_stale(update, context)
        return ConversationHandler.END
    starts_at = datetime.fromisoformat(draft["starts_at"])
    if rules.check_future(starts_at, context.clock.now()):
        # Time passed while the review stood open: ask the day and time again.
        async with context.db.transaction() as tx:
            fresh = await drafts.forget_answers(tx, context.user.id, FLOW, ("day", "starts_at"), context.clock.now())
        await answer_tap(query, views.problem(context.lang, rules.Problem.IN_THE_PAST)[:200], show_alert=True)
        return await ask_next(update, context, fresh)
    audience = Audience.from_json(draft["audience"])
    async with context.db.transaction() as tx:
        invited = select(audience, await people_of(tx, draft["cluster_id"], with_committees=True)).chosen
        meeting, new = await meetings.create_meeting(
            tx,
            cluster_id=draft["cluster_id"],
            kind=draft["kind"],
            topic=draft["topic"],
            starts_at=starts_at,
            place=draft["place"],
            latitude=draft.get("latitude"),
            longitude=draft.get("longitude"),
            agenda=draft.get("agenda") or None,
            audience=audience.to_json(),
            capacity=draft.get("capacity") or None,
            reminders=tuple(draft.get("reminders", rules.DEFAULT_REMINDERS)),
            checkin_code=rules.new_checkin_code(),
            organiser_id=context.user.id,
            invitee_ids=invited,
            now=context.clock.now(),
            source_update_id=update.update_id,
        )
        if new:
            await invitations.plan_invitations(
                tx, meeting, invited, context.clock.now(), default_language=context.settings.language
            )
        await finish_draft(tx, update, context.user.id, FLOW, meeting=meeting.id, invited=len(invited))
    context.services.reminders.wake()
    context.services.outbox.wake()
    await answer_tap(query)
    await invitations.show_meeting(
        update, context, meeting.id, intro=invitations.created_intro(context.lang, len(invited))
    )
    return ConversationHandler.END


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Text where a button is expected."""
    await message_of(update).reply_text(use_the_buttons(context.lang))


async def noop(update: Update, context: RembugContext) -> None:
    """A calendar heading: nothing to do."""
    await answer_tap(update.callback_query)


async def past(update: Update, context: RembugContext) -> None:
    """A greyed-out day."""
    await answer_tap(update.callback_query, views.past_day(context.lang))
