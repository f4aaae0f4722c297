"""Adopting the annual plan like the vision and mission: the facilitator sends the year as a numbered
draft, members answer Agree / Needs change (with a comment) until it closes, a meeting adopts it.

Sending plans, through the reminder engine, one card per member, a nudge the day before the window
closes for those who have not answered, and a summary to the facilitator when it closes.
"""

from __future__ import annotations

import aiosqlite
from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import read_draft, save_answers
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap, edit_buttons
from bot.roles import Action
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.annual_plan import adoption_views as aviews
from conversations.annual_plan.calendar import local_today, year_tap
from conversations.annual_plan.rules import parse_tap
from conversations.organisation import rules as vision_rules
from conversations.organisation.views import answer_problem, typed_problem
from conversations.organisation.vision_views import comment_saved, saved
from storage import annual_plans, clusters, drafts, meetings, memberships
from storage import reminders as due_messages
from storage.annual_plans import PlanVersion
from storage.clusters import Cluster
from storage.reminders import Due

COMMENT_FLOW = "annual_plan_comment"
COMMENT = "plan_comment"
CARD, NUDGE, CLOSED = "annual_plan.card", "annual_plan.nudge", "annual_plan.closed"


async def _members(conn: aiosqlite.Connection, cluster_id: int) -> list[int]:
    everyone, _total = await memberships.directory(conn, cluster_id)
    return [m.user_id for m in everyone]


async def _drafts_page(update: Update, context: RembugContext, year: int, intro: str | None = None) -> None:
    _today, timezone = await local_today(context)
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        versions = await annual_plans.versions_of(conn, cluster_id, year)
        answers = await annual_plans.responses_to(conn, versions[0].id) if versions else []
        members = len(await _members(conn, cluster_id)) - 1  # the author does not answer their own draft
    summary = vision_rules.summarise_responses((a.answer, a.comment) for a in answers) if versions else None
    await answer(
        update,
        *aviews.drafts_view(context.lang, year, versions, timezone, summary, members, context.clock.now(), intro),
    )


async def show_drafts(update: Update, context: RembugContext) -> None:
    """The facilitator's page of versions (``ap1:d:<year>``)."""
    tap = await year_tap(update, context, Action.PLAN_YEAR)
    if tap is None:
        return
    await answer_tap(update.callback_query)
    await _drafts_page(update, context, tap.first)


async def publish(update: Update, context: RembugContext) -> None:
    """Snapshot the year as the next version and plan the cards, nudges and summary (``ap1:pub:<year>:<days>``);
    a replayed tap finds the version it posted and plans nothing more."""
    tap = await year_tap(update, context, Action.PLAN_YEAR)
    if tap is None:
        return
    if tap.second not in vision_rules.WINDOW_DAYS:
        await explain_stale(update, context)
        return
    now = context.clock.now()
    closes_at, nudge_at = vision_rules.vision_window(now, tap.second)
    async with context.db.transaction() as tx:
        version, new = await annual_plans.post_version(
            tx, context.standing.current_cluster_id, tap.first, context.user.id, closes_at, now, update.update_id
        )
        readers = [uid for uid in await _members(tx, version.cluster_id) if uid != context.user.id]
        if new:
            for user_id in readers:
                payload = {"version": version.id, "user": user_id}
                key = f"annual_plan:{version.id}"
                await due_messages.schedule(tx, f"{key}:card:{user_id}", CARD, now, payload, now, expires_at=closes_at)
                if nudge_at:
                    await due_messages.schedule(
                        tx, f"{key}:nudge:{user_id}", NUDGE, nudge_at, payload, now, expires_at=closes_at
                    )
            await due_messages.schedule(
                tx,
                f"annual_plan:{version.id}:closed",
                CLOSED,
                closes_at,
                {"version": version.id, "user": context.user.id},
                now,
            )
    context.services.reminders.wake()
    await answer_tap(query_of(update))
    await _drafts_page(update, context, tap.first, aviews.sent_intro(context.lang, version, len(readers)))


async def _version_context(application: RembugApplication, due: Due) -> tuple[PlanVersion, Cluster, str, str | None]:
    async with application.services.db.read() as conn:
        version = await annual_plans.get_version(conn, due.payload["version"])
        if version is None:
            raise Skip("no such version")
        cluster = await clusters.load_cluster(conn, version.cluster_id)
        lang = await language_of(conn, due.payload["user"], application.services.settings.language)
        given = await annual_plans.answer_of(conn, version.id, due.payload["user"])
    return version, cluster, lang, given


async def send_card(due: Due, application: RembugApplication) -> str:
    """One member's copy of the draft, with Agree / Needs change."""
    version, cluster, lang, given = await _version_context(application, due)
    if version.status != "consulting":
        raise Skip("a newer version or adopted")
    text, keyboard = aviews.card(lang, version, cluster.name, cluster.timezone, given)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "draft sent"


async def send_nudge(due: Due, application: RembugApplication) -> str:
    """Remind a member who has not answered yet."""
    version, cluster, lang, given = await _version_context(application, due)
    if version.status != "consulting" or given:
        raise Skip("answered, or no longer open")
    text, keyboard = aviews.nudge(lang, version, cluster.name, cluster.timezone)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "nudged"


async def send_closed(due: Due, application: RembugApplication) -> str:
    """Tell the author how members answered, when the window closes."""
    version, _cluster, lang, _given = await _version_context(application, due)
    if version.status != "consulting":
        raise Skip("adopted or replaced before the window closed")
    async with application.services.db.read() as conn:
        answers = await annual_plans.responses_to(conn, version.id)
        members = len(await _members(conn, version.cluster_id)) - 1
    summary = vision_rules.summarise_responses((a.answer, a.comment) for a in answers)
    text, keyboard = aviews.closed_notice(lang, version, summary, members)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "summary sent"


async def _record_answer(update: Update, context: RembugContext, given: str) -> PlanVersion | None:
    """Check and store a member's answer; the version, or None after refusing."""
    query = query_of(update)
    tap = parse_tap(query.data)
    cluster, before, problem = None, None, None
    async with context.db.transaction() as tx:
        version = await annual_plans.get_version(tx, tap.first) if tap else None
        if version is not None:
            member = await memberships.get_membership(tx, version.cluster_id, context.user.id)
            problem = vision_rules.check_vision_answer(
                version.status, version.closes_at, context.clock.now(), bool(member and member.active)
            )
            if problem is vision_rules.AnswerProblem.SUPERSEDED and version.status == "adopted":
                problem = vision_rules.AnswerProblem.CLOSED  # adopted, not replaced: answering is over
            if problem is None:
                before = await annual_plans.answer_of(tx, version.id, context.user.id)
                await annual_plans.answer_version(tx, version.id, context.user.id, given, context.clock.now())
                cluster = await clusters.load_cluster(tx, version.cluster_id)
    if problem:
        await answer_tap(query, answer_problem(context.lang, problem), show_alert=True)
        return None
    if version is None or cluster is None:
        await explain_stale(update, context)
        return None
    await answer_tap(query, saved(context.lang, given))
    if before != given:
        await answer(update, *aviews.card(context.lang, version, cluster.name, cluster.timezone, given))
    return version


async def agree(update: Update, context: RembugContext) -> int:
    """👍 Agree (``ap1:va:<version>``); changeable until the window closes."""
    await _record_answer(update, context, "agree")
    return ConversationHandler.END


async def needs_change(update: Update, context: RembugContext) -> str | int:
    """✏️ Needs change (``ap1:vc:<version>``): recorded, then ask for a comment."""
    version = await _record_answer(update, context, "change")
    if version is None:
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, COMMENT_FLOW)
    await save_answers(context, COMMENT_FLOW, version=version.id)
    text, keyboard = aviews.ask_comment(context.lang)
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return COMMENT


async def receive_comment(update: Update, context: RembugContext) -> str | int:
    """The typed comment on a draft."""
    text, problem = vision_rules.clean_text(message_of(update).text, vision_rules.COMMENT_LIMIT)
    if text is None:
        await message_of(update).reply_text(typed_problem(context.lang, problem or "empty", vision_rules.COMMENT_LIMIT))
        return COMMENT
    draft = await read_draft(context, COMMENT_FLOW)
    refusal = None
    async with context.db.transaction() as tx:
        version = await annual_plans.get_version(tx, draft.get("version", 0))
        if version is None:
            refusal = context.gettext("This button is no longer valid. Type /menu to start again.")
        else:
            found = vision_rules.check_vision_answer(version.status, version.closes_at, context.clock.now(), True)
            if found:
                refusal = answer_problem(context.lang, found)
            else:
                await annual_plans.comment_version(tx, version.id, context.user.id, text, context.clock.now())
        await drafts.clear_draft(tx, context.user.id, COMMENT_FLOW)
    await message_of(update).reply_text(refusal or comment_saved(context.lang))
    return ConversationHandler.END


async def skip_comment(update: Update, context: RembugContext) -> int:
    """No comment after all (``ap1:vk``)."""
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, COMMENT_FLOW)
    await answer_tap(update.callback_query, context.gettext("Noted."))
    await edit_buttons(update.callback_query, None)
    return ConversationHandler.END


async def _own_version(update: Update, context: RembugContext) -> PlanVersion | None:
    """The version a facilitator's button names, when it is this cluster's (else answered as stale)."""
    tap = await year_tap(update, context, Action.PLAN_YEAR)
    if tap is None:
        return None
    async with context.db.read() as conn:
        version = await annual_plans.get_version(conn, tap.first)
    if version is None or version.cluster_id != context.standing.cluster_id:
        await explain_stale(update, context)
        return None
    return version


async def show_responses(update: Update, context: RembugContext) -> None:
    """Who answered what, with comments (``ap1:vr:<version>``)."""
    version = await _own_version(update, context)
    if version is None:
        return
    async with context.db.read() as conn:
        answers = await annual_plans.responses_to(conn, version.id)
    await answer_tap(update.callback_query)
    await answer(update, *aviews.responses_view(context.lang, version, answers))


async def ask_adopting_meeting(update: Update, context: RembugContext) -> None:
    """Which meeting confirmed this version (``ap1:vp:<version>``)."""
    version = await _own_version(update, context)
    if version is None:
        return
    _today, timezone = await local_today(context)
    async with context.db.read() as conn:
        found = [m for m in await meetings.list_meetings(conn, version.cluster_id) if not m.cancelled]
    await answer_tap(update.callback_query)
    await answer(update, *aviews.ask_meeting(context.lang, version, list(reversed(found))[:8], timezone))


async def adopt(update: Update, context: RembugContext) -> None:
    """Record the adopted version with its meeting (``ap1:vpm:<version>:<meeting>``); pending cards stop."""
    version = await _own_version(update, context)
    if version is None:
        return
    tap = parse_tap(query_of(update).data)
    cluster_id = version.cluster_id
    async with context.db.transaction() as tx:
        meeting = await meetings.get_meeting(tx, tap.second) if tap else None
        latest = (await annual_plans.versions_of(tx, cluster_id, version.year))[0]
        valid = meeting is not None and vision_rules.can_adopt(
            version.cluster_id, latest.status, latest.id == version.id, meeting, cluster_id
        )
        if valid and meeting is not None:
            await annual_plans.adopt_version(tx, version, meeting.id, context.clock.now())
            await due_messages.cancel(tx, f"annual_plan:{version.id}:", context.clock.now())
    if not valid or meeting is None:
        await explain_stale(update, context)
        return
    await answer_tap(query_of(update))
    await _drafts_page(update, context, version.year, aviews.adopted_intro(context.lang, version, meeting.topic))
