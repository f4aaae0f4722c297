"""Building a plan: from the shortlist or from scratch, the nine questions, the PDM, owners, publishing."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite
from telegram import Update

from bot.audience import Audience, select
from bot.context import RembugContext
from bot.flows import confirmation_needed, confirmed_by, open_confirmation, stale_button, take_confirmation
from bot.form_dialog import Subject
from bot.permissions import require
from bot.recipients import language_of, people_of
from bot.replies import answer, answer_tap
from bot.roles import Action, allowed
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, query_of
from conversations.plans import checkins, evaluations, notices, rules, views
from conversations.plans.access import plan_in_cluster, plan_to_run, start_form, tap_of, viewable_plan
from conversations.plans.rules import date_problem
from storage import action_plans as plans
from storage import clusters, forms, memberships
from storage import outbox as outbox_store
from storage.action_plans import Activity, Indicator, Plan
from storage.forms import Response


async def show_list(update: Update, context: RembugContext) -> None:
    """The cluster's plans (``pl1:list``)."""
    if not await require(update, context, Action.VIEW_PLANS):
        return
    cluster_id = context.standing.current_cluster_id
    if update.callback_query:
        await answer_tap(update.callback_query)
    may_run = allowed(context.standing, Action.RUN_PLANS)
    async with context.db.read() as conn:
        found = await plans.plans_of_cluster(conn, cluster_id)
    shown = [p for p in found if may_run or p.status != "draft"]
    await answer(update, *views.plan_list(context.lang, shown, may_run))


async def choose_source(update: Update, context: RembugContext) -> None:
    """A theme of the shortlist, or from scratch (``pl1:new``)."""
    if not await require(update, context, Action.RUN_PLANS):
        return
    cluster_id = context.standing.current_cluster_id
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        shortlist = await plans.shortlist_of_cluster(conn, cluster_id)
    await answer(update, *views.choose_source(context.lang, shortlist))


async def create(update: Update, context: RembugContext) -> None:
    """Create the draft plan and ask the nine questions (``pl1:src:<theme or 0>``)."""
    if not await require(update, context, Action.RUN_PLANS):
        return
    cluster_id = context.standing.current_cluster_id
    tap = await tap_of(update, context, rules.SourceTap)
    if tap is None:
        return
    theme_id = tap.theme_id
    async with context.db.transaction() as tx:
        shortlist = {i.theme_id: i for i in await plans.shortlist_of_cluster(tx, cluster_id)}
        if theme_id and theme_id not in shortlist:
            plan = None
        else:
            title = shortlist[theme_id].title if theme_id else context.gettext("New action plan")
            plan = await plans.create_plan(
                tx, cluster_id, title, theme_id or None, context.user.id, context.clock.now()
            )
    if plan is None:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await start_form(
        update, context, "action_plan", f"plan:{plan.id}:nine", {"title": plan.title} if theme_id else None
    )


async def card(update: Update, context: RembugContext, plan_id: int, *, edit: bool = True) -> None:
    """Show a plan's card."""
    async with context.db.read() as conn:
        plan = await plans.load_plan(conn, plan_id)
        outputs = await plans.outputs_of(conn, plan_id)
        indicators = await plans.indicators_of(conn, plan_id)
        activities = await plans.activities_of(conn, plan_id)
    text, keyboard = views.plan_card(
        context.lang, plan, outputs, indicators, activities, allowed(context.standing, Action.RUN_PLANS)
    )
    await answer(update, text, keyboard, edit=edit)


async def show_plan(update: Update, context: RembugContext) -> None:
    """A plan's card (``pl1:p:<plan>``)."""
    plan = await viewable_plan(update, context)
    if plan is not None:
        await card(update, context, plan.id)


async def edit_pdm(update: Update, context: RembugContext) -> None:
    """Goal, purpose and inputs (``pl1:pdm:<plan>``)."""
    plan = await plan_to_run(update, context)
    if plan:
        await answer_tap(update.callback_query)
        await start_form(update, context, "plan_pdm", f"plan:{plan.id}:pdm{plan.version}")


async def add_output(update: Update, context: RembugContext) -> None:
    """A new output (``pl1:out:<plan>``)."""
    plan = await plan_to_run(update, context)
    if plan:
        await answer_tap(update.callback_query)
        async with context.db.read() as conn:
            count = len(await plans.outputs_of(conn, plan.id))
        await start_form(update, context, "plan_output", f"plan:{plan.id}:out{count + 1}")


async def add_indicator(update: Update, context: RembugContext) -> None:
    """A new indicator: first which output (``pl1:ind:<plan>``), then its form (``pl1:indo:<plan>:<output>``)."""
    plan = await plan_to_run(update, context)
    if plan is None:
        return
    tap = rules.parse_tap(query_of(update).data)
    async with context.db.read() as conn:
        outputs = await plans.outputs_of(conn, plan.id)
        count = len(await plans.indicators_of(conn, plan.id))
    if not outputs:
        await answer_tap(update.callback_query, notices.output_first(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query)
    output_id = tap.number if isinstance(tap, rules.PlanTap) else None
    if output_id is None or output_id not in {o.id for o in outputs}:
        await answer(update, *views.choose_output(context.lang, plan.id, outputs, "indo"))
        return
    await start_form(update, context, "plan_indicator", f"plan:{plan.id}:ind{output_id}n{count + 1}")


async def add_activity(update: Update, context: RembugContext) -> None:
    """A new activity (``pl1:act:<plan>``)."""
    plan = await plan_to_run(update, context)
    if plan is None:
        return
    if plan.starts_on is None:
        await answer_tap(update.callback_query, notices.questions_first(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        count = len(await plans.activities_of(conn, plan.id))
    await start_form(update, context, "plan_activity", f"plan:{plan.id}:act{count + 1}")


async def pick_owner(update: Update, context: RembugContext) -> None:
    """The activity's owner (``pl1:own:<activity>:<user>``): a member who is still in the cluster."""
    if not await require(update, context, Action.RUN_PLANS):
        return
    tap = await tap_of(update, context, rules.ActivityTap)
    if tap is None:
        return
    indicators: list[Indicator] = []
    async with context.db.transaction() as tx:
        activity = await plans.get_activity(tx, tap.activity_id)
        plan = await plan_in_cluster(tx, context, activity.plan_id) if activity else None
        member = await memberships.get_membership(tx, plan.cluster_id, tap.chosen) if plan and tap.chosen else None
        refusal = rules.owner_refusal(plan.status if plan else None, member.active if member else None)
        if refusal is None and activity is not None and plan is not None:
            await plans.update_activity(tx, activity.id, owner_id=tap.chosen)
            indicators = await plans.indicators_of(tx, plan.id)
            activity = await plans.get_activity(tx, activity.id)
    if refusal is rules.OwnerRefusal.LEFT and member is not None:
        await answer_tap(update.callback_query, notices.owner_left(context.lang, member.full_name), show_alert=True)
        return
    if refusal is not None or activity is None or plan is None:
        closed = refusal is rules.OwnerRefusal.CLOSED
        await answer_tap(
            update.callback_query,
            notices.plan_closed(context.lang) if closed else stale_button(context.lang),
            show_alert=closed,
        )
        return
    await answer_tap(update.callback_query)
    if indicators:
        await answer(update, *views.choose_indicator(context.lang, activity, indicators))
        return
    await _activity_ready(update, context, plan, activity.id)


async def pick_indicator(update: Update, context: RembugContext) -> None:
    """The indicator the activity's owner reports on (``pl1:ai:<activity>:<indicator or 0>``)."""
    if not await require(update, context, Action.RUN_PLANS):
        return
    tap = await tap_of(update, context, rules.ActivityTap)
    if tap is None:
        return
    async with context.db.transaction() as tx:
        activity = await plans.get_activity(tx, tap.activity_id)
        plan = await plan_in_cluster(tx, context, activity.plan_id) if activity else None
        known = {i.id for i in await plans.indicators_of(tx, plan.id)} if plan else set()
        ok = rules.indicator_choice_ok(plan.status if plan else None, tap.chosen, known)
        if ok and activity is not None:
            await plans.update_activity(tx, activity.id, indicator_id=tap.chosen or None)
    if not ok or activity is None or plan is None:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await _activity_ready(update, context, plan, activity.id)


async def _activity_ready(update: Update, context: RembugContext, plan: Plan, activity_id: int) -> None:
    """An activity has its owner: on a published plan its check-ins start now."""
    if plan.status == "published":
        async with context.db.transaction() as tx:
            await checkins.schedule_activity(tx, plan, await plans.load_activity(tx, activity_id), context.clock.now())
        context.services.reminders.wake()
    await card(update, context, plan.id)


async def ask_owner(update: Update, context: RembugContext, activity: Activity) -> None:
    """Show the members to pick the activity's owner from."""
    async with context.db.read() as conn:
        plan = await plans.load_plan(conn, activity.plan_id)
        members, _total = await memberships.directory(conn, plan.cluster_id)
    await answer(
        update, *views.choose_owner(context.lang, activity, [(m.user_id, m.full_name) for m in members]), edit=False
    )


async def set_cadence(update: Update, context: RembugContext) -> None:
    """How often owners report (``pl1:cad:<plan>:<w|b|m>``), before publishing."""
    plan = await plan_to_run(update, context)
    if plan is None:
        return
    tap = rules.parse_tap(query_of(update).data)
    cadence = tap.cadence if isinstance(tap, rules.PlanTap) else None
    if cadence is None or plan.status != "draft":
        await explain_stale(update, context)
        return
    async with context.db.transaction() as tx:
        await plans.set_cadence(tx, plan.id, cadence)
    await answer_tap(update.callback_query, notices.saved(context.lang))
    await card(update, context, plan.id)


async def _told(tx: aiosqlite.Connection, cluster_id: int) -> list[int]:
    """Who is told when a plan of ``cluster_id`` is published: everyone in the cluster."""
    return select(Audience(everyone=True), await people_of(tx, cluster_id)).chosen


def _publishing(plan_id: int) -> str:
    """The confirm screen's name for publishing ``plan_id``."""
    return f"plan:{plan_id}:publish"


async def ask_publish(update: Update, context: RembugContext) -> None:
    """ "📣 Publish" (``pl1:pub:<plan>``): asked once, with how many members will be told."""
    plan = await plan_to_run(update, context)
    if plan is None:
        return
    async with context.db.read() as conn:
        activities = [a for a in await plans.activities_of(conn, plan.id) if a.owner_id]
        told = await _told(conn, plan.cluster_id)
    if plan.status != "draft":
        await answer_tap(update.callback_query, notices.already_published(context.lang), show_alert=True)
        return
    if not rules.ready_to_publish(plan.starts_on, len(activities)):
        await answer_tap(update.callback_query, notices.not_ready(context.lang), show_alert=True)
        return
    await open_confirmation(context, _publishing(plan.id))
    await answer_tap(update.callback_query)
    await answer(update, *views.confirm_publish(context.lang, plan.id, len(told)))


async def publish(update: Update, context: RembugContext) -> None:
    """Share the plan with the cluster and start the check-ins, from its confirm screen (``pl1:puby:<plan>``)."""
    plan = await plan_to_run(update, context)
    if plan is None:
        return
    if plan.status != "draft" and await confirmed_by(context, update, _publishing(plan.id)):
        await answer_tap(update.callback_query, notices.published(context.lang))  # this tap did it; its reply was lost
        await card(update, context, plan.id)
        return
    now = context.clock.now()
    already = notices.already_published(context.lang)
    async with context.db.transaction() as tx:
        activities = [a for a in await plans.activities_of(tx, plan.id) if a.owner_id]
        if not rules.ready_to_publish(plan.starts_on, len(activities)):
            problem = notices.not_ready(context.lang)
        elif plan.status != "draft":
            problem = already
        elif not await take_confirmation(tx, context, _publishing(plan.id), update):
            problem = confirmation_needed(context.lang)
        elif not await plans.set_status(tx, plan.id, "draft", "published", now):
            problem = already
        else:
            problem = None
            plan = await plans.load_plan(tx, plan.id)
            for activity in activities:
                await checkins.schedule_activity(tx, plan, activity, now)
            cluster = await clusters.load_cluster(tx, plan.cluster_id)
            await evaluations.schedule_plan_prompts(tx, plan, cluster.timezone, now)
            letters = []
            for user_id in await _told(tx, plan.cluster_id):
                lang = await language_of(tx, user_id, context.settings.language)
                letters.append((user_id, notices.published_letter(lang, cluster.name, plan)))
            await outbox_store.enqueue(tx, f"plan:{plan.id}:published", letters, now)
    if problem is already:  # tapped twice, or from a second phone: said, with the way to the plan
        await explain_stale(update, context)
        return
    if problem:
        await answer_tap(update.callback_query, problem, show_alert=True)
        return
    await answer_tap(update.callback_query, notices.published(context.lang))
    context.services.reminders.wake()
    context.services.outbox.wake()
    await card(update, context, plan.id)


async def close(update: Update, context: RembugContext) -> None:
    """Close a plan: no more check-ins (``pl1:close:<plan>``)."""
    plan = await plan_to_run(update, context)
    if plan is None:
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        closed = await plans.set_status(tx, plan.id, "published", "closed", now)
        if closed:
            await checkins.cancel_plan(tx, plan.id, now)
    await answer_tap(update.callback_query, notices.plan_closed(context.lang) if closed else stale_button(context.lang))
    await card(update, context, plan.id)


# -- the form engine's hooks (subjects ``plan:<plan>:<part>``) -----------------------------------


async def plan_submitted(update: Update, context: RembugContext, response: Response) -> None:
    """A plan's form was sent: store it where the plan keeps it."""
    plan_id, part = int(response.subject.split(":")[1]), response.subject.split(":")[2]
    answers = response.answers
    now = context.clock.now()
    async with context.db.transaction() as tx:
        plan = await plans.load_plan(tx, plan_id)
        problem = None
        activity = None
        if response.form_id in ("action_plan", "plan_activity"):
            starts, ends = date.fromisoformat(answers["starts_on"]), date.fromisoformat(answers["ends_on"])
            bounds = (plan.starts_on, plan.ends_on) if response.form_id == "plan_activity" else (None, None)
            problem = date_problem(starts, ends, *bounds)
            if problem:
                await forms.reopen(
                    tx, response.id, "ends_on" if problem in ("order", "after_plan") else "starts_on", now
                )
        if problem is None:
            activity = await _store(tx, plan, part, response, now)
    if problem:
        await chat_of(update).send_message(views.date_problem_text(context.lang, problem, plan))
        await context.services.forms.show(update, context, response.id, edit=False)
        return
    if activity is not None:
        await ask_owner(update, context, activity)
        return
    if response.form_id == "plan_midterm":
        await answer(update, *notices.midterm_saved(context.lang, plan, answers.get("change_needed") == "yes"))
        return
    await card(update, context, plan.id)


async def _store(tx: aiosqlite.Connection, plan: Plan, part: str, response: Response, now: datetime) -> Activity | None:
    """Write one sent plan form; return a new activity (its owner is asked next)."""
    answers = response.answers
    if response.form_id == "action_plan":
        await plans.apply_answers(tx, plan.id, answers)
    elif response.form_id == "plan_pdm":
        await plans.set_pdm(tx, plan.id, answers["goal"], answers["purpose"], answers.get("inputs"))
    elif response.form_id == "plan_output":
        await plans.add_output(tx, plan.id, answers["text"])
    elif response.form_id == "plan_indicator":
        output_id = int(part[3:].split("n")[0])
        await plans.add_indicator(
            tx, plan.id, output_id, answers["name"], answers["unit"], answers["baseline"], answers["target"]
        )
    elif response.form_id == "plan_activity":
        return await plans.add_activity(tx, plan.id, answers["title"], answers["starts_on"], answers["ends_on"])
    elif response.form_id == "plan_change":
        await evaluations.change_plan(tx, plan, answers, response.entered_by, now)
    return None


def subject_hooks(application: RembugApplication) -> Subject:
    """How plan forms plug into the form dialog."""

    async def is_open(conn: aiosqlite.Connection, subject: str) -> bool:
        plan = await plans.get_plan(conn, int(subject.split(":")[1]))
        return plan is not None and plan.status != "closed"

    async def heading(conn: aiosqlite.Connection, response: Response, lang: str) -> str:
        plan = await plans.load_plan(conn, int(response.subject.split(":")[1]))
        form = application.services.forms.forms[(response.form_id, response.form_version)]
        return views.heading(lang, plan.title, form.title(lang))

    return Subject.of("plan", is_open, heading, plan_submitted, nudge_after=None)
