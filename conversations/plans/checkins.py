"""Check-ins (PDCA "Do"): prompts on the plan's cadence, snooze, overdue reminders, escalation.

Everything timed goes through the reminder engine with keys
``plan:act:<activity>:<period>:<what>``: ``prompt`` at the period's first day at
the owner's hour (it also books the period's ``overdue`` and ``end`` and the
next period's ``prompt``), ``snooze:<time>`` after a snooze, ``overdue`` a few
days in, ``end`` at the period's end (the facilitator hears of the second miss
in a row).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiosqlite
from telegram import Document, PhotoSize, Update, Voice
from telegram.ext import ApplicationHandlerStop

from bot.audience import Audience, select
from bot.context import RembugContext
from bot.form_dialog import Subject
from bot.outbox import send_texts
from bot.permissions import require
from bot.recipients import language_of, people_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import message_of, query_of
from conversations.plans import evidence_views, notices, rules
from conversations.plans.access import start_form, tap_of
from storage import action_plans as plans
from storage import clusters, drafts, memberships, plan_checkins
from storage import reminders as due_messages
from storage.action_plans import Activity, Plan
from storage.forms import Response
from storage.memberships import Membership
from storage.reminders import Due

PROMPT, AGAIN, OVERDUE, PERIOD_END = "plan.checkin", "plan.again", "plan.overdue", "plan.period_end"
EVIDENCE = "plan_evidence"


def _key(activity_id: int, period: date, what: str) -> str:
    return f"plan:act:{activity_id}:{period.isoformat()}:{what}"


async def _zone(conn: aiosqlite.Connection, plan: Plan) -> str:
    return (await clusters.load_cluster(conn, plan.cluster_id)).timezone


def _anchor(plan: Plan, activity: Activity) -> date:
    return plan.starts_on or activity.starts_on


async def schedule_activity(tx: aiosqlite.Connection, plan: Plan, activity: Activity, now: datetime) -> None:
    """Book the first check-in prompt of an activity with an owner on a published plan."""
    if activity.owner_id is None or activity.first_period is not None:
        return
    zone = await _zone(tx, plan)
    first = rules.first_prompt_period(
        now, activity.starts_on, activity.ends_on, plan.cadence, _anchor(plan, activity), activity.checkin_hour, zone
    )
    if first is None:
        return
    await plans.update_activity(tx, activity.id, first_period=first.isoformat())
    await _book_prompt(tx, plan, activity, first, zone, now)


async def _book_prompt(
    tx: aiosqlite.Connection, plan: Plan, activity: Activity, period: date, zone: str, now: datetime
) -> None:
    # No expiry: after downtime a late prompt still books the next period (and is skipped when its period is over).
    await due_messages.schedule(
        tx,
        _key(activity.id, period, "prompt"),
        PROMPT,
        rules.prompt_at(period, activity.checkin_hour, zone),
        {"activity": activity.id, "period": period.isoformat()},
        now,
    )


async def cancel_plan(tx: aiosqlite.Connection, plan_id: int, now: datetime) -> None:
    """No more check-in messages for a closed plan."""
    for activity in await plans.activities_of(tx, plan_id):
        await due_messages.cancel(tx, f"plan:act:{activity.id}:", now)
    await due_messages.cancel(tx, f"plan:{plan_id}:", now)


# -- the reminder engine's handlers -------------------------------------------------------------


async def _situation(conn: aiosqlite.Connection, due: Due) -> tuple[Activity, Plan, date, Membership | None]:
    activity = await plans.load_activity(conn, due.payload["activity"])
    plan = await plans.load_plan(conn, activity.plan_id)
    period = date.fromisoformat(due.payload["period"])
    owner = await memberships.get_membership(conn, plan.cluster_id, activity.owner_id) if activity.owner_id else None
    return activity, plan, period, owner


async def _prompt_owner(application: RembugApplication, due: Due, kind: str) -> str:
    db = application.services.db
    async with db.read() as conn:
        activity, plan, period, owner = await _situation(conn, due)
        if plan.status != "published":
            raise Skip("plan not published")
        if application.services.clock.now() >= rules.period_bounds(period, plan.cadence, await _zone(conn, plan))[1]:
            raise Skip("the period is over")
        if owner is None or not owner.active:
            raise Skip("the owner left the cluster")
        if await plan_checkins.checkin_for(conn, activity.id, period):
            raise Skip("already reported in this period")
        lang = await language_of(conn, owner.user_id, application.services.settings.language)
    text, keyboard = notices.checkin_prompt(lang, kind, plan, activity, period)
    await application.bot.send_message(owner.user_id, text, reply_markup=keyboard)
    return kind


async def send_prompt(due: Due, application: RembugApplication) -> str:
    """A period's check-in prompt; first books the period's overdue and end and the next prompt."""
    db, now = application.services.db, application.services.clock.now()
    async with db.transaction() as tx:
        activity, plan, period, _owner = await _situation(tx, due)
        if plan.status == "published":
            zone = await _zone(tx, plan)
            _low, high = rules.period_bounds(period, plan.cadence, zone)
            payload = {"activity": activity.id, "period": period.isoformat()}
            await due_messages.schedule(
                tx,
                _key(activity.id, period, "overdue"),
                OVERDUE,
                rules.overdue_at(period, plan.cadence, activity.checkin_hour, zone),
                payload,
                now,
                expires_at=high,
            )
            await due_messages.schedule(tx, _key(activity.id, period, "end"), PERIOD_END, high, payload, now)
            following = rules.follows(period, plan.cadence, activity.ends_on)
            if following is not None:
                await _book_prompt(tx, plan, activity, following, zone, now)
    application.services.reminders.wake()
    return await _prompt_owner(application, due, "prompt")


async def send_again(due: Due, application: RembugApplication) -> str:
    """The prompt again after a snooze."""
    return await _prompt_owner(application, due, "again")


async def send_overdue(due: Due, application: RembugApplication) -> str:
    """A reminder that the period's check-in is overdue."""
    return await _prompt_owner(application, due, "overdue")


async def period_ended(due: Due, application: RembugApplication) -> str:
    """At a period's end: after the second miss in a row, tell the cluster's facilitators."""
    db = application.services.db
    async with db.read() as conn:
        activity, plan, period, _owner = await _situation(conn, due)
        if plan.status != "published":
            raise Skip("plan not published")
        checked = {c.period_start for c in await plan_checkins.checkins_of_activity(conn, activity.id)}
        periods = rules.periods_between(activity.first_period or period, period, plan.cadence)
        if not rules.escalate(periods, checked):
            raise Skip(f"{rules.misses_in_a_row(periods, checked)} missed in a row")
        chosen = select(Audience(roles=("facilitator",)), await people_of(conn, plan.cluster_id)).chosen
        facilitators = [(uid, await language_of(conn, uid, application.services.settings.language)) for uid in chosen]
    await send_texts(
        application,
        f"plan-prompt:{due.key}",
        [(uid, notices.missed_twice(lang, plan, activity), None) for uid, lang in facilitators],
    )
    return f"told {len(facilitators)} facilitator(s)"


# -- the owner's buttons ---------------------------------------------------------------------------


async def _owned(update: Update, context: RembugContext) -> tuple[Activity, Plan, rules.PeriodTap] | None:
    """The activity and period named by ``pl1:<x>:<activity>:<period>``, when the sender owns it."""
    if not await require(update, context, Action.REPORT_PROGRESS):
        return None
    tap = await tap_of(update, context, rules.PeriodTap)
    if tap is None:
        return None
    async with context.db.read() as conn:
        activity = await plans.get_activity(conn, tap.activity_id)
        plan = await plans.get_plan(conn, activity.plan_id) if activity else None
    refusal = rules.period_refusal(
        activity.owner_id if activity else None,
        context.user.id,
        plan.cluster_id if plan else None,
        context.standing.cluster_id,
        plan.status if plan else None,
    )
    if refusal is rules.PeriodRefusal.NOT_PUBLISHED:
        await answer_tap(update.callback_query, notices.plan_closed(context.lang), show_alert=True)
        return None
    if refusal is not None or activity is None or plan is None:
        await explain_stale(update, context)
        return None
    return activity, plan, tap


async def report(update: Update, context: RembugContext) -> None:
    """Start the period's check-in (``pl1:ci:<activity>:<period>``); a second one is refused."""
    owned = await _owned(update, context)
    if owned is None:
        return
    activity, _plan, tap = owned
    period = tap.period
    subject = f"plancheckin:{activity.id}:{period.isoformat()}"
    async with context.db.read() as conn:
        done = await plan_checkins.checkin_for(conn, activity.id, period)
    if done is not None:
        await answer_tap(update.callback_query, notices.already_reported(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query)
    await start_form(update, context, "plan_checkin", subject, None if activity.indicator_id else {"value": None})


async def snooze(update: Update, context: RembugContext) -> None:
    """Ask again later today or tomorrow (``pl1:sz:<activity>:<period>:<t|m>``)."""
    owned = await _owned(update, context)
    if owned is None:
        return
    activity, plan, tap = owned
    period, choice = tap.period, tap.snooze
    if choice is None:
        await explain_stale(update, context)
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        zone = await _zone(tx, plan)
        when = rules.snooze_until(now, choice, activity.checkin_hour, zone)
        await due_messages.schedule(
            tx,
            _key(activity.id, period, f"snooze:{when.isoformat(timespec='minutes')}"),
            AGAIN,
            when,
            {"activity": activity.id, "period": period.isoformat()},
            now,
        )
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await answer(update, notices.snoozed(context.lang, when, zone))


async def choose_hour(update: Update, context: RembugContext) -> None:
    """The hour the owner is asked at (``pl1:hr:<activity>:<period>``, then ``pl1:hs:<activity>:<period>:<hour>``)."""
    owned = await _owned(update, context)
    if owned is None:
        return
    activity, plan, tap = owned
    period, hour = tap.period, tap.hour
    if tap.key == "hr":
        await answer_tap(update.callback_query)
        await answer(update, *notices.hour_choice(context.lang, activity, period))
        return
    if hour is None:
        await explain_stale(update, context)
        return
    async with context.db.transaction() as tx:
        await plans.update_activity(tx, activity.id, checkin_hour=hour)
        zone = await _zone(tx, plan)
        for due in await due_messages.list_by_prefix(tx, f"plan:act:{activity.id}:"):
            if due.status == "pending" and due.kind == PROMPT:
                start = date.fromisoformat(due.payload["period"])
                await due_messages.reschedule(tx, due.key, rules.prompt_at(start, hour, zone), due.expires_at)
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await answer(update, *notices.hour_saved(context.lang, hour, zone, activity, period))


async def my_activities(update: Update, context: RembugContext) -> None:
    """The sender's activities and a way to report on each (``pl1:mine``)."""
    if not await require(update, context, Action.REPORT_PROGRESS):
        return
    cluster_id = context.standing.current_cluster_id
    await answer_tap(update.callback_query)
    now = context.clock.now()
    rows = []
    async with context.db.read() as conn:
        for activity in await plans.activities_of_owner(conn, cluster_id, context.user.id):
            plan = await plans.load_plan(conn, activity.plan_id)
            if plan.status == "draft":
                continue
            zone = await _zone(conn, plan)
            today = now.astimezone(ZoneInfo(zone)).date()
            period = rules.period_start(today, plan.cadence, _anchor(plan, activity))
            history = await plan_checkins.checkins_of_activity(conn, activity.id)
            rows.append(
                (
                    plan,
                    activity,
                    period if plan.status == "published" else None,
                    history[-1] if history else None,
                    any(c.period_start == period for c in history),
                )
            )
    await answer(update, *notices.my_activities(context.lang, rows))


# -- the check-in form's hooks (subjects ``plancheckin:<activity>:<period>``) ----------------


async def checkin_submitted(update: Update, context: RembugContext, response: Response) -> None:
    """Store the check-in; then invite a photo or voice note as evidence."""
    _kind, activity_id, period = response.subject.split(":")
    now = context.clock.now()
    async with context.db.transaction() as tx:
        activity = await plans.load_activity(tx, int(activity_id))
        stored = await plan_checkins.record_checkin(
            tx, activity.id, date.fromisoformat(period), context.user.id, response.answers, now
        )
    if stored is None:
        await answer(update, notices.already_reported(context.lang))
        return
    await answer(update, *notices.checkin_thanks(context.lang, activity, stored.id))


async def ask_evidence(update: Update, context: RembugContext) -> None:
    """📎 The owner will send a photo or voice note for a check-in (``pl1:ev:<checkin>``): the next
    one within ``rules.EVIDENCE_WINDOW`` is kept with it; other photos keep going to the flows."""
    query = query_of(update)
    tap = await tap_of(update, context, rules.EvidenceTap)
    if tap is None:
        return
    async with context.db.transaction() as tx:
        checkin = await plan_checkins.get_checkin(tx, tap.checkin_id)
        if checkin is not None and checkin.owner_id == context.user.id:
            await drafts.clear_draft(tx, context.user.id, EVIDENCE)
            await drafts.save_draft_answers(
                tx,
                context.user.id,
                EVIDENCE,
                {"checkin": checkin.id, "since": context.clock.now().isoformat()},
                context.clock.now(),
            )
    if checkin is None or checkin.owner_id != context.user.id:
        await explain_stale(update, context)
        return
    await answer_tap(query)
    await answer(update, notices.send_evidence(context.lang), edit=False)


async def receive_evidence(update: Update, context: RembugContext) -> None:
    """A photo, voice note or document sent after tapping "📎 Add a photo or voice note" is kept with the
    check-in, after the pieces sent before it; the owner is told every piece it now holds, and may send
    another within the window (each piece opens it again)."""
    message = message_of(update)
    media: PhotoSize | Voice | Document
    if message.photo:
        kind, media = "photo", message.photo[-1]
    elif message.voice:
        kind, media = "voice", message.voice
    elif message.document:
        kind, media = "document", message.document
    else:
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        draft = await drafts.get_draft(tx, context.user.id, EVIDENCE)
        since = datetime.fromisoformat(draft["since"]) if "since" in draft else None
        if not rules.evidence_expected(since, now):
            return
        pieces = await plan_checkins.add_evidence(tx, draft["checkin"], kind, media.file_id, media.file_unique_id, now)
        await drafts.save_draft_answers(tx, context.user.id, EVIDENCE, {"since": now.isoformat()}, now)
    await message.reply_text(evidence_views.evidence_saved(context.lang, [piece.kind for piece in pieces]))
    raise ApplicationHandlerStop


def subject_hooks(application: RembugApplication) -> Subject:
    """How check-in forms plug into the form dialog."""

    async def is_open(conn: aiosqlite.Connection, subject: str) -> bool:
        activity = await plans.get_activity(conn, int(subject.split(":")[1]))
        plan = await plans.get_plan(conn, activity.plan_id) if activity else None
        return plan is not None and plan.status == "published"

    async def heading(conn: aiosqlite.Connection, response: Response, lang: str) -> str:
        activity = await plans.load_activity(conn, int(response.subject.split(":")[1]))
        indicator = next(
            (i for i in await plans.indicators_of(conn, activity.plan_id) if i.id == activity.indicator_id), None
        )
        return notices.checkin_heading(lang, activity, date.fromisoformat(response.subject.split(":")[2]), indicator)

    return Subject.of("plancheckin", is_open, heading, checkin_submitted, nudge_after=None)
