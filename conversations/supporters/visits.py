"""Recording a visit or call (a facilitator): who (a supporter or a member firm), visit or call, the
day, what was agreed, the next step and its day. The next step is a due message (reminder engine,
key ``visit:<id>:next``) to whoever recorded it, at 08.00 on its day in the cluster's zone."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers, start_draft
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import message_of
from conversations.newsletter.rules import joined_ids
from conversations.supporters import listing, rules, visit_views
from conversations.supporters.rules import Step
from storage import clusters, firms, memberships, supporters, visits
from storage import reminders as due_messages
from storage.reminders import Due

FLOW = "visit"
NEXT_STEP = "supporters.next_step"


async def _start(update: Update, context: RembugContext, **who) -> bool:
    draft = await start_draft(
        update, context, Action.MANAGE_SUPPORTERS, FLOW, cluster_id=context.standing.cluster_id, **who
    )
    return draft is not None


async def begin(update: Update, context: RembugContext) -> str | int:
    """📞 Record a visit or call (``sp1:vis:<page>``): who was it, a page of supporters and members."""
    tap = await listing.pressed(update, context, Action.MANAGE_SUPPORTERS, Step.VISIT)
    if tap is None or not await _start(update, context):
        return ConversationHandler.END
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        listed = await supporters.confirmed_supporters(conn, cluster_id)
        members, _total = await memberships.directory(conn, cluster_id)
        on_list = await firms.list_firms(conn, cluster_id)
    joined = joined_ids([(f.id, f.name, f.contact) for f in on_list], [(m.full_name, m.phone) for m in members])
    others = [f for f in on_list if f.id not in joined]  # a firm that joined is visited as its member
    await answer(update, *visit_views.pick_who(context.lang, listed, members, others, tap.page))
    return "who"


async def _ask_kind(update: Update, context: RembugContext, who: str) -> str:
    await answer(update, *visit_views.ask_kind(context.lang, who))
    return "kind"


async def begin_with_supporter(update: Update, context: RembugContext) -> str | int:
    """A supporter picked (``sp1:vs:<id>``, from the list or its page): visit or call?"""
    tap = await listing.pressed(update, context, Action.MANAGE_SUPPORTERS, Step.VISIT_SUPPORTER)
    supporter = await listing.supporter_of(update, context, tap) if tap else None
    if supporter is None or not await _start(update, context, supporter_id=supporter.id, who=supporter.name):
        return ConversationHandler.END
    return await _ask_kind(update, context, supporter.name)


async def begin_with_member(update: Update, context: RembugContext) -> str | int:
    """A member firm picked (``sp1:vm:<user>``): visit or call?"""
    tap = await listing.pressed(update, context, Action.MANAGE_SUPPORTERS, Step.VISIT_MEMBER)
    if tap is None:
        return ConversationHandler.END
    async with context.db.read() as conn:
        member = await memberships.get_membership(conn, context.standing.current_cluster_id, tap.number or 0)
    if member is None or not member.active:
        await explain_stale(update, context)
        return ConversationHandler.END
    if not await _start(update, context, member_id=member.user_id, who=member.full_name):
        return ConversationHandler.END
    return await _ask_kind(update, context, member.full_name)


async def begin_with_firm(update: Update, context: RembugContext) -> str | int:
    """A firm of the firm list picked (``sp1:vf:<firm>``): visit or call?"""
    tap = await listing.pressed(update, context, Action.MANAGE_SUPPORTERS, Step.VISIT_FIRM)
    if tap is None:
        return ConversationHandler.END
    async with context.db.read() as conn:
        on_list = await firms.list_firms(conn, context.standing.current_cluster_id)
    firm = next((f for f in on_list if f.id == tap.number), None)
    if firm is None:
        await explain_stale(update, context)
        return ConversationHandler.END
    if not await _start(update, context, firm_id=firm.id, who=firm.name):
        return ConversationHandler.END
    return await _ask_kind(update, context, firm.name)


async def begin_follow_up(update: Update, context: RembugContext) -> str | int:
    """📞 Record the follow-up (``sp1:fu:<visit>``, under the next step's reminder): the same person again."""
    tap = await listing.pressed(update, context, Action.MANAGE_SUPPORTERS, Step.FOLLOW_UP)
    if tap is None:
        return ConversationHandler.END
    async with context.db.read() as conn:
        earlier = await visits.get_visit(conn, tap.number or 0)
    if earlier is None or earlier.cluster_id != context.standing.cluster_id:
        await explain_stale(update, context)
        return ConversationHandler.END
    who = {
        key: value
        for key, value in (
            ("supporter_id", earlier.supporter_id),
            ("member_id", earlier.member_id),
            ("firm_id", earlier.firm_id),
        )
        if value is not None
    }
    if not await _start(update, context, **who, who=earlier.who, follow_up_of=earlier.id):
        return ConversationHandler.END
    return await _ask_kind(update, context, earlier.who)


async def choose_kind(update: Update, context: RembugContext) -> str:
    """Visit or call; then the day."""
    tap = await listing.pressed(update, context, Action.MANAGE_SUPPORTERS, Step.VISIT_KIND)
    if tap is None:
        return "kind"
    await save_answers(context, FLOW, kind=tap.key)
    await answer_tap(update.callback_query)
    await answer(update, *visit_views.ask(context.lang, "day"))
    return "day"


def _today(context: RembugContext, timezone: str) -> date:
    return rules.local_today(context.clock.now(), timezone)


async def _zone(context: RembugContext) -> str:
    async with context.db.read() as conn:
        return (await clusters.load_cluster(conn, context.standing.current_cluster_id)).timezone


async def _day_chosen(update: Update, context: RembugContext, day: date) -> str:
    await save_answers(context, FLOW, visited_on=day.isoformat())
    await answer(update, *visit_views.ask(context.lang, "agreed"), edit=False)
    return "agreed"


async def choose_day(update: Update, context: RembugContext) -> str:
    """Today or yesterday; then what was agreed."""
    tap = await listing.pressed(update, context, Action.MANAGE_SUPPORTERS, Step.DAY)
    if tap is None:
        return "day"
    await answer_tap(update.callback_query)
    return await _day_chosen(update, context, _today(context, await _zone(context)) - timedelta(days=tap.number or 0))


async def type_day(update: Update, context: RembugContext) -> str:
    """A typed date (not in the future, within a year); then what was agreed."""
    today = _today(context, await _zone(context))
    day = rules.read_date(message_of(update).text, today)
    why = "no_date" if day is None else rules.visit_day_problem(day, today)
    if day is None or why:
        await message_of(update).reply_text(visit_views.problem(context.lang, why or "no_date"))
        return "day"
    return await _day_chosen(update, context, day)


async def receive_agreed(update: Update, context: RembugContext) -> str:
    """What was agreed; then the next step (or Skip)."""
    agreed = rules.clean_text(message_of(update).text, rules.AGREED_LIMIT)
    if agreed is None:
        await message_of(update).reply_text(visit_views.problem(context.lang, "empty"))
        return "agreed"
    await save_answers(context, FLOW, agreed=agreed)
    await answer(update, *visit_views.ask(context.lang, "next_step"))
    return "next_step"


async def receive_next_step(update: Update, context: RembugContext) -> str:
    """The next step; then its day."""
    step = rules.clean_text(message_of(update).text, rules.AGREED_LIMIT)
    if step is None:
        await message_of(update).reply_text(visit_views.problem(context.lang, "empty"))
        return "next_step"
    await save_answers(context, FLOW, next_step=step)
    await answer(update, *visit_views.ask(context.lang, "next_on"))
    return "next_on"


async def skip_next_step(update: Update, context: RembugContext) -> int:
    """No next step: the visit is recorded."""
    await answer_tap(update.callback_query)
    return await _save(update, context, None)


async def choose_next_day(update: Update, context: RembugContext) -> str | int:
    """In a week / in two weeks (after the visit's day): the visit is recorded."""
    tap = await listing.pressed(update, context, Action.MANAGE_SUPPORTERS, Step.NEXT_DAY)
    draft = await read_draft(context, FLOW)
    if tap is None or "visited_on" not in draft:
        return "next_on"
    await answer_tap(update.callback_query)
    return await _save(update, context, date.fromisoformat(draft["visited_on"]) + timedelta(days=tap.number or 0))


async def type_next_day(update: Update, context: RembugContext) -> str | int:
    """A typed date for the next step (not before the visit, within a year): the visit is recorded."""
    draft = await read_draft(context, FLOW)
    visited = date.fromisoformat(draft.get("visited_on") or _today(context, await _zone(context)).isoformat())
    day = rules.read_date(message_of(update).text, visited)
    why = "no_date" if day is None else rules.next_day_problem(day, visited)
    if day is None or why:
        await message_of(update).reply_text(visit_views.problem(context.lang, why or "no_date"))
        return "next_on"
    return await _save(update, context, day)


async def _save(update: Update, context: RembugContext, next_on: date | None) -> int:
    """Store the visit and, with a next step, its due message, in one transaction; then say so."""
    draft = await read_draft(context, FLOW)
    if "agreed" not in draft:
        effect = await replayed_effect(context, update, FLOW)
        async with context.db.read() as conn:
            again = await visits.get_visit(conn, effect["visit"]) if effect else None
        if again is None:
            await explain_stale(update, context)
        else:
            await answer(update, *visit_views.saved(context.lang, again, bool(again.next_step)), edit=False)
        return ConversationHandler.END
    fields = {**draft, "next_on": next_on.isoformat() if next_on else None}
    if next_on is None:
        fields.pop("next_step", None)
    now = context.clock.now()
    async with context.db.transaction() as tx:
        cluster = await clusters.load_cluster(tx, draft["cluster_id"])
        visit, _new = await visits.record_visit(tx, cluster.id, fields, context.user.id, now, update.update_id)
        if visit.next_step and visit.next_on:
            await due_messages.schedule(
                tx,
                rules.reminder_key(visit.id),
                NEXT_STEP,
                rules.next_step_due(visit.next_on, cluster.timezone),
                {"visit": visit.id, "user": context.user.id},
                now,
            )
        await finish_draft(tx, update, context.user.id, FLOW, visit=visit.id)
    context.services.reminders.wake()
    await answer(update, *visit_views.saved(context.lang, visit, bool(visit.next_step)), edit=False)
    return ConversationHandler.END


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Text where the step asks for a button."""
    await message_of(update).reply_text(context.gettext("Please choose with the buttons below."))


async def send_next_step(due: Due, application: RembugApplication) -> str:
    """The reminder engine's handler: the next step's day has come; the button records the follow-up."""
    db = application.services.db
    async with db.read() as conn:
        visit = await visits.get_visit(conn, due.payload["visit"])
        if visit is None:
            raise Skip("the visit is gone")
        member = await memberships.get_membership(conn, visit.cluster_id, due.payload["user"])
        if member is None or not member.active or not member.is_facilitator:
            raise Skip("no longer a facilitator of the cluster")
        lang = await language_of(conn, due.payload["user"], application.services.settings.language)
    text, keyboard = visit_views.next_step_due(lang, visit)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "next step reminded"
