"""The year's page and its calendar, month by month, for every member; the adopted version in full."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from telegram import Update

from bot.context import RembugContext
from bot.flows import read_button
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, allowed
from conversations.annual_plan import adoption_views as aviews
from conversations.annual_plan import views
from conversations.annual_plan.rules import Tap, changed_since, coordination, in_month, parse_tap
from storage import annual_plans, clusters, meetings
from storage.annual_plans import PlanVersion


async def local_today(context: RembugContext) -> tuple[date, str]:
    """Today in the cluster's time zone, and the zone."""
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, context.standing.current_cluster_id)
    return context.clock.now().astimezone(ZoneInfo(cluster.timezone)).date(), cluster.timezone


async def year_tap(update: Update, context: RembugContext, action: Action) -> Tap | None:
    """The tapped ``ap1`` button when ``action`` is allowed (refused or stale: answered here, None)."""
    if not await require(update, context, action):
        return None
    return await read_button(update, context, parse_tap, Tap)


def adopted_of(versions: list[PlanVersion]) -> PlanVersion | None:
    """The version in force: the newest adopted one."""
    return next((v for v in versions if v.status == "adopted"), None)


async def show_home(update: Update, context: RembugContext) -> None:
    """The year's page (``ap1:home[:<year>]``, ``/year``, the organisation's page)."""
    if not await require(update, context, Action.VIEW_YEAR):
        return
    year = 0
    if update.callback_query:
        tap = await read_button(update, context, parse_tap, Tap)
        if tap is None:
            return
        year = tap.first
        await answer_tap(update.callback_query)
    await show_year(update, context, year)


async def show_year(update: Update, context: RembugContext, year: int = 0, intro: str | None = None) -> None:
    """The page of ``year`` (0: this year), under ``intro`` when given (after adding, say)."""
    today, timezone = await local_today(context)
    year = year or today.year
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        activities = await annual_plans.plan_activities(conn, cluster_id, year)
        versions = await annual_plans.versions_of(conn, cluster_id, year)
        adopted = adopted_of(versions)
        meeting = await meetings.get_meeting(conn, adopted.meeting_id) if adopted and adopted.meeting_id else None
    status = views.status_line(
        context.lang,
        versions[0] if versions else None,
        adopted,
        timezone,
        views.meeting_topic(meeting),
        context.clock.now(),
    )
    text, keyboard = views.home(
        context.lang,
        year,
        (today.year, today.month),
        activities,
        coordination(activities),
        status,
        adopted is not None and changed_since(adopted.entries, activities),
        adopted is not None,
        allowed(context.standing, Action.PLAN_YEAR),
    )
    await answer(update, "\n\n".join(filter(None, [intro, text])), keyboard)


async def show_month(update: Update, context: RembugContext) -> None:
    """One month of the calendar (``ap1:m:<year>:<month>``), with the months around it."""
    tap = await year_tap(update, context, Action.VIEW_YEAR)
    if tap is None:
        return
    async with context.db.read() as conn:
        activities = await annual_plans.plan_activities(conn, context.standing.current_cluster_id, tap.first)
    await answer_tap(update.callback_query)
    month = in_month(activities, tap.first, tap.second)
    await answer(update, *views.month_view(context.lang, tap.first, tap.second, month, coordination(activities)))


async def show_adopted(update: Update, context: RembugContext) -> None:
    """The adopted version in full (``ap1:av:<year>``)."""
    tap = await year_tap(update, context, Action.VIEW_YEAR)
    if tap is None:
        return
    _today, timezone = await local_today(context)
    async with context.db.read() as conn:
        adopted = adopted_of(await annual_plans.versions_of(conn, context.standing.current_cluster_id, tap.first))
        meeting = await meetings.get_meeting(conn, adopted.meeting_id) if adopted and adopted.meeting_id else None
    await answer_tap(update.callback_query)
    await answer(update, *aviews.adopted_view(context.lang, adopted, tap.first, timezone, views.meeting_topic(meeting)))
