"""Evaluations: the mid-term (PDCA "Check"), changing the plan (PDCA "Action"), quarterly and year-end prompts."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import aiosqlite
from telegram import Update

from bot.audience import BOARD, Audience, select
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
from bot.update_parts import chat_of
from conversations.plans import notices, rules, views
from conversations.plans.access import plan_in_cluster, plan_to_run, start_form, tap_of
from conversations.plans.board import board_text
from storage import action_plans as plans
from storage import clusters, forms, meetings
from storage import reminders as due_messages
from storage.action_plans import Plan
from storage.forms import Response
from storage.reminders import Due

MIDTERM, QUARTER, YEAR_END = "plan.midterm", "plan.quarter", "plan.yearend"


async def schedule_plan_prompts(tx: aiosqlite.Connection, plan: Plan, zone: str, now: datetime) -> None:
    """On publishing: the mid-term prompt at the plan's midpoint, and the cluster's quarterly and year-end prompts."""
    if plan.starts_on and plan.ends_on:
        midpoint = rules.midpoint(plan.starts_on, plan.ends_on)
        await due_messages.schedule(
            tx,
            f"plan:{plan.id}:midterm",
            MIDTERM,
            rules.local_moment(midpoint, rules.PROMPT_HOUR, zone),
            {"plan": plan.id},
            now,
        )
    await _book_quarter(tx, plan.cluster_id, *rules.next_quarter(*rules.quarter_of(now.date())), zone, now)
    await _book_year_end(tx, plan.cluster_id, now.year, zone, now)


async def _book_quarter(
    tx: aiosqlite.Connection, cluster_id: int, year: int, quarter: int, zone: str, now: datetime
) -> None:
    at = rules.local_moment(rules.quarter_start(year, quarter), rules.PROMPT_HOUR, zone)
    await due_messages.schedule(
        tx,
        f"plans:{cluster_id}:quarter:{rules.quarter_key(year, quarter)}",
        QUARTER,
        at,
        {"cluster": cluster_id, "quarter": rules.quarter_key(year, quarter)},
        now,
    )


async def _book_year_end(tx: aiosqlite.Connection, cluster_id: int, year: int, zone: str, now: datetime) -> None:
    await due_messages.schedule(
        tx,
        f"plans:{cluster_id}:yearend:{year}",
        YEAR_END,
        rules.year_end_at(year, zone),
        {"cluster": cluster_id, "year": year},
        now,
    )


async def _leaders(conn: aiosqlite.Connection, cluster_id: int, default: str) -> list[tuple[int, str, bool]]:
    """The cluster's facilitators and board: ``(user, language, is facilitator)``."""
    everyone = await people_of(conn, cluster_id)
    facilitators = set(select(Audience(roles=("facilitator",)), everyone).chosen)
    chosen = select(Audience(roles=("facilitator", BOARD)), everyone).chosen
    return [(uid, await language_of(conn, uid, default), uid in facilitators) for uid in chosen]


async def send_midterm(due: Due, application: RembugApplication) -> str:
    """At the plan's midpoint: ask the facilitators to run the mid-term evaluation."""
    async with application.services.db.read() as conn:
        plan = await plans.load_plan(conn, due.payload["plan"])
        if plan.status != "published":
            raise Skip("plan not published")
        people = [p for p in await _leaders(conn, plan.cluster_id, application.services.settings.language) if p[2]]
    await send_texts(
        application, f"plan-prompt:{due.key}", [(uid, *notices.midterm_due(lang, plan)) for uid, lang, _fac in people]
    )
    return f"asked {len(people)}"


async def send_quarter(due: Due, application: RembugApplication) -> str:
    """A quarter began: the quarterly evaluation, and a coordination meeting if none was held last quarter."""
    db, now = application.services.db, application.services.clock.now()
    named = rules.parse_quarter_key(due.payload["quarter"])
    if named is None:
        raise Skip(f"not a quarter: {due.payload['quarter']}")
    year, quarter = named
    cluster_id = due.payload["cluster"]
    async with db.transaction() as tx:
        cluster = await clusters.load_cluster(tx, cluster_id)
        await _book_quarter(tx, cluster_id, *rules.next_quarter(year, quarter), cluster.timezone, now)
        before = rules.local_moment(rules.quarter_start(year, quarter), 0, cluster.timezone)
        after = rules.local_moment(rules.quarter_start(*rules.previous_quarter(year, quarter)), 0, cluster.timezone)
        held = [
            m
            for m in await meetings.list_meetings(tx, cluster_id, after=after, before=before)
            if m.status != "cancelled"
        ]
        people = await _leaders(tx, cluster_id, application.services.settings.language)
    application.services.reminders.wake()
    await send_texts(
        application,
        f"plan-prompt:{due.key}",
        [
            (uid, *notices.quarter_prompt(lang, cluster, year, quarter, not held, facilitator))
            for uid, lang, facilitator in people
        ],
    )
    return f"sent to {len(people)}"


async def send_year_end(due: Due, application: RembugApplication) -> str:
    """Year end: the year-end evaluation and a prompt to run the ANNEX-1 questionnaire again."""
    db, now = application.services.db, application.services.clock.now()
    cluster_id, year = due.payload["cluster"], due.payload["year"]
    async with db.transaction() as tx:
        cluster = await clusters.load_cluster(tx, cluster_id)
        await _book_year_end(tx, cluster_id, year + 1, cluster.timezone, now)
        people = await _leaders(tx, cluster_id, application.services.settings.language)
    await send_texts(
        application,
        f"plan-prompt:{due.key}",
        [(uid, *notices.year_end_prompt(lang, cluster, year, facilitator)) for uid, lang, facilitator in people],
    )
    return f"sent to {len(people)}"


# -- buttons ------------------------------------------------------------------------------------------


async def midterm(update: Update, context: RembugContext) -> None:
    """The mid-term evaluation (``pl1:mid:<plan>``): the plan against its indicators, then the checklist."""
    plan = await plan_to_run(update, context)
    if plan is None:
        return
    if plan.status != "published":
        await answer_tap(update.callback_query, notices.not_ready(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query)
    await chat_of(update).send_message(await board_text(context, plan))
    await start_form(update, context, "plan_midterm", f"plan:{plan.id}:mid{plan.version}")


async def change(update: Update, context: RembugContext) -> None:
    """Change the plan as a new version with its reason (``pl1:chg:<plan>``)."""
    plan = await plan_to_run(update, context)
    if plan:
        await answer_tap(update.callback_query)
        await start_form(update, context, "plan_change", f"plan:{plan.id}:chg{plan.version}")


async def change_plan(tx: aiosqlite.Connection, plan: Plan, answers: dict, changed_by: int, now: datetime) -> None:
    """Keep the plan as it is as a version, then apply the changes (end date, budget, first indicator's target)."""
    outputs = await plans.outputs_of(tx, plan.id)
    indicators = await plans.indicators_of(tx, plan.id)
    activities = await plans.activities_of(tx, plan.id)
    fields = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(plan).items() if k not in ("answers",)
    }
    snapshot = rules.snapshot(
        fields,
        [asdict(o) for o in outputs],
        [asdict(i) for i in indicators],
        [
            {
                **asdict(a),
                "starts_on": a.starts_on.isoformat(),
                "ends_on": a.ends_on.isoformat(),
                "first_period": a.first_period.isoformat() if a.first_period else None,
            }
            for a in activities
        ],
    )
    if not await plans.save_version(tx, plan.id, plan.version, snapshot, answers["reason"], changed_by, now):
        return
    changed = dict(plan.answers)
    if answers.get("ends_on"):
        changed["ends_on"] = answers["ends_on"]
    if answers.get("budget") is not None:
        changed["budget"] = answers["budget"]
    if changed:
        await plans.apply_answers(tx, plan.id, changed)
    if answers.get("target") is not None and indicators:
        await plans.set_indicator_target(tx, indicators[0].id, answers["target"])


async def show_versions(update: Update, context: RembugContext) -> None:
    """The plan's earlier versions (``pl1:ver:<plan>``), and one of them (``pl1:v:<plan>:<n>``)."""
    if not await require(update, context, Action.VIEW_PLANS):
        return
    tap = await tap_of(update, context, rules.PlanTap)
    if tap is None:
        return
    async with context.db.read() as conn:
        plan = await plan_in_cluster(conn, context, tap.plan_id)
        kept = await plans.versions_of(conn, plan.id) if plan else []
    if plan is None:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    version = next((v for v in kept if v.number == tap.number), None)
    if tap.key == "v" and version is not None:
        await answer(update, *views.old_version(context.lang, version))
    else:
        await answer(update, *views.versions(context.lang, plan, kept))


async def evaluate(update: Update, context: RembugContext) -> None:
    """The quarterly (``pl1:qe:<cluster>:<2027q1>``) or year-end (``pl1:ye:<cluster>:<2026>``) evaluation."""
    if not await require(update, context, Action.VIEW_PLANS):
        return
    cluster_id = context.standing.current_cluster_id
    tap = await tap_of(update, context, rules.EvaluationTap)
    if tap is None:
        return
    if tap.cluster_id != cluster_id or not rules.evaluation_due(tap.key, tap.period, context.clock.now().date()):
        await explain_stale(update, context)
        return
    form_id = tap.form_id
    subject = f"planeval:{cluster_id}:{tap.period}"
    async with context.db.read() as conn:
        mine = await forms.find_response(conn, subject, context.user.id)
    if mine is not None and mine.submitted:
        await answer_tap(update.callback_query, notices.already_evaluated(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query)
    await start_form(update, context, form_id, subject)


def subject_hooks(application: RembugApplication) -> Subject:
    """How quarterly and year-end evaluations plug into the form dialog."""

    async def is_open(conn: aiosqlite.Connection, subject: str) -> bool:
        return True

    async def heading(conn: aiosqlite.Connection, response: Response, lang: str) -> str:
        cluster = await clusters.load_cluster(conn, int(response.subject.split(":")[1]))
        form = application.services.forms.forms[(response.form_id, response.form_version)]
        return views.heading(lang, cluster.name, form.title(lang))

    async def on_submitted(update: Update, context: RembugContext, response: Response) -> None:
        await answer(update, notices.evaluation_thanks(context.lang))

    return Subject.of("planeval", is_open, heading, on_submitted, nudge_after=None)
